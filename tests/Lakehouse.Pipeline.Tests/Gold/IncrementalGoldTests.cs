using System.Globalization;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Gold;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Gold;

/// <summary>Gold models updated key by key when their inputs changed on the same day: the table after the update must
/// equal the model built whole from the same silver tables, and change in one commit.</summary>
public sealed class IncrementalGoldTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] KeyedModels = ["customer_360", "product_performance", "daily_revenue"];

    [Fact]
    public async Task Run_SecondDemoBatchSameDay_GoldMergedKeyByKeyEqualsAFullRebuild()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "inc-1", Anchor.AddHours(5));
        var before = await VersionsAsync(h, config);

        // Batch 2 (10 % of batch 1, as the bench's 1 %): new orders and customers, status updates, late versions, deletes,
        // segment and price changes.
        var batch = DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 2, Anchor = Anchor });
        Assert.True(batch.DeletedOrders > 0 && batch.LateOrders > 0);
        var outcomes = await RunAsync(h, config, "inc-2", Anchor.AddHours(6));

        foreach (var model in KeyedModels)
        {
            var table = $"gold.{model}";
            var commit = (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, table)).History(1).Select("version", "operation").CollectAsync())[0];
            Assert.Equal(before[table] + 1, commit.Get<long>("version"));
            Assert.Equal("MERGE", commit.Get<string>("operation"));
            await AssertEqualsFullRebuildAsync(h, config, model, Anchor.AddHours(6));
        }

        // Only the changed keys were written: far fewer rows than the customer table holds.
        var customers = outcomes.Single(o => o.Task.Id == "gold_customer_360").Report!.RecordsWritten;
        Assert.InRange(customers, 1, await h.Table(config, "gold.customer_360").CountAsync() / 2);
    }

    [Fact]
    public async Task Run_DayLosesItsOnlyOrder_ItsDailyRevenueRowIsRemoved()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "day-1", Anchor.AddHours(5));
        var product = (await h.Table(config, "silver.products").Select("product_id").Limit(1).CollectAsync())[0].Get<string>("product_id");
        var customer = (await h.Table(config, "silver.customers").Select("customer_id").Limit(1).CollectAsync())[0].Get<string>("customer_id");
        var lonelyDay = new DateOnly(2025, 6, 1);

        // An order on a day no other order has, then a late version of it (older sequence: must not win).
        h.Land("orders/zz-1.json", Order("O-LONELY", customer!, product!, "12.50", "placed", "2026-03-01 01:00:00", false) + "\n");
        await RunAsync(h, config, "day-2", Anchor.AddHours(6));
        h.Land("orders/zz-2.json", Order("O-LONELY", customer!, product!, "99.00", "placed", "2026-03-01 00:30:00", false) + "\n");
        await RunAsync(h, config, "day-3", Anchor.AddHours(7));

        var day = await h.Table(config, "gold.daily_revenue").Filter(Col("order_date") == Lit(lonelyDay)).CollectAsync();
        Assert.Equal(12.50m, Convert.ToDecimal(Assert.Single(day)["revenue"], CultureInfo.InvariantCulture));
        await AssertEqualsFullRebuildAsync(h, config, "daily_revenue", Anchor.AddHours(7));

        // The delete removes the day's only order, so the day has no row in a rebuild and none after the update.
        h.Land("orders/zz-3.json", Order("O-LONELY", customer!, product!, "12.50", "placed", "2026-03-01 02:00:00", true) + "\n");
        await RunAsync(h, config, "day-4", Anchor.AddHours(8));

        Assert.Equal(0, await h.Table(config, "gold.daily_revenue").Filter(Col("order_date") == Lit(lonelyDay)).CountAsync());
        foreach (var model in KeyedModels)
        {
            await AssertEqualsFullRebuildAsync(h, config, model, Anchor.AddHours(8));
        }
    }

    private static string Order(string id, string customer, string product, string amount, string status, string updatedAt, bool deleted) =>
        $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","product_id":"{{product}}","quantity":"1","amount":"{{amount}}","status":"{{status}}","order_ts":"2025-06-01 10:00:00","updated_at":"{{updatedAt}}","is_deleted":"{{(deleted ? "true" : "false")}}"}""";

    private static async Task<IReadOnlyList<TaskOutcome>> RunAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now)
    {
        var outcomes = await h.Graph(config, new RunSettings { RunId = runId, Clock = new FixedClock(now) }).RunAsync(parallelism: 3);
        Assert.True(outcomes.All(o => o.State == TaskState.Succeeded),
            string.Join(Environment.NewLine, outcomes.Select(o => $"{o.Task.Id}: {o.State} {o.Report?.Error}")) + Environment.NewLine + h.Logs);
        return outcomes;
    }

    /// <summary>The gold table equals the model built whole, now, from the current silver tables (customers as their
    /// current rows), compared as multisets of rows.</summary>
    private static async Task AssertEqualsFullRebuildAsync(PipelineHarness h, PipelineConfig config, string model, DateTimeOffset now)
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

    private static async Task<Dictionary<string, long>> VersionsAsync(PipelineHarness h, PipelineConfig config)
    {
        var versions = new Dictionary<string, long>();
        foreach (var model in KeyedModels)
        {
            var table = $"gold.{model}";
            versions[table] = (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, table)).History(1).Select("version").CollectAsync())[0].Get<long>("version");
        }

        return versions;
    }
}
