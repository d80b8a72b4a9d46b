using System.Globalization;
using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Quality;

/// <summary>
/// Table checks judged from the rows a silver batch wrote, when every commit since an earlier passing result is a
/// silver-job MERGE: each result must equal a full check of the same version, computed here from the table's rows in
/// plain C#; and anything else since (manual DML, a check that failed, a key lost in the other table) is checked in full.
/// </summary>
public sealed class IncrementalChecksTests
{
    private const string Incrementally = "Checked incrementally";
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Statuses = ["placed", "shipped"];

    private const string Yaml = """
        name: t
        warehouse: w
        landing: l
        sources:
          - name: orders
            format: json
            path: orders
            schema: "order_id STRING, ref STRING, customer_id STRING, product_id STRING, status STRING, amount STRING, order_ts STRING, updated_at STRING, is_deleted STRING"
            business_key: [order_id]
            sequence: updated_at
            delete_flag: is_deleted
            clean:
              cast: { amount: "decimal(12,2)", order_ts: timestamp, updated_at: timestamp, is_deleted: boolean }
          - name: products
            format: json
            path: products
            schema: "product_id STRING, name STRING, updated_at STRING, is_deleted STRING"
            business_key: [product_id]
            sequence: updated_at
            delete_flag: is_deleted
            clean:
              cast: { updated_at: timestamp, is_deleted: boolean }
        checks:
          silver.orders:
            - { name: customer_not_null, type: not_null, columns: [customer_id], severity: warning }
            - { name: ref_unique, type: unique, columns: [ref], severity: warning }
            - { name: status_values, type: accepted_values, column: status, values: [placed, shipped], severity: warning }
            - { name: amount_range, type: range, column: amount, min: 0, max: 100, severity: warning }
            - { name: product_exists, type: relationship, column: product_id, to: silver.products, to_column: product_id, severity: warning }
            - { name: fresh, type: freshness, column: order_ts, max_age_hours: 48, severity: warning }
            - { name: volume, type: row_count_change, max_change_percent: 1000, severity: warning }
        """;

    private static readonly string[] Compared = ["customer_not_null", "ref_unique", "status_values", "amount_range", "product_exists", "fresh"];

    [Fact]
    public async Task Run_BatchThatKeepsEveryCheckPassing_EachCheckIncrementalAndEqualToAFullCheck()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await FirstBatchAsync(h, config);

