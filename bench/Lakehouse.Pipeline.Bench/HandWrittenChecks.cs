using System.Globalization;
using DuckDB.NET.Data;

namespace Lakehouse.Pipeline.Bench;

/// <summary>
/// The demo pipeline file's table checks as hand-written SQL: per table one aggregate query for the not_null, unique,
/// accepted_values, range and freshness checks, one anti-join per relationship check (against the current customer
/// rows), the most frequent offending values of every failed check, and one row per check in the <c>dq_results</c>
/// table. Severities decide nothing here: the hand-written run reports, as the pipeline's warnings do.
/// </summary>
internal static class HandWrittenChecks
{
    public static void Silver(DuckDBConnection duck)
    {
        HandWritten.Execute(duck, """
            CREATE TABLE dq_results (table_name VARCHAR, check_name VARCHAR, failing BIGINT, total BIGINT, examples VARCHAR)
            """);
        Table(duck, "silver.orders", "silver_orders",
            ("order_id_not_null", "order_id IS NULL OR customer_id IS NULL OR product_id IS NULL", null),
            ("status_values", "status NOT IN ('placed', 'shipped', 'delivered', 'cancelled', 'returned', 'unknown')", "status"),
            ("amount_range", "amount < 0 OR amount > 100000", "amount"),
            ("quantity_range", "quantity < 1 OR quantity > 1000", "quantity"));
        Unique(duck, "silver.orders", "silver_orders", "order_id_unique", "order_id");
        Fresh(duck, "silver.orders", "silver_orders", "fresh_orders", "order_ts");
        Relationship(duck, "silver.orders", "silver_orders", "customer_exists", "customer_id", "(SELECT customer_id FROM silver_customers WHERE is_current)");
        Relationship(duck, "silver.orders", "silver_orders", "product_exists", "product_id", "silver_products");

        const string current = "(SELECT * FROM silver_customers WHERE is_current)";
        Table(duck, "silver.customers", current,
            ("customer_id_not_null", "customer_id IS NULL", null),
            ("segment_values", "segment NOT IN ('consumer', 'small_business', 'corporate')", "segment"),
            ("region_values", "region NOT IN ('NA', 'LATAM', 'EMEA', 'APAC')", "region"));
        Unique(duck, "silver.customers", current, "customer_id_unique", "customer_id");

        Table(duck, "silver.products", "silver_products", ("price_range", "price < 0 OR price > 10000", "price"));
        Unique(duck, "silver.products", "silver_products", "product_id_unique", "product_id");
    }

    public static void Gold(DuckDBConnection duck)
    {
        Unique(duck, "gold.customer_360", "customer_360", "customer_unique", "customer_id");
        Table(duck, "gold.customer_360", "customer_360", ("lifetime_value_range", "lifetime_value < 0", "lifetime_value"));
        Unique(duck, "gold.product_performance", "product_performance", "product_unique", "product_id");
        Unique(duck, "gold.daily_revenue", "daily_revenue", "day_unique", "order_date");
        Table(duck, "gold.daily_revenue", "daily_revenue", ("revenue_range", "revenue < 0", "revenue"));
    }

    /// <summary>Row-wise checks of one table in one aggregate query; examples (offending values, or whole rows when no
    /// column is named) only for the checks that failed.</summary>
    private static void Table(DuckDBConnection duck, string name, string from, params (string Check, string Failing, string? Column)[] checks)
    {
        var counts = Scalars(duck, $"SELECT count(*), {string.Join(", ", checks.Select(c => $"count(*) FILTER (WHERE {c.Failing})"))} FROM {from}");
        for (var i = 0; i < checks.Length; i++)
        {
            var (check, failing, column) = checks[i];
            var examples = counts[i + 1] == 0 ? "" : column is null
                ? Text(duck, $"SELECT string_agg(CAST(t AS VARCHAR), ' | ') FROM (SELECT * FROM {from} WHERE {failing} LIMIT 5) t")
                : Examples(duck, $"SELECT {column} AS v FROM {from} WHERE {failing}");
            Record(duck, name, check, counts[i + 1], counts[0], examples);
        }
    }

    private static void Unique(DuckDBConnection duck, string name, string from, string check, string key)
    {
        var counts = Scalars(duck, $"SELECT count(*), count({key}) - count(DISTINCT {key}) FROM {from}");
        var examples = counts[1] == 0 ? "" : Text(duck, $"""
            SELECT string_agg({key} || ' (x' || n || ')', ', ') FROM (
                SELECT {key}, count(*) AS n FROM {from} WHERE {key} IS NOT NULL GROUP BY 1 HAVING count(*) > 1 ORDER BY n DESC, 1 LIMIT 5)
            """);
        Record(duck, name, check, counts[1], counts[0], examples);
    }

    private static void Fresh(DuckDBConnection duck, string name, string from, string check, string column)
    {
        var newest = Text(duck, $"SELECT CAST(max({column}) AS VARCHAR) FROM {from}");
        Record(duck, name, check, 0, Scalars(duck, $"SELECT count(*) FROM {from}")[0], "newest " + newest);
    }

    private static void Relationship(DuckDBConnection duck, string name, string from, string check, string column, string to)
    {
        var orphans = $"SELECT o.{column} AS v FROM {from} o ANTI JOIN (SELECT DISTINCT {column} FROM {to}) k USING ({column}) WHERE o.{column} IS NOT NULL";
        var counts = Scalars(duck, $"SELECT (SELECT count(*) FROM {from}), (SELECT count(*) FROM ({orphans}))");
        Record(duck, name, check, counts[1], counts[0], counts[1] == 0 ? "" : Examples(duck, orphans));
    }

    /// <summary>The five most frequent values of the query's column <c>v</c>, ties in value order, with their counts.</summary>
    private static string Examples(DuckDBConnection duck, string values) => Text(duck, $"""
        SELECT string_agg(CAST(v AS VARCHAR) || ' (x' || n || ')', ', ') FROM (
            SELECT v, count(*) AS n FROM ({values}) GROUP BY v ORDER BY n DESC, v LIMIT 5)
        """);

    private static void Record(DuckDBConnection duck, string table, string check, long failing, long total, string examples) =>
        HandWritten.Execute(duck, $"INSERT INTO dq_results VALUES ('{table}', '{check}', {failing}, {total}, '{examples.Replace("'", "''", StringComparison.Ordinal)}')");

    private static long[] Scalars(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture))];
    }

    private static string Text(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "";
    }
}
