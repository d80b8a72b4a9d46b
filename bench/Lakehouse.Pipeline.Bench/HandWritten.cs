using System.Globalization;
using DuckDB.NET.Data;

namespace Lakehouse.Pipeline.Bench;

/// <summary>
/// The demo pipeline's transformations hand-written in DuckDB SQL over the same raw landing files, step for step:
/// bronze (every raw record kept — a line that is not a JSON object goes whole into <c>_rescued_data</c> — with the
/// metadata columns, written as Parquet partitioned by <c>_ingestion_date</c>); silver read back from the bronze Parquet
/// (trim with blanks to null, lower-case, try-casts whose failures are flagged, defaults, the implicit and configured
/// row expectations, quarantine tables with the rule names and reasons, latest version per business key by
/// <c>updated_at</c> then ingestion, order deletes kept as tombstones, customers as SCD type 2 history derived from a
/// changes log); the configured table checks of silver and gold as SQL queries (<see cref="HandWrittenChecks"/>) with
/// examples for failed checks and a results file; the three gold aggregates over the current silver rows.
/// </summary>
/// <remarks>
/// Left out, because they are mechanism rather than transformation: Delta transaction logs, MERGE into existing tables
/// (this writes each table whole, once), idempotency and run bookkeeping (manifest, job runs), and the row-count
/// history check (a first run has no history). Customer CSV lines are parsed strictly (the demo writes none malformed).
/// </remarks>
internal static class HandWritten
{
    private static readonly string[] OrderColumns = ["order_id", "customer_id", "product_id", "quantity", "amount", "status", "order_ts", "updated_at", "is_deleted"];
    private static readonly string[] ProductColumns = ["product_id", "name", "category", "price", "updated_at"];
    private static readonly string[] CustomerColumns = ["customer_id", "name", "email", "country", "region", "segment", "signup_date", "updated_at"];

    // The quarantining rules of each source: the implicit ones (malformed record, null business key, failed casts, null
    // sequence for SCD2) and the pipeline file's expectations with action quarantine.
    private static readonly string[] OrderRules =
    [
        "malformed_record", "business_key_not_null", "cast_quantity", "cast_amount", "cast_order_ts", "cast_updated_at", "cast_is_deleted",
        "has_order_id", "has_customer", "valid_quantity", "amount_not_negative",
    ];

    private static readonly string[] ProductRules = ["malformed_record", "business_key_not_null", "cast_price", "cast_updated_at", "has_product_id", "price_not_negative"];

    private static readonly string[] CustomerRules =
        ["malformed_record", "business_key_not_null", "sequence_not_null", "cast_signup_date", "cast_updated_at", "has_customer_id"];

