using DuckDB.NET.Data;

namespace Lakehouse.Pipeline.Bench;

/// <summary>
/// The demo pipeline's transformations hand-written in DuckDB SQL over the same raw landing files: read, clean
/// (trim, lower-case, casts, defaults), drop what the quarantine expectations reject, keep the latest version of each
/// business key by updated_at, drop deleted orders, write the three silver tables and the three gold aggregates as
/// Parquet.
/// </summary>
/// <remarks>
/// Left out, on purpose, because they are the pipeline's extras rather than the transformation: bronze copies of the
/// raw records, rescued columns for truncated lines (DuckDB skips them), quarantine tables, data quality checks and
/// their results table, run bookkeeping (manifest, job runs), Delta transaction logs, and MERGE into existing tables
/// (this writes each table whole, once).
/// </remarks>
internal static class HandWritten
{
    public static void Run(IReadOnlyList<string> files, string output)
    {
        Directory.CreateDirectory(output);
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        string List(string kind) => "[" + string.Join(", ", files.Where(f => f.Contains(Path.DirectorySeparatorChar + kind + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Select(f => $"'{f}'")) + "]";
        string Out(string name) => $"'{Path.Combine(output, name + ".parquet")}'";

        Execute(duck, $"""
            CREATE TABLE silver_orders AS
            WITH raw AS (
                SELECT * FROM read_json({List("orders")}, format = 'newline_delimited', ignore_errors = true,
                    columns = {"{"}order_id: 'VARCHAR', customer_id: 'VARCHAR', product_id: 'VARCHAR', quantity: 'VARCHAR', amount: 'VARCHAR',
                               status: 'VARCHAR', order_ts: 'VARCHAR', updated_at: 'VARCHAR', is_deleted: 'VARCHAR'{"}"})),
            clean AS (
                SELECT trim(order_id) AS order_id, trim(customer_id) AS customer_id, trim(product_id) AS product_id,
                       TRY_CAST(quantity AS INTEGER) AS quantity, TRY_CAST(amount AS DECIMAL(12,2)) AS amount,
                       coalesce(lower(trim(status)), 'unknown') AS status, TRY_CAST(order_ts AS TIMESTAMP) AS order_ts,
                       TRY_CAST(updated_at AS TIMESTAMP) AS updated_at, TRY_CAST(is_deleted AS BOOLEAN) AS is_deleted
                FROM raw)
            SELECT * EXCLUDE (is_deleted) FROM clean
            WHERE order_id IS NOT NULL AND customer_id IS NOT NULL AND quantity > 0 AND amount >= 0
            QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1 AND NOT coalesce(is_deleted, false)
            """);
        Execute(duck, $"""
            CREATE TABLE silver_customers AS
            SELECT trim(customer_id) AS customer_id, trim(name) AS name, lower(trim(email)) AS email, trim(country) AS country,
                   trim(region) AS region, lower(trim(segment)) AS segment, TRY_CAST(signup_date AS DATE) AS signup_date,
                   TRY_CAST(updated_at AS TIMESTAMP) AS updated_at
            FROM read_csv({List("customers")}, header = true, all_varchar = true)
            WHERE trim(customer_id) IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY trim(customer_id) ORDER BY TRY_CAST(updated_at AS TIMESTAMP) DESC) = 1
            """);
        Execute(duck, $"""
            CREATE TABLE silver_products AS
            SELECT * FROM (
                SELECT trim(product_id) AS product_id, trim(name) AS name, lower(trim(category)) AS category,
                       TRY_CAST(price AS DECIMAL(10,2)) AS price, TRY_CAST(updated_at AS TIMESTAMP) AS updated_at
                FROM read_json({List("products")}, format = 'newline_delimited', ignore_errors = true,
                    columns = {"{"}product_id: 'VARCHAR', name: 'VARCHAR', category: 'VARCHAR', price: 'VARCHAR', updated_at: 'VARCHAR'{"}"}))
            WHERE product_id IS NOT NULL AND price >= 0
            QUALIFY row_number() OVER (PARTITION BY product_id ORDER BY updated_at DESC) = 1
            """);
        foreach (var table in new[] { "silver_orders", "silver_customers", "silver_products" })
        {
            Execute(duck, $"COPY {table} TO {Out(table)} (FORMAT parquet)");
        }

        // docs/pipeline-quality-gold.md, gold models: revenue orders are those not cancelled or returned.
        Execute(duck, "CREATE VIEW revenue_orders AS SELECT * FROM silver_orders WHERE coalesce(status, '') NOT IN ('cancelled', 'returned')");
        Execute(duck, $"""
            COPY (
                SELECT c.customer_id, c.name, c.email, c.segment, c.region, c.country, coalesce(o.orders, 0) AS orders,
                       CAST(coalesce(o.value, 0) AS DECIMAL(18,2)) AS lifetime_value, CAST(round(o.mean, 2) AS DECIMAL(18,2)) AS avg_order_value,
                       o.first_order AS first_order_date, o.last_order AS last_order_date, date_diff('day', c.signup_date, current_date) AS tenure_days
                FROM silver_customers c LEFT JOIN (
                    SELECT customer_id, count(*) AS orders, sum(amount) AS value, avg(amount) AS mean,
                           min(CAST(order_ts AS DATE)) AS first_order, max(CAST(order_ts AS DATE)) AS last_order
                    FROM revenue_orders GROUP BY customer_id) o USING (customer_id)
            ) TO {Out("customer_360")} (FORMAT parquet)
            """);
        Execute(duck, $"""
            COPY (
                SELECT p.product_id, p.name, p.category, p.price, coalesce(o.orders, 0) AS orders, CAST(coalesce(o.units, 0) AS BIGINT) AS units_sold,
                       CAST(coalesce(o.value, 0) AS DECIMAL(18,2)) AS revenue, coalesce(o.customers, 0) AS unique_customers
                FROM silver_products p LEFT JOIN (
                    SELECT product_id, count(*) AS orders, sum(quantity) AS units, sum(amount) AS value, count(DISTINCT customer_id) AS customers
                    FROM revenue_orders GROUP BY product_id) o USING (product_id)
            ) TO {Out("product_performance")} (FORMAT parquet)
            """);
        Execute(duck, $"""
            COPY (
                SELECT CAST(order_ts AS DATE) AS order_date, CAST(sum(amount) AS DECIMAL(18,2)) AS revenue, count(*) AS orders,
                       count(DISTINCT customer_id) AS customers
                FROM revenue_orders GROUP BY 1
            ) TO {Out("daily_revenue")} (FORMAT parquet)
            """);
    }

    /// <summary>Rows of a Parquet file the hand-written run wrote, to set beside the pipeline's table.</summary>
    public static long Count(string output, string name)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM '{Path.Combine(output, name + ".parquet")}'";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
