using System.Globalization;
using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Gold;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Tests.Reference;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Gold;

/// <summary>Gold models brought up to date key by key when silver changed only by batches of the silver job on the same
/// day, and rebuilt whole when anything else changed silver: either way the table must equal a full build.</summary>
public sealed class IncrementalGoldTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["customer_360", "product_performance", "daily_revenue"];

    [Fact]
    public async Task Run_DemoBatchSameDay_CustomerGoldUpdatedKeyByKeyAndEqualToTheReference()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "inc-1", Anchor.AddHours(5));

        // New orders, status updates, a late version, a delete: a few dozen order keys against 200 customers.
        var batch = DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 2, Anchor = Anchor });
        Assert.True(batch.DeletedOrders > 0 && batch.LateOrders > 0 && batch.UpdatedOrders > 0);
        var now = Anchor.AddHours(6);
        var outcomes = await RunAsync(h, config, "inc-2", now);

        // customer_360 is updated key by key; the small tables (40 products, a day per order date) are rebuilt.
        var customers = await UpdatedKeysAsync(h, config, "customer_360");
        Assert.NotNull(customers);
        Assert.InRange(customers.Value, 1, 2 * (batch.OrderLines + batch.CustomerLines));
        Assert.Equal(customers, outcomes.Single(o => o.Task.Id == "gold_customer_360").Report!.RecordsWritten);
        Assert.Null(await UpdatedKeysAsync(h, config, "product_performance"));

        // Expected values: the reference computes silver and gold from the landing files in plain C#.
        var silver = ReferenceSilver.Compute(h.Landing);
        ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(silver, now), await h.Table(config, "gold.customer_360").CollectAsync());
        ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(silver), await h.Table(config, "gold.product_performance").CollectAsync());
        ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(silver), await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Run_DayLosesItsOnlyOrder_ItsDailyRevenueRowIsRemovedKeyByKey()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "day-1", Anchor.AddHours(5));
        var product = (await h.Table(config, "silver.products").Select("product_id").Limit(1).CollectAsync())[0].Get<string>("product_id")!;
        var customer = (await h.Table(config, "silver.customers").Select("customer_id").Limit(1).CollectAsync())[0].Get<string>("customer_id")!;
        var lonelyDay = new DateOnly(2025, 6, 1);

        // An order on a day no other order has, then a late version of it (older sequence: must not win).
        h.Land("orders/zz-1.json", Order("O-LONELY", customer, product, "12.50", "2026-03-01 01:00:00", false));
        await RunAsync(h, config, "day-2", Anchor.AddHours(6));
        h.Land("orders/zz-2.json", Order("O-LONELY", customer, product, "99.00", "2026-03-01 00:30:00", false));
        await RunAsync(h, config, "day-3", Anchor.AddHours(7));

        var day = await h.Table(config, "gold.daily_revenue").Filter(Col("order_date") == Lit(lonelyDay)).CollectAsync();
        Assert.Equal(12.50m, Convert.ToDecimal(Assert.Single(day)["revenue"], CultureInfo.InvariantCulture));
        Assert.NotNull(await UpdatedKeysAsync(h, config, "daily_revenue"));

        // The delete removes the day's only order, so a full build has no row for the day.
        h.Land("orders/zz-3.json", Order("O-LONELY", customer, product, "12.50", "2026-03-01 02:00:00", true));
        await RunAsync(h, config, "day-4", Anchor.AddHours(8));

        Assert.Equal(1, await UpdatedKeysAsync(h, config, "daily_revenue"));
        Assert.Equal(0, await h.Table(config, "gold.daily_revenue").Filter(Col("order_date") == Lit(lonelyDay)).CountAsync());
        foreach (var model in Models)
        {
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(8));
        }
    }

    [Fact]
    public async Task Run_AfterQuarantineReplay_GoldIsRebuiltWhole()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "replay-1", Anchor.AddHours(5));

        // Negative amounts become a warning: the replay merges the quarantined rows into silver outside any batch.
        var relaxed = h.Config(DemoData.PipelineFile, "sources.orders.expectations.3.action=warn");
        var replay = await h.RunAsync(relaxed, JobKind.Replay, "orders", runId: "replay-2");
        Assert.True(replay.RecordsWritten > 0, h.Logs.ToString());
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 2, Anchor = Anchor });
        await RunAsync(h, relaxed, "replay-3", Anchor.AddHours(6));

        Assert.Null(await UpdatedKeysAsync(h, config, "customer_360"));
        Assert.Contains("not a batch of the silver job", h.Logs.ToString(), StringComparison.Ordinal);
        foreach (var model in Models)
        {
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(6));
        }
    }

    [Fact]
    public async Task Run_AfterManualUpdateOfSilver_GoldIsRebuiltWholeAndKeyByKeyAgainAfterIt()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "manual-1", Anchor.AddHours(5));

        // Someone doubles every amount of one customer's orders by hand: no batch names that customer.
        var customer = (await h.Table(config, "silver.orders").Select("customer_id").Limit(1).CollectAsync())[0].Get<string>("customer_id")!;
        await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "silver.orders"))
            .UpdateAsync(Col("customer_id") == Lit(customer), new Dictionary<string, Column> { ["amount"] = Col("amount") * Lit(2) });
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 2, Anchor = Anchor });
        await RunAsync(h, config, "manual-2", Anchor.AddHours(6));

        Assert.Null(await UpdatedKeysAsync(h, config, "customer_360"));
        await AssertEqualsFullBuildAsync(h, config, "customer_360", Anchor.AddHours(6));

        // The rebuild recorded the updated version, so the next batch is applied key by key again.
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 3, Anchor = Anchor });
        await RunAsync(h, config, "manual-3", Anchor.AddHours(7));
        Assert.NotNull(await UpdatedKeysAsync(h, config, "customer_360"));
        foreach (var model in Models)
        {
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(7));
        }
    }

    private static string Order(string id, string customer, string product, string amount, string updatedAt, bool deleted) =>
        $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","product_id":"{{product}}","quantity":"1","amount":"{{amount}}","status":"placed","order_ts":"2025-06-01 10:00:00","updated_at":"{{updatedAt}}","is_deleted":"{{(deleted ? "true" : "false")}}"}""" + "\n";

    private static async Task<IReadOnlyList<TaskOutcome>> RunAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now)
    {
        var outcomes = await h.Graph(config, new RunSettings { RunId = runId, Clock = new FixedClock(now) }).RunAsync(parallelism: 3);
        Assert.True(outcomes.All(o => o.State == TaskState.Succeeded),
            string.Join(Environment.NewLine, outcomes.Select(o => $"{o.Task.Id}: {o.State} {o.Report?.Error}")) + Environment.NewLine + h.Logs);
        return outcomes;
    }

    /// <summary>The keys the newest commit of the gold table recomputed, or null when that commit is a full build.</summary>
    private static async Task<long?> UpdatedKeysAsync(PipelineHarness h, PipelineConfig config, string model)
    {
        var metadata = (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, $"gold.{model}")).History(1).Select("userMetadata").CollectAsync())[0]
            .Get<string>("userMetadata")!;
        using var json = JsonDocument.Parse(metadata);
        return json.RootElement.TryGetProperty("updated_keys", out var keys) ? keys.GetInt64() : null;
    }

    /// <summary>The gold table equals the model built whole, now, from the current silver tables (customers as their
    /// current rows), compared as multisets of rows.</summary>
    private static async Task AssertEqualsFullBuildAsync(PipelineHarness h, PipelineConfig config, string model, DateTimeOffset now)
    {
        DataFrame Read(string table)
        {
            var frame = h.Table(config, table);
            return table == "silver.customers" ? frame.Filter(Col("is_current")) : frame;
        }

        var rebuilt = await GoldModels.Get(model).Build(Read, now).CollectAsync();
        var table = await h.Table(config, $"gold.{model}").CollectAsync();
        Assert.NotEmpty(rebuilt);
        Assert.Equal(Texts(rebuilt), Texts(table));
    }

    private static List<string> Texts(IReadOnlyList<Row> rows) =>
        [.. rows.Select(r => string.Join("|", r.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null"))).Order(StringComparer.Ordinal)];

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