    public static void Run(IReadOnlyList<string> files, string output)
    {
        Directory.CreateDirectory(output);
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        var now = DateTimeOffset.UtcNow;
        var stamp = $"TIMESTAMPTZ '{now:yyyy-MM-dd HH:mm:ss.ffffff}+00'";
        string List(string kind) => "[" + string.Join(", ", files.Where(f => f.Contains(Path.DirectorySeparatorChar + kind + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Select(f => $"'{f}'")) + "]";
        string Out(string name) => $"'{Path.Combine(output, name)}'";
        string Meta(string source) =>
            $"{stamp} AS _ingested_at, filename AS _source_file, '{source}' AS _source_name, DATE '{now:yyyy-MM-dd}' AS _ingestion_date, CAST(1 AS BIGINT) AS _batch_id";

        // Bronze: the raw records as text columns, nothing dropped.
        foreach (var (source, columns) in new[] { ("orders", OrderColumns), ("products", ProductColumns) })
        {
            Execute(duck, $"""
                COPY (
                    SELECT {string.Join(", ", columns.Select(c => $"j.{c} AS {c}"))}, CASE WHEN NOT ok THEN line END AS _rescued_data, {Meta(source)}
                    FROM (SELECT *, CASE WHEN ok THEN from_json(line, '{"{"}{string.Join(", ", columns.Select(c => $"\"{c}\": \"VARCHAR\""))}{"}"}') END AS j
                          FROM (SELECT line, filename, json_valid(line) AND left(ltrim(line), 1) = '{"{"}' AS ok
                                FROM read_csv({List(source)}, columns = {"{"}'line': 'VARCHAR'{"}"}, header = false, auto_detect = false,
                                              delim = '\x1e', quote = '', escape = '', filename = true)))
                ) TO {Out("bronze_" + source)} (FORMAT parquet, PARTITION_BY (_ingestion_date))
                """);
        }

        Execute(duck, $"""
            COPY (
                SELECT {string.Join(", ", CustomerColumns)}, CAST(NULL AS VARCHAR) AS _rescued_data, {Meta("customers")}
                FROM read_csv({List("customers")}, header = true, all_varchar = true, filename = true)
            ) TO {Out("bronze_customers")} (FORMAT parquet, PARTITION_BY (_ingestion_date))
            """);

        string Bronze(string source) => $"read_parquet('{Path.Combine(output, "bronze_" + source)}/**/*.parquet', hive_partitioning = true)";

        // Silver orders: clean, flag, quarantine, latest per key, deletes as tombstones.
        Execute(duck, $"""
            CREATE TABLE orders_clean AS
            SELECT * REPLACE ({RawOnlyIfQuarantined(OrderColumns)}) FROM (
            SELECT *, {AnyOf(OrderRules)} AS quarantined FROM (SELECT *, {Flags(
                ("has_order_id", "order_id IS NOT NULL"), ("has_customer", "customer_id IS NOT NULL"),
                ("valid_quantity", "quantity IS NOT NULL AND quantity > 0"), ("amount_not_negative", "amount >= 0"))}
            FROM (
                SELECT {Trim("order_id")} AS order_id, {Trim("customer_id")} AS customer_id, {Trim("product_id")} AS product_id,
                       {Cast("quantity", "INTEGER")} AS quantity, {Cast("amount", "DECIMAL(12,2)")} AS amount,
                       coalesce(lower({Trim("status")}), 'unknown') AS status, {Cast("order_ts", "TIMESTAMP")} AS order_ts,
                       {Cast("updated_at", "TIMESTAMP")} AS updated_at, {Cast("is_deleted", "BOOLEAN")} AS is_deleted,
                       {CastFails("quantity", "INTEGER")} AS cast_quantity, {CastFails("amount", "DECIMAL(12,2)")} AS cast_amount,
                       {CastFails("order_ts", "TIMESTAMP")} AS cast_order_ts, {CastFails("updated_at", "TIMESTAMP")} AS cast_updated_at,
                       {CastFails("is_deleted", "BOOLEAN")} AS cast_is_deleted,
                       _rescued_data IS NOT NULL AS malformed_record, {Trim("order_id")} IS NULL AS business_key_not_null,
                       {Raw(OrderColumns)}, _rescued_data, _ingested_at, _source_file, _batch_id
                FROM {Bronze("orders")})))
            """);
        Quarantine(duck, "orders", OrderColumns, Out("orders_quarantine.parquet"), now, OrderRules);
        Execute(duck, """
            CREATE TABLE orders_latest AS
            SELECT order_id, customer_id, product_id, quantity, amount, status, order_ts, updated_at, is_deleted, _ingested_at
            FROM orders_clean WHERE NOT quarantined
            QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC, _ingested_at DESC, _source_file DESC) = 1
            """);
        Execute(duck, $"COPY (SELECT order_id, updated_at, _ingested_at FROM orders_latest WHERE coalesce(is_deleted, false)) TO {Out("orders_tombstones.parquet")} (FORMAT parquet)");
        Execute(duck, """
            CREATE TABLE silver_orders AS
            SELECT order_id, customer_id, product_id, quantity, amount, status, order_ts, updated_at, is_deleted
            FROM orders_latest WHERE NOT coalesce(is_deleted, false)
            """);

        // Silver products: latest per key.
        Execute(duck, $"""
            CREATE TABLE products_clean AS
            SELECT *, {AnyOf(ProductRules)} AS quarantined FROM (SELECT *, {Flags(("has_product_id", "product_id IS NOT NULL"), ("price_not_negative", "price >= 0"))}
            FROM (
                SELECT {Trim("product_id")} AS product_id, {Trim("name")} AS name, lower({Trim("category")}) AS category,
                       {Cast("price", "DECIMAL(10,2)")} AS price, {Cast("updated_at", "TIMESTAMP")} AS updated_at,
                       {CastFails("price", "DECIMAL(10,2)")} AS cast_price, {CastFails("updated_at", "TIMESTAMP")} AS cast_updated_at,
                       _rescued_data IS NOT NULL AS malformed_record, {Trim("product_id")} IS NULL AS business_key_not_null,
                       {Raw(ProductColumns)}, _rescued_data, _ingested_at, _source_file, _batch_id
                FROM {Bronze("products")}))
            """);
        Quarantine(duck, "products", ProductColumns, Out("products_quarantine.parquet"), now, ProductRules);
        Execute(duck, """
            CREATE TABLE silver_products AS
            SELECT product_id, name, category, price, updated_at FROM products_clean WHERE NOT quarantined
            QUALIFY row_number() OVER (PARTITION BY product_id ORDER BY updated_at DESC, _ingested_at DESC, _source_file DESC) = 1
            """);

        Customers(duck, Bronze("customers"), Out, now);

        foreach (var table in new[] { "silver_orders", "silver_customers", "silver_products" })
        {
            Execute(duck, $"COPY {table} TO {Out(table + ".parquet")} (FORMAT parquet)");
        }

        HandWrittenChecks.Silver(duck);
        Gold(duck, now, Out);
        HandWrittenChecks.Gold(duck);
        Execute(duck, $"COPY dq_results TO {Out("dq_results.parquet")} (FORMAT parquet)");
    }

    /// <summary>Customers as SCD type 2: the changes log (first stored version per key and <c>updated_at</c>), then per key
    /// a row for every change that differs from the one before it, valid until the next such row.</summary>
    private static void Customers(DuckDBConnection duck, string bronze, Func<string, string> output, DateTimeOffset now)
    {
        Execute(duck, $"""
            CREATE TABLE customers_clean AS
            SELECT *, {AnyOf(CustomerRules)} AS quarantined FROM (SELECT *, {Flags(("has_customer_id", "customer_id IS NOT NULL"), ("has_email", "email IS NOT NULL"))}
            FROM (
                SELECT {Trim("customer_id")} AS customer_id, {Trim("name")} AS name, lower({Trim("email")}) AS email, {Trim("country")} AS country,
                       {Trim("region")} AS region, lower({Trim("segment")}) AS segment, {Cast("signup_date", "DATE")} AS signup_date,
                       {Cast("updated_at", "TIMESTAMP")} AS updated_at,
                       {CastFails("signup_date", "DATE")} AS cast_signup_date, {CastFails("updated_at", "TIMESTAMP")} AS cast_updated_at,
                       _rescued_data IS NOT NULL AS malformed_record, {Trim("customer_id")} IS NULL AS business_key_not_null,
                       {Cast("updated_at", "TIMESTAMP")} IS NULL AS sequence_not_null,
                       {Raw(CustomerColumns)}, _rescued_data, _ingested_at, _source_file, _batch_id
                FROM {bronze}))
            """);
        // has_email only warns: it is counted, the rows stay.
        Execute(duck, "CREATE TABLE customers_warned AS SELECT count(*) FILTER (WHERE has_email) AS has_email FROM customers_clean");
        Quarantine(duck, "customers", CustomerColumns, output("customers_quarantine.parquet"), now, CustomerRules);
        Execute(duck, """
            CREATE TABLE customer_changes AS
            SELECT customer_id, name, email, country, region, segment, signup_date, updated_at, _ingested_at, _source_file, _batch_id
            FROM customers_clean WHERE NOT quarantined
            QUALIFY row_number() OVER (PARTITION BY customer_id, updated_at ORDER BY _ingested_at DESC, _source_file DESC) = 1
            """);
        Execute(duck, $"COPY customer_changes TO {output("customers_changes.parquet")} (FORMAT parquet)");
        Execute(duck, """
            CREATE TABLE silver_customers AS
            SELECT * EXCLUDE (opens), updated_at AS valid_from,
                   lead(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) AS valid_to,
                   lead(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) IS NULL AS is_current
            FROM (
                SELECT *, row_number() OVER w = 1
                          OR (name, email, country, region, segment, signup_date) IS DISTINCT FROM
                             (lag(name) OVER w, lag(email) OVER w, lag(country) OVER w, lag(region) OVER w, lag(segment) OVER w, lag(signup_date) OVER w) AS opens
                FROM customer_changes WINDOW w AS (PARTITION BY customer_id ORDER BY updated_at))
            WHERE opens
            """);
    }

    private static void Gold(DuckDBConnection duck, DateTimeOffset now, Func<string, string> output)
    {
        // docs/pipeline-quality-gold.md, gold models: revenue orders are those not cancelled or returned; an SCD2 input is
        // read as its current rows; ages are measured to the run's UTC date; the average order value is the exact mean
        // rounded half up to cents (DuckDB's avg of a decimal is a double), here in integer cents.
        Execute(duck, "CREATE VIEW revenue_orders AS SELECT * FROM silver_orders WHERE coalesce(status, '') NOT IN ('cancelled', 'returned')");
        Execute(duck, $"""
            CREATE TABLE customer_360 AS
            SELECT c.customer_id, c.name, c.email, c.segment, c.region, c.country, coalesce(o.orders, 0) AS orders,
                   CAST(coalesce(o.value, 0) AS DECIMAL(18,2)) AS lifetime_value, CAST(CAST((CAST(o.value * 100 AS BIGINT) * 2 + o.orders) // (2 * o.orders) AS DECIMAL(20,0)) * 0.01 AS DECIMAL(18,2)) AS avg_order_value,
                   o.first_order AS first_order_date, o.last_order AS last_order_date, date_diff('day', c.signup_date, DATE '{now:yyyy-MM-dd}') AS tenure_days
            FROM (SELECT * FROM silver_customers WHERE is_current) c LEFT JOIN (
                SELECT customer_id, count(*) AS orders, sum(amount) AS value,
                       min(CAST(order_ts AS DATE)) AS first_order, max(CAST(order_ts AS DATE)) AS last_order
                FROM revenue_orders GROUP BY customer_id) o USING (customer_id)
            """);
        Execute(duck, """
            CREATE TABLE product_performance AS
            SELECT p.product_id, p.name, p.category, p.price, coalesce(o.orders, 0) AS orders, CAST(coalesce(o.units, 0) AS BIGINT) AS units_sold,
                   CAST(coalesce(o.value, 0) AS DECIMAL(18,2)) AS revenue, coalesce(o.customers, 0) AS unique_customers
            FROM silver_products p LEFT JOIN (
                SELECT product_id, count(*) AS orders, sum(quantity) AS units, sum(amount) AS value, count(DISTINCT customer_id) AS customers
                FROM revenue_orders GROUP BY product_id) o USING (product_id)
            """);
        Execute(duck, """
            CREATE TABLE daily_revenue AS
            SELECT CAST(order_ts AS DATE) AS order_date, CAST(sum(amount) AS DECIMAL(18,2)) AS revenue, count(*) AS orders,
                   count(DISTINCT customer_id) AS customers
            FROM revenue_orders GROUP BY 1
            """);
        foreach (var table in new[] { "customer_360", "product_performance", "daily_revenue" })
        {
            Execute(duck, $"COPY {table} TO {output(table + ".parquet")} (FORMAT parquet)");
        }
    }

    /// <summary>Writes the rows of <c>&lt;source&gt;_clean</c> that quarantine rules reject, with the raw values, lineage,
    /// rule names and reasons.</summary>
    private static void Quarantine(DuckDBConnection duck, string source, string[] columns, string output, DateTimeOffset now, string[] rules)
    {
        Execute(duck, $"""
            COPY (
                SELECT {string.Join(", ", columns.Select(c => $"raw_{c} AS {c}"))}, _rescued_data, _source_file, _batch_id, _ingested_at,
                       concat_ws(',', {string.Join(", ", rules.Select(r => $"CASE WHEN {r} THEN '{r}' END"))}) AS _rules,
                       concat_ws('; ', {string.Join(", ", rules.Select(r => $"CASE WHEN {r} THEN '{r}: rejected' END"))}) AS _reason,
                       'handwritten' AS _run_id, TIMESTAMPTZ '{now:yyyy-MM-dd HH:mm:ss}+00' AS _quarantined_at
                FROM {source}_clean WHERE quarantined
            ) TO {output} (FORMAT parquet)
            """);
    }

    private static string AnyOf(string[] rules) => "(" + string.Join(" OR ", rules) + ")";

    /// <summary>A configured expectation fails when its condition is false or null.</summary>
    private static string Flags(params (string Name, string Condition)[] rules) =>
        string.Join(", ", rules.Select(r => $"NOT coalesce({r.Condition}, false) AS {r.Name}"));

    private static string Trim(string column) => $"nullif(trim({column}), '')";

    private static string Cast(string column, string type) => $"TRY_CAST(nullif(trim({column}), '') AS {type})";

    private static string CastFails(string column, string type) => $"(nullif(trim({column}), '') IS NOT NULL AND {Cast(column, type)} IS NULL)";

    private static string Raw(string[] columns) => string.Join(", ", columns.Select(c => $"{c} AS raw_{c}"));

    // Only the quarantine reads the raw texts, so rows that pass keep none (as the pipeline's persisted copy does).
    private static string RawOnlyIfQuarantined(string[] columns) => string.Join(", ", columns.Select(c => $"CASE WHEN quarantined THEN raw_{c} END AS raw_{c}"));

    /// <summary>Rows of a Parquet file the hand-written run wrote, to set beside the pipeline's table.</summary>
    public static long Count(string output, string name) =>
        Convert.ToInt64(Query(output, $"SELECT count(*) FROM '{Path.Combine(output, name + ".parquet")}'")[0], CultureInfo.InvariantCulture);

    /// <summary>The values of <paramref name="aggregates"/> (SQL text that Spark and DuckDB evaluate alike) over a gold
    /// table the hand-written run wrote, as text.</summary>
    public static IReadOnlyList<string> Fingerprint(string output, string name, IReadOnlyList<string> aggregates) =>
        [.. Query(output, $"SELECT {string.Join(", ", aggregates)} FROM '{Path.Combine(output, name + ".parquet")}'").Select(v => v?.ToString() ?? "null")];

    private static object?[] Query(string output, string sql)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))];
    }

    internal static void Execute(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