        // New orders, an update and a delete; in products a renamed product (an update by key) and a new one.
        h.Land("orders/b2.json", Lines(
            Order("O5", "R5", "C1", "P3", "placed", "40.00", 3, 2),
            Order("O6", "R6", "C2", "P4", "placed", "50.00", 4, 2),
            Order("O2", "R2", "C2", "P2", "shipped", "20.00", 1, 3),
            Order("O3", "R3", "C3", "P1", "placed", "30.00", 1, 3, deleted: true)));
        h.Land("products/b2.json", Lines(Product("P1", "renamed", 2), Product("P4", "new", 2)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var results = await ResultsAsync(h, config, "q2");
        var full = await FullCheckAsync(h, config, now);
        Assert.Equal(5, full.Rows);
        foreach (var check in Compared)
        {
            Assert.True(full.Expected[check].Passed, check);
            Assert.Equal(full.Expected[check], (results[check].Passed, results[check].Observed, results[check].Failing));
            Assert.Contains(Incrementally, results[check].Message, StringComparison.Ordinal);
        }

        Assert.All(results.Values, r => Assert.Equal(full.Rows, r.Total));
        // The bases name the version checked, so the next run starts from it.
        var version = await VersionAsync(h, config, "silver.orders");
        Assert.All(Compared, c => Assert.Contains($"silver.orders v{version} @", results[c].Basis, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_BatchThatBreaksEachCheck_IncrementalFailuresEqualAFullCheck()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await FirstBatchAsync(h, config);

        // Only inserts, each new order breaking one check: a repeated ref, a null customer, an unknown status, an amount
        // out of range, an unknown product; all of them older than batch 1's newest order, and the clock moves on 3 days.
        h.Land("orders/b2.json", Lines(
            Order("O7", "R1", "C1", "P1", "placed", "10.00", 0, 2),
            Order("O8", "R8", null, "P1", "placed", "10.00", 0, 2),
            Order("O9", "R9", "C1", "P1", "weird", "10.00", 0, 2),
            Order("O10", "R10", "C1", "P1", "placed", "500.00", 0, 2),
            Order("O11", "R11", "C1", "P9", "placed", "10.00", 0, 2)));
        var now = Anchor.AddHours(80);
        await RunAsync(h, config, "q2", now);

        var results = await ResultsAsync(h, config, "q2");
        var full = await FullCheckAsync(h, config, now);
        foreach (var check in Compared)
        {
            Assert.False(full.Expected[check].Passed, check);
            Assert.Equal(full.Expected[check], (results[check].Passed, results[check].Observed, results[check].Failing));
            Assert.Contains(Incrementally, results[check].Message, StringComparison.Ordinal);
            Assert.Equal(full.Rows, results[check].Total);
        }

        Assert.Equal(["R1 (x2)"], results["ref_unique"].Examples);
        Assert.Equal(["P9 (x1)"], results["product_exists"].Examples);
        Assert.Equal(["weird (x1)"], results["status_values"].Examples);
        Assert.Equal(["500.00 (x1)"], results["amount_range"].Examples);
        Assert.Contains("order_id=O8", Assert.Single(results["customer_not_null"].Examples), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NewestOrderUpdatedToAnOlderTime_FreshnessScansTheTableAndEqualsAFullCheck()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await FirstBatchAsync(h, config);

        // O4 held the newest order_ts; its update moves it back, and the new order is older still: the newest value now
        // is neither the one measured then nor a new row's.
        h.Land("orders/b2.json", Lines(
            Order("O4", "R4", "C1", "P1", "placed", "10.00", 1, 3),
            Order("O5", "R5", "C1", "P1", "placed", "10.00", 0, 3)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var result = (await ResultsAsync(h, config, "q2"))["fresh"];
        var full = await FullCheckAsync(h, config, now);
        Assert.Equal(Math.Round((now - At(1)).TotalHours, 3), full.Expected["fresh"].Observed);
        Assert.Equal(full.Expected["fresh"], (result.Passed, result.Observed, result.Failing));
        Assert.Contains("scanning the table", h.Logs.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task Run_ManualDmlOnSilver_EveryCheckRunsInFull(string dml)
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await FirstBatchAsync(h, config);
        var silver = DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "silver.orders"));
        if (dml == "update")
        {
            // An old row goes out of range and loses its customer: the new rows alone would not show it.
            await silver.UpdateAsync(Col("order_id") == Lit("O1"), new Dictionary<string, Lakehouse.Spark.Column>
            {
                ["amount"] = Lit(500m).Cast("decimal(12,2)"),
                ["customer_id"] = Lit(null).Cast("string"),
            });
        }
        else
        {
            await silver.DeleteAsync(Col("order_id") == Lit("O2"));
        }

        h.Land("orders/b2.json", Lines(Order("O5", "R5", "C1", "P1", "placed", "10.00", 3, 2)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var results = await ResultsAsync(h, config, "q2");
        var full = await FullCheckAsync(h, config, now);
        foreach (var check in Compared)
        {
            Assert.Equal(full.Expected[check], (results[check].Passed, results[check].Observed, results[check].Failing));
            Assert.DoesNotContain(Incrementally, results[check].Message, StringComparison.Ordinal);
            Assert.Equal(full.Rows, results[check].Total);
        }

        Assert.Equal(dml == "update", !results["amount_range"].Passed);
        Assert.Contains("not a batch of the silver job", h.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ChecksThatFailedBefore_StillCountTheOldFailures()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        // Batch 1 has an amount out of range and an unknown product.
        await FirstBatchAsync(h, config, Order("O9", "R9", "C1", "P9", "placed", "500.00", 1, 1));
        var first = await ResultsAsync(h, config, "q1");
        Assert.False(first["amount_range"].Passed);
        Assert.False(first["product_exists"].Passed);

        h.Land("orders/b2.json", Lines(Order("O5", "R5", "C1", "P8", "placed", "10.00", 3, 2)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var results = await ResultsAsync(h, config, "q2");
        var full = await FullCheckAsync(h, config, now);
        foreach (var check in Compared)
        {
            Assert.Equal(full.Expected[check], (results[check].Passed, results[check].Observed, results[check].Failing));
        }

        Assert.Equal((1L, 2L), (results["amount_range"].Failing, results["product_exists"].Failing));
        Assert.DoesNotContain(Incrementally, results["amount_range"].Message, StringComparison.Ordinal);
        // A relationship that failed follows from the earlier failures and the change data feed; a row-wise check runs in full.
        Assert.Contains("change data feed", results["product_exists"].Message, StringComparison.Ordinal);
        Assert.Equal(["P8 (x1)", "P9 (x1)"], results["product_exists"].Examples);
        Assert.Contains(Incrementally, results["ref_unique"].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    // Products kept as history: the check sees their current rows, and a rename closes one and opens another.
    [InlineData(true)]
    public async Task Run_RelationshipThatFailed_FollowsFromTheChangeDataFeedAndEqualsAFullCheck(bool history)
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(history ? HistoryProducts(Yaml) : Yaml);
        // Batch 1: P9 twice, P8 and P7 once are missing from products (all four values shown, so every orphan is known).
        await FirstBatchAsync(h, config,
            Order("O9", "R9", "C1", "P9", "placed", "10.00", 1, 1),
            Order("O10", "R10", "C1", "P9", "placed", "10.00", 1, 1),
            Order("O11", "R11", "C1", "P8", "placed", "10.00", 1, 1),
            Order("O12", "R12", "C1", "P7", "placed", "10.00", 1, 1));
        var first = (await ResultsAsync(h, config, "q1"))["product_exists"];
        Assert.Equal((false, 4L), (first.Passed, first.Failing));

        // Every kind of change: a new order of a missing product and one of a new missing product, a deleted order of a
        // missing one, an updated order; in products P7 arrives (its old order is fixed) and P2 goes (two old orders break).
        h.Land("orders/b2.json", Lines(
            Order("O13", "R13", "C1", "P8", "placed", "10.00", 3, 2),
            Order("O14", "R14", "C1", "P6", "placed", "10.00", 3, 2),
            Order("O10", "R10", "C1", "P9", "placed", "10.00", 1, 3, deleted: true),
            Order("O3", "R3", "C3", "P1", "shipped", "35.00", 1, 3)));
        h.Land("products/b2.json", Lines(Product("P7", "seven", 2), Product("P2", "gone", 2, deleted: true), Product("P1", "renamed", 2)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var result = (await ResultsAsync(h, config, "q2"))["product_exists"];
        var full = await FullCheckAsync(h, config, now, history);
        Assert.Equal((false, 6.0, 6L), full.Expected["product_exists"]);
        Assert.Equal(full.Expected["product_exists"], (result.Passed, result.Observed, result.Failing));
        Assert.Equal(await OrphanExamplesAsync(h, config, history), result.Examples);
        Assert.Equal(["P2 (x2)", "P8 (x2)", "P6 (x1)", "P9 (x1)"], result.Examples);
        Assert.Contains("change data feed", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    // A new missing value that ranks above the fifth example shown, and the order of a value never shown updated: the
    // examples follow from the change.
    [InlineData(false, true)]
    // The first example's order is deleted: a value never shown (P96) enters the examples, so the check runs in full.
    [InlineData(true, false)]
    public async Task Run_RelationshipThatFailedWithMoreMissingValuesThanShown_ExamplesEqualAFullCheck(bool deleteShown, bool fromFeed)
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await FirstBatchAsync(h, config, [.. Enumerable.Range(91, 6).Select(i => Order($"O{i}", $"R{i}", "C1", $"P{i}", "placed", "10.00", 1, 1))]);
        Assert.Equal(5, (await ResultsAsync(h, config, "q1"))["product_exists"].Examples.Length);

        h.Land("orders/b2.json", deleteShown
            ? Lines(Order("O91", "R91", "C1", "P91", "placed", "10.00", 1, 3, deleted: true))
            : Lines(Order("O90", "R90", "C1", "P90", "placed", "10.00", 3, 2), Order("O96", "R96", "C1", "P96", "shipped", "10.00", 1, 3)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var result = (await ResultsAsync(h, config, "q2"))["product_exists"];
        var full = await FullCheckAsync(h, config, now);
        Assert.Equal(full.Expected["product_exists"], (result.Passed, result.Observed, result.Failing));
        Assert.Equal(await OrphanExamplesAsync(h, config), result.Examples);
        Assert.Equal(fromFeed, result.Message.Contains("change data feed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_OtherTableLostAKey_RelationshipRunsInFullAndFindsTheOldOrphans()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await FirstBatchAsync(h, config);

        // P2, which the old orders O2 and O4 refer to, is deleted; the new order is fine.
        h.Land("products/b2.json", Lines(Product("P2", "gone", 2, deleted: true)));
        h.Land("orders/b2.json", Lines(Order("O5", "R5", "C1", "P1", "placed", "10.00", 3, 2)));
        var now = Anchor.AddHours(10);
        await RunAsync(h, config, "q2", now);

        var result = (await ResultsAsync(h, config, "q2"))["product_exists"];
        var full = await FullCheckAsync(h, config, now);
        Assert.Equal((false, 2.0, 2L), full.Expected["product_exists"]);
        Assert.Equal(full.Expected["product_exists"], (result.Passed, result.Observed, result.Failing));
        Assert.DoesNotContain(Incrementally, result.Message, StringComparison.Ordinal);
        Assert.Equal(["P2 (x2)"], result.Examples);
    }

    [Fact]
    public async Task Run_OnlyRowWiseChecks_RowCountFollowsFromTheMergesWithoutAFullPass()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(string.Join("\n", Yaml.Split('\n').Where(l => !l.Contains("ref_unique", StringComparison.Ordinal) && !l.Contains("product_exists", StringComparison.Ordinal))));
        Assert.Equal(5, config.Checks["silver.orders"].Count);
        await FirstBatchAsync(h, config);

        h.Land("orders/b2.json", Lines(
            Order("O5", "R5", "C1", "P1", "placed", "10.00", 3, 2),
            Order("O6", "R6", "C1", "P1", "placed", "10.00", 3, 2),
            Order("O1", "R1", "C1", "P1", "shipped", "10.00", 1, 3),
            Order("O2", "R2", "C1", "P1", "placed", "10.00", 1, 3, deleted: true)));
        var now = Anchor.AddHours(10);
        var report = await RunAsync(h, config, "q2", now);

        var full = await FullCheckAsync(h, config, now);
        Assert.Equal(5, full.Rows);
        Assert.Equal(full.Rows, report.RecordsRead);
        var results = await ResultsAsync(h, config, "q2");
        Assert.All(results.Values, r => Assert.Equal(full.Rows, r.Total));
        Assert.Contains("plus the MERGEs' inserts less deletes since", h.Logs.ToString(), StringComparison.Ordinal);
    }

    // Batch 1: four orders of products P1..P2 (O4 the newest at hour 2), products P1..P3; checked by run q1.
    private static async Task FirstBatchAsync(PipelineHarness h, PipelineConfig config, params string[] extra)
    {
        h.Land("orders/b1.json", Lines([
            Order("O1", "R1", "C1", "P1", "placed", "10.00", 0, 1),
            Order("O2", "R2", "C2", "P2", "placed", "20.00", 1, 1),
            Order("O3", "R3", "C3", "P1", "shipped", "30.00", 1, 1),
            Order("O4", "R4", "C1", "P2", "placed", "40.00", 2, 1),
            .. extra]));
        h.Land("products/b1.json", Lines(Product("P1", "one", 1), Product("P2", "two", 1), Product("P3", "three", 1)));
        await RunAsync(h, config, "q1", Anchor.AddHours(5));
    }

    private static async Task<JobRunReport> RunAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now)
    {
        foreach (var source in new[] { "products", "orders" })
        {
            foreach (var kind in new[] { JobKind.Bronze, JobKind.Silver })
            {
                var step = await h.Runner(config, runId, clock: new FixedClock(now)).RunAsync(new JobRequest(kind, source));
                Assert.True(step.Status == JobStatus.Succeeded, h.Logs.ToString());
            }
        }

        var report = await h.Runner(config, runId, clock: new FixedClock(now)).RunAsync(new JobRequest(JobKind.Quality, "silver.orders"));
        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        return report;
    }

    private sealed record Result(bool Passed, double? Observed, long Failing, long Total, string Message, string[] Examples, string? Basis);

    private static async Task<Dictionary<string, Result>> ResultsAsync(PipelineHarness h, PipelineConfig config, string runId) =>
        (await h.Table(config, TableLocations.DqResults).Filter(Col("run_id") == Lit(runId)).CollectAsync()).ToDictionary(
            r => r.Get<string>("check_name")!,
            r => new Result(r.Get<string>("status") == "passed", r.Get<double?>("observed_value"), r.Get<long>("failing_rows"), r.Get<long>("total_rows"),
                r.Get<string>("message")!, JsonSerializer.Deserialize<string[]>(r.Get<string>("examples")!)!, r.Get<string>("basis")));

    // The checks of the pipeline file evaluated here, in C#, over the table's current rows: (passed, observed, failing).
    private static async Task<(long Rows, Dictionary<string, (bool Passed, double? Observed, long Failing)> Expected)> FullCheckAsync(
        PipelineHarness h, PipelineConfig config, DateTimeOffset now, bool history = false)
    {
        var orders = await h.Table(config, "silver.orders").Select("ref", "customer_id", "product_id", "status", "amount", "order_ts").CollectAsync();
        var products = await ProductIdsAsync(h, config, history);
        var refs = orders.Select(r => r.Get<string>("ref")).Where(r => r is not null).ToList();
        var nullCustomers = orders.Count(r => r["customer_id"] is null);
        var duplicates = refs.Count - refs.Distinct().Count();
        var badStatus = orders.Count(r => r.Get<string>("status") is { } s && !Statuses.Contains(s));
        var badAmount = orders.Count(r => r.Get<decimal?>("amount") is { } a && (a < 0 || a > 100));
        var orphans = orders.Count(r => r.Get<string>("product_id") is { } p && !products.Contains(p));
        var age = Math.Round((now - orders.Select(r => r.Get<DateTimeOffset?>("order_ts")).Max()!.Value).TotalHours, 3);
        return (orders.Count, new Dictionary<string, (bool, double?, long)>
        {
            ["customer_not_null"] = Count(nullCustomers),
            ["ref_unique"] = Count(duplicates),
            ["status_values"] = Count(badStatus),
            ["amount_range"] = Count(badAmount),
            ["product_exists"] = Count(orphans),
            ["fresh"] = (age <= 48, age, 0),
        });

        static (bool, double?, long) Count(long n) => (n == 0, n, n);
    }

    // The five most frequent product ids of orders missing from products (ties by id), as "value (xN)", computed here.
    private static async Task<string[]> OrphanExamplesAsync(PipelineHarness h, PipelineConfig config, bool history = false)
    {
        var products = await ProductIdsAsync(h, config, history);
        var orders = await h.Table(config, "silver.orders").Select("product_id").CollectAsync();
        return [.. orders.Select(r => r.Get<string>("product_id")).Where(p => p is not null && !products.Contains(p))
            .GroupBy(p => p!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5).Select(g => $"{g.Key} (x{g.Count()})")];
    }

    // The product ids orders may refer to: every product, or the current ones of a history table.
    private static async Task<HashSet<string?>> ProductIdsAsync(PipelineHarness h, PipelineConfig config, bool history) =>
        (await h.Table(config, "silver.products").Select([Col("product_id"), history ? Col("is_current") : Lit(true).Alias("is_current")]).CollectAsync())
            .Where(r => r.Get<bool>("is_current")).Select(r => r.Get<string>("product_id")).ToHashSet();

    private static string HistoryProducts(string yaml) =>
        yaml.Replace("path: products\n", "path: products\n    scd2: true\n", StringComparison.Ordinal);

    private static async Task<long> VersionAsync(PipelineHarness h, PipelineConfig config, string table) =>
        (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, table)).History(1).Select("version").CollectAsync())[0].Get<long>("version");

    private static DateTimeOffset At(int hour) => Anchor.AddHours(hour);

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private static string Order(string id, string reference, string? customer, string product, string status, string amount, int orderHour, int updatedHour, bool deleted = false) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["order_id"] = id, ["ref"] = reference, ["customer_id"] = customer, ["product_id"] = product, ["status"] = status, ["amount"] = amount,
            ["order_ts"] = Time(At(orderHour)), ["updated_at"] = Time(At(updatedHour)), ["is_deleted"] = deleted ? "true" : "false",
        });

    private static string Product(string id, string name, int updatedHour, bool deleted = false) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["product_id"] = id, ["name"] = name, ["updated_at"] = Time(At(updatedHour)), ["is_deleted"] = deleted ? "true" : "false",
        });

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
