using System.Globalization;
using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Gold;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Reference;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Gold;

/// <summary>Gold tables updated from the change of their inputs (one MERGE) when silver changed only by batches of the
/// silver job on the same day, and rebuilt whole when anything else changed silver: either way each table must equal a
/// full build and the plain-C# reference.</summary>
public sealed class IncrementalGoldTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Models = ["customer_360", "product_performance", "daily_revenue"];
    private static readonly DateOnly LonelyDay = new(2025, 6, 1);

    [Fact]
    public async Task Run_DemoBatchSameDay_EveryOrderModelMergedAndEqualToTheReference()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "inc-1", Anchor.AddHours(5));
        var before = await h.Table(config, "silver.orders").Select("order_id", "status").CollectAsync();

        // New orders, status updates, late versions, deletes, segment changes, price changes.
        var batch = DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 2, NewOrders = 20, Anchor = Anchor });
        Assert.True(batch.DeletedOrders > 0 && batch.LateOrders > 0 && batch.UpdatedOrders > 0 && batch.UpdatedCustomers > 0 && batch.UpdatedProducts > 0);
        var now = Anchor.AddHours(6);
        var outcomes = await RunAsync(h, config, "inc-2", now);

        // Some order left revenue by turning cancelled or returned, and the batch's new orders are new to silver.
        var after = (await h.Table(config, "silver.orders").Select("order_id", "status").CollectAsync())
            .ToDictionary(r => r.Get<string>("order_id")!, r => r.Get<string>("status"));
        var known = before.Select(r => r.Get<string>("order_id")).ToHashSet();
        Assert.Contains(after.Keys, id => !known.Contains(id));
        Assert.Contains(before, r => r.Get<string>("status") is not ("cancelled" or "returned")
            && after.GetValueOrDefault(r.Get<string>("order_id")!) is "cancelled" or "returned");

        Assert.Contains("(change data feed)", h.Logs.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("(batches)", h.Logs.ToString(), StringComparison.Ordinal);
        foreach (var model in Models)
        {
            Assert.True(await MergedAsync(h, config, model), $"{model} was rebuilt: {h.Logs}");
            Assert.InRange(outcomes.Single(o => o.Task.Id == $"gold_{model}").Report!.RecordsWritten, 1, 2 * (batch.OrderLines + batch.CustomerLines));
            await AssertEqualsFullBuildAsync(h, config, model, now);
        }

        // Expected values: the reference computes silver and gold from the landing files in plain C#.
        var silver = ReferenceSilver.Compute(h.Landing);
        ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(silver, now), await h.Table(config, "gold.customer_360").CollectAsync());
        ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(silver), await h.Table(config, "gold.product_performance").CollectAsync());
        ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(silver), await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Run_LonelyOrderPlacedCancelledAndDeleted_DayAndProductFollowAndEqualAFullBuild()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 1, Anchor = Anchor });
        // A product nobody has ordered yet: gold has its row with zeros from the first build.
        h.Land("products/zz-p.json", """{"product_id":"P-LONELY","name":"Lonely","category":"misc","price":"5.00","updated_at":"2026-02-01 00:00:00"}""" + "\n");
        await RunAsync(h, config, "day-1", Anchor.AddHours(5));
        var customer = (await h.Table(config, "silver.customers").Filter(Col("is_current")).Limit(1).CollectAsync())[0];
        var customerId = customer.Get<string>("customer_id")!;

        // Its first order, on a day no other order has.
        h.Land("orders/zz-1.json", Order("O-LONELY", customerId, "placed", "2026-03-01 01:00:00", false));
        await RunAndCompareAsync(h, config, "day-2", Anchor.AddHours(6));
        Assert.Equal("12.50|1|1", await DayAsync(h, config));
        Assert.Equal("1|1|12.50|1", await ProductAsync(h, config));

        // A late version (older sequence) must not win; silver commits, the merge changes nothing.
        h.Land("orders/zz-2.json", Order("O-LONELY", customerId, "placed", "2026-03-01 00:30:00", false, amount: "99.00"));
        await RunAndCompareAsync(h, config, "day-3", Anchor.AddHours(7));
        Assert.Equal("12.50|1|1", await DayAsync(h, config));

        // Cancelled: the day loses its only revenue order, the product its last customer; the customer moves segment.
        var segment = customer.Get<string>("segment") == "corporate" ? "consumer" : "corporate";
        h.Land("orders/zz-3.json", Order("O-LONELY", customerId, "cancelled", "2026-03-01 02:00:00", false));
        h.Land("customers/zz-c.csv", "customer_id,name,email,country,region,segment,signup_date,updated_at\n"
            + string.Join(",", customerId, customer.Get<string>("name"), customer.Get<string>("email"), customer.Get<string>("country"),
                customer.Get<string>("region"), segment, customer.Get<DateOnly>("signup_date").ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "2026-03-01 02:00:00") + "\n");
        await RunAndCompareAsync(h, config, "day-4", Anchor.AddHours(8));
        Assert.Null(await DayAsync(h, config));
        Assert.Equal("0|0|0.00|0", await ProductAsync(h, config));
        var row = (await h.Table(config, "gold.customer_360").Filter(Col("customer_id") == Lit(customerId)).CollectAsync()).Single();
        Assert.Equal(segment, row.Get<string>("segment"));

        // Another order that day, then its delete: the day loses its only order.
        h.Land("orders/zz-4.json", Order("O-LONELY-2", customerId, "placed", "2026-03-01 03:00:00", false));
        await RunAndCompareAsync(h, config, "day-5", Anchor.AddHours(9));
        Assert.Equal("12.50|1|1", await DayAsync(h, config));
        h.Land("orders/zz-5.json", Order("O-LONELY-2", customerId, "placed", "2026-03-01 04:00:00", true));
        await RunAndCompareAsync(h, config, "day-6", Anchor.AddHours(10));
        Assert.Null(await DayAsync(h, config));
        Assert.Equal("0|0|0.00|0", await ProductAsync(h, config));

        var now = Anchor.AddHours(10);
        var silver = ReferenceSilver.Compute(h.Landing);
        ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(silver, now), await h.Table(config, "gold.customer_360").CollectAsync());
        ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(silver), await h.Table(config, "gold.product_performance").CollectAsync());
        ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(silver), await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Run_OneCustomersFirstLastAndLateOrders_EveryModelFollowsAndEqualsTheReference()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 1, Anchor = Anchor });
        h.Land("products/zz-p.json", """{"product_id":"P-LONELY","name":"Lonely","category":"misc","price":"5.00","updated_at":"2026-02-01 00:00:00"}""" + "\n");
        h.Land("customers/zz-c1.csv", CustomerCsv("C-EDGE", "consumer", "2026-02-01 00:00:00"));
        await RunAsync(h, config, "edge-1", Anchor.AddHours(5));
        Assert.Equal("0|0.00|null|null|null|consumer", await CustomerAsync(h, config, "C-EDGE"));

        // Three orders on three days of a customer without orders, a product and days without orders.
        h.Land("orders/zz-1.json", Order("E1", "C-EDGE", "placed", "2026-03-01 01:00:00", false, amount: "10.00", orderTs: "2025-06-01 10:00:00")
            + Order("E2", "C-EDGE", "placed", "2026-03-01 01:00:00", false, amount: "10.01", orderTs: "2025-06-03 10:00:00")
            + Order("E3", "C-EDGE", "placed", "2026-03-01 01:00:00", false, amount: "20.00", orderTs: "2025-06-05 10:00:00"));
        await RunAndCompareAsync(h, config, "edge-2", Anchor.AddHours(6));
        // 40.01 / 3 = 13.3366…
        Assert.Equal("3|40.01|13.34|2025-06-01|2025-06-05|consumer", await CustomerAsync(h, config, "C-EDGE"));
        Assert.Equal("3|3|40.01|1", await ProductAsync(h, config));

        // Its first order is deleted: the first date moves, the product keeps its customer.
        h.Land("orders/zz-2.json", Order("E1", "C-EDGE", "placed", "2026-03-01 02:00:00", true, amount: "10.00", orderTs: "2025-06-01 10:00:00"));
        await RunAndCompareAsync(h, config, "edge-3", Anchor.AddHours(7));
        // 30.01 / 2 = 15.005, half up.
        Assert.Equal("2|30.01|15.01|2025-06-03|2025-06-05|consumer", await CustomerAsync(h, config, "C-EDGE"));
        Assert.Equal("2|2|30.01|1", await ProductAsync(h, config));
        Assert.Null(await DayAsync(h, config));

        // Its last order is cancelled: the last date moves back.
        h.Land("orders/zz-3.json", Order("E3", "C-EDGE", "cancelled", "2026-03-01 03:00:00", false, amount: "20.00", orderTs: "2025-06-05 10:00:00"));
        await RunAndCompareAsync(h, config, "edge-4", Anchor.AddHours(8));
        Assert.Equal("1|10.01|10.01|2025-06-03|2025-06-03|consumer", await CustomerAsync(h, config, "C-EDGE"));

        // A second order on the same day and a segment change: the day and the product keep one customer.
        h.Land("orders/zz-4.json", Order("E4", "C-EDGE", "placed", "2026-03-01 04:00:00", false, amount: "0.02", orderTs: "2025-06-03 11:00:00"));
        h.Land("customers/zz-c2.csv", CustomerCsv("C-EDGE", "corporate", "2026-03-01 04:00:00"));
        await RunAndCompareAsync(h, config, "edge-5", Anchor.AddHours(9));
        // 10.03 / 2 = 5.015, half up.
        Assert.Equal("2|10.03|5.02|2025-06-03|2025-06-03|corporate", await CustomerAsync(h, config, "C-EDGE"));
        Assert.Equal("2|2|10.03|1", await ProductAsync(h, config));
        Assert.Equal("10.03|2|1", await DayAsync(h, config, new DateOnly(2025, 6, 3)));

        // Orders of a customer silver.customers does not know yet, then the customer: its earlier orders count.
        h.Land("orders/zz-5.json", Order("L1", "C-LATE", "placed", "2026-03-01 05:00:00", false, amount: "7.00", orderTs: "2025-06-07 10:00:00")
            + Order("E4", "C-EDGE", "placed", "2026-03-01 05:00:00", false, amount: "0.03", orderTs: "2025-06-03 11:00:00"));
        await RunAndCompareAsync(h, config, "edge-6", Anchor.AddHours(10));
        Assert.Null(await CustomerAsync(h, config, "C-LATE"));
        Assert.Equal("2|10.04|5.02|2025-06-03|2025-06-03|corporate", await CustomerAsync(h, config, "C-EDGE"));
        Assert.Equal("3|3|17.04|2", await ProductAsync(h, config));
        h.Land("customers/zz-c3.csv", CustomerCsv("C-LATE", "consumer", "2026-03-01 06:00:00"));
        await RunAndCompareAsync(h, config, "edge-7", Anchor.AddHours(11));
        Assert.Equal("1|7.00|7.00|2025-06-07|2025-06-07|consumer", await CustomerAsync(h, config, "C-LATE"));

        var now = Anchor.AddHours(11);
        var silver = ReferenceSilver.Compute(h.Landing);
        ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(silver, now), await h.Table(config, "gold.customer_360").CollectAsync());
        ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(silver), await h.Table(config, "gold.product_performance").CollectAsync());
        ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(silver), await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Run_OrderWithoutAmount_DailyRevenueRebuiltAndTheOthersMerged()
    {
        await using var h = await PipelineHarness.StartAsync();
        // Amounts are only warned about, so an order without one reaches silver.
        var config = h.Config(DemoData.PipelineFile, "sources.orders.expectations.3.action=warn");
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 1, Anchor = Anchor });
        h.Land("products/zz-p.json", """{"product_id":"P-LONELY","name":"Lonely","category":"misc","price":"5.00","updated_at":"2026-02-01 00:00:00"}""" + "\n");
        h.Land("customers/zz-c1.csv", CustomerCsv("C-EDGE", "consumer", "2026-02-01 00:00:00"));
        h.Land("orders/zz-0.json", Order("E0", "C-EDGE", "placed", "2026-02-01 00:00:00", false, amount: "4.00", orderTs: "2025-06-02 10:00:00"));
        await RunAsync(h, config, "null-1", Anchor.AddHours(5));

        // avg_order_value skips the null: 4.00 / 1, not 4.00 / 2.
        h.Land("orders/zz-1.json", """{"order_id":"E1","customer_id":"C-EDGE","product_id":"P-LONELY","quantity":"1","status":"placed","order_ts":"2025-06-03 10:00:00","updated_at":"2026-03-01 01:00:00","is_deleted":"false"}""" + "\n");
        var mark = h.Logs.ToString().Length;
        var now = Anchor.AddHours(6);
        await RunAsync(h, config, "null-2", now);
        var logs = h.Logs.ToString()[mark..];

        Assert.Contains("nulls in order_ts or amount", logs, StringComparison.Ordinal);
        Assert.Equal("2|4.00|4.00|2025-06-02|2025-06-03|consumer", await CustomerAsync(h, config, "C-EDGE"));
        Assert.True(await MergedAsync(h, config, "customer_360"));
        Assert.True(await MergedAsync(h, config, "product_performance"));
        Assert.False(await MergedAsync(h, config, "daily_revenue"));
        foreach (var model in Models)
        {
            await AssertEqualsFullBuildAsync(h, config, model, now);
        }
    }

    [Fact]
    public async Task Run_NewProductOrdered_ProductPerformanceRebuiltWhole()
    {
        await using var h = await PipelineHarness.StartAsync();
        // An order of an unknown product only warns here, so it reaches gold before its product does.
        var config = h.Config(DemoData.PipelineFile, "checks.silver.orders.6.severity=warning");
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "new-1", Anchor.AddHours(5));
        var customerId = (await h.Table(config, "silver.customers").Filter(Col("is_current")).Limit(1).CollectAsync())[0].Get<string>("customer_id")!;

        // The order arrives before its product: no maintained sum has it when the product appears.
        h.Land("orders/zz-1.json", Order("O-LONELY", customerId, "placed", "2026-03-01 01:00:00", false));
        await RunAndCompareAsync(h, config, "new-2", Anchor.AddHours(6));
        h.Land("products/zz-p.json", """{"product_id":"P-LONELY","name":"Lonely","category":"misc","price":"5.00","updated_at":"2026-03-01 01:00:00"}""" + "\n");
        await RunAsync(h, config, "new-3", Anchor.AddHours(7));

        Assert.False(await MergedAsync(h, config, "product_performance"));
        Assert.Contains("new to silver.products", h.Logs.ToString(), StringComparison.Ordinal);
        Assert.Equal("1|1|12.50|1", await ProductAsync(h, config));
        await AssertEqualsFullBuildAsync(h, config, "product_performance", Anchor.AddHours(7));
    }

    [Fact]
    public async Task Run_SeveralSilverCommitsBetweenGoldRuns_IntermediateImagesCancelAndEveryModelEqualsTheReference()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        h.Land("products/zz-p.json", """{"product_id":"P-LONELY","name":"Lonely","category":"misc","price":"5.00","updated_at":"2026-02-01 00:00:00"}""" + "\n");
        await RunAsync(h, config, "several-1", Anchor.AddHours(5));
        var ids = (await h.Table(config, "silver.customers").Filter(Col("is_current")).OrderBy("customer_id").Limit(2).CollectAsync())
            .Select(r => r.Get<string>("customer_id")!).ToList();

        // Three silver batches without gold in between. O-L1 is inserted for one customer, moves to another, then is
        // cancelled; O-L2 is inserted and deleted: the feed holds images that neither gold version has.
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 2, NewOrders = 20, Anchor = Anchor });
        h.Land("orders/zz-1.json", Order("O-L1", ids[0], "placed", "2026-03-01 01:00:00", false));
        await SilverOnlyAsync(h, config, "several-2");
        h.Land("orders/zz-2.json", Order("O-L1", ids[1], "placed", "2026-03-01 02:00:00", false) + Order("O-L2", ids[0], "placed", "2026-03-01 02:00:00", false));
        await SilverOnlyAsync(h, config, "several-3");
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 3, NewOrders = 20, Anchor = Anchor });
        h.Land("orders/zz-3.json", Order("O-L1", ids[1], "cancelled", "2026-03-01 03:00:00", false) + Order("O-L2", ids[0], "placed", "2026-03-01 03:00:00", true));
        await SilverOnlyAsync(h, config, "several-4");
        // The first build created silver.orders (WRITE); each batch since is one MERGE, all three in the feed's range.
        Assert.Equal(3, await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "silver.orders")).History().Filter(Col("operation") == Lit("MERGE")).CountAsync());

        var now = Anchor.AddHours(8);
        await RunAndCompareAsync(h, config, "several-5", now);
        Assert.Contains("(change data feed)", h.Logs.ToString(), StringComparison.Ordinal);
        Assert.Null(await DayAsync(h, config));
        Assert.Equal("0|0|0.00|0", await ProductAsync(h, config));

        var silver = ReferenceSilver.Compute(h.Landing);
        ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(silver, now), await h.Table(config, "gold.customer_360").CollectAsync());
        ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(silver), await h.Table(config, "gold.product_performance").CollectAsync());
        ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(silver), await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_AfterQuarantineReplay_MergedFromTheFeedOrRebuiltWholeWithoutIt(bool feed)
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "replay-1", Anchor.AddHours(5));
        if (!feed)
        {
            await DisableFeedAsync(h, config, "replay-1b", Anchor.AddHours(5));
        }

        // Negative amounts become a warning: the replay merges the quarantined rows into silver outside any batch.
        var relaxed = h.Config(DemoData.PipelineFile, "sources.orders.expectations.3.action=warn");
        var replay = await h.RunAsync(relaxed, JobKind.Replay, "orders", runId: "replay-2");
        Assert.True(replay.RecordsWritten > 0, h.Logs.ToString());
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 2, Anchor = Anchor });
        await RunAsync(h, relaxed, "replay-3", Anchor.AddHours(6));

        if (!feed)
        {
            Assert.Contains("not a batch of the silver job, and the table does not record the change data feed", h.Logs.ToString(), StringComparison.Ordinal);
        }

        foreach (var model in Models)
        {
            Assert.Equal(feed, await MergedAsync(h, config, model));
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(6));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_AfterManualUpdateAndDeleteOfSilver_MergedFromTheFeedOrRebuiltWholeWithoutIt_AndMergedAfterIt(bool feed)
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 2000, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "manual-1", Anchor.AddHours(5));
        if (!feed)
        {
            await DisableFeedAsync(h, config, "manual-1b", Anchor.AddHours(5));
        }

        // Someone doubles every amount of one customer's orders and deletes another's by hand: no batch names them.
        var customers = (await h.Table(config, "silver.orders").Select("customer_id").Distinct().OrderBy("customer_id").Limit(2).CollectAsync())
            .Select(r => r.Get<string>("customer_id")!).ToList();
        var orders = DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "silver.orders"));
        Assert.True(await orders.UpdateAsync(Col("customer_id") == Lit(customers[0]), new Dictionary<string, Column> { ["amount"] = Col("amount") * Lit(2) }) > 0);
        Assert.True(await orders.DeleteAsync(Col("customer_id") == Lit(customers[1])) > 0);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 2, Anchor = Anchor });
        await RunAsync(h, config, "manual-2", Anchor.AddHours(6));

        foreach (var model in Models)
        {
            Assert.Equal(feed, await MergedAsync(h, config, model));
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(6));
        }

        // The next batch is merged again, from the feed or (without it) from the batches.
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 3, Anchor = Anchor });
        await RunAsync(h, config, "manual-3", Anchor.AddHours(7));
        Assert.Contains(feed ? "(change data feed)" : "(batches)", h.Logs.ToString(), StringComparison.Ordinal);
        foreach (var model in Models)
        {
            Assert.True(await MergedAsync(h, config, model), $"{model} was rebuilt: {h.Logs}");
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(7));
        }
    }

    [Fact]
    public async Task Run_NextDay_GoldIsRebuiltWhole()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 1, Anchor = Anchor });
        await RunAsync(h, config, "next-1", Anchor.AddHours(5));
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 200, Batch = 2, Anchor = Anchor });
        await RunAsync(h, config, "next-2", Anchor.AddHours(25));

        // tenure_days moved for every customer: no model is merged.
        foreach (var model in Models)
        {
            Assert.False(await MergedAsync(h, config, model));
            await AssertEqualsFullBuildAsync(h, config, model, Anchor.AddHours(25));
        }
    }

    private static string Order(string id, string customer, string status, string updatedAt, bool deleted, string amount = "12.50", string orderTs = "2025-06-01 10:00:00") =>
        $$"""{"order_id":"{{id}}","customer_id":"{{customer}}","product_id":"P-LONELY","quantity":"1","amount":"{{amount}}","status":"{{status}}","order_ts":"{{orderTs}}","updated_at":"{{updatedAt}}","is_deleted":"{{(deleted ? "true" : "false")}}"}""" + "\n";

    private static string CustomerCsv(string id, string segment, string updatedAt) =>
        "customer_id,name,email,country,region,segment,signup_date,updated_at\n" + $"{id},Name {id},{id.ToLowerInvariant()}@example.com,US,NA,{segment},2025-01-01,{updatedAt}\n";

    /// <summary>orders|lifetime_value|avg_order_value|first_order_date|last_order_date|segment of a customer_360 row, or null without one.</summary>
    private static async Task<string?> CustomerAsync(PipelineHarness h, PipelineConfig config, string id) =>
        (await h.Table(config, "gold.customer_360").Filter(Col("customer_id") == Lit(id)).CollectAsync()) is [var r]
            ? string.Join("|", new[] { "orders", "lifetime_value", "avg_order_value", "first_order_date", "last_order_date", "segment" }
                .Select(c => r[c] switch
                {
                    null => "null",
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                }))
            : null;

    /// <summary>Runs the pipeline; every order model must have been merged, and must equal a full build.</summary>
    private static async Task RunAndCompareAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now)
    {
        await RunAsync(h, config, runId, now);
        foreach (var model in Models)
        {
            Assert.True(await MergedAsync(h, config, model), $"{model} was rebuilt in {runId}: {h.Logs}");
            await AssertEqualsFullBuildAsync(h, config, model, now);
        }
    }

    /// <summary>Bronze and silver of every source, without quality and gold: one more silver commit per source.</summary>
    private static async Task SilverOnlyAsync(PipelineHarness h, PipelineConfig config, string runId)
    {
        foreach (var source in new[] { "orders", "customers", "products" })
        {
            foreach (var kind in new[] { JobKind.Bronze, JobKind.Silver })
            {
                var report = await h.RunAsync(config, kind, source, runId: runId);
                Assert.True(report.Status == JobStatus.Succeeded, $"{kind} {source}: {report.Error}{Environment.NewLine}{h.Logs}");
            }
        }
    }

    /// <summary>Turns the change data feed off on the silver tables, as on tables created before silver recorded it
    /// (the pipeline's API has no ALTER TABLE; the Delta library writes the same SET TBLPROPERTIES commit), and runs the
    /// pipeline, which rebuilds gold from the new versions (a property change is neither a batch nor in a feed).</summary>
    private static async Task DisableFeedAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now)
    {
        foreach (var table in new[] { "silver.orders", "silver.customers", "silver.products" })
        {
            Lakehouse.Delta.DeltaTable.ForPath(TableLocations.Path(config, table))
                .SetProperties(new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "false" });
        }

        await RunAsync(h, config, runId, now);
        foreach (var model in Models)
        {
            Assert.False(await MergedAsync(h, config, model));
        }
    }

    private static async Task<string?> DayAsync(PipelineHarness h, PipelineConfig config, DateOnly? day = null) =>
        (await h.Table(config, "gold.daily_revenue").Filter(Col("order_date") == Lit(day ?? LonelyDay)).CollectAsync()) is [var r]
            ? string.Create(CultureInfo.InvariantCulture, $"{r["revenue"]}|{r["orders"]}|{r["customers"]}")
            : null;

    private static async Task<string> ProductAsync(PipelineHarness h, PipelineConfig config)
    {
        var r = (await h.Table(config, "gold.product_performance").Filter(Col("product_id") == Lit("P-LONELY")).CollectAsync()).Single();
        return string.Create(CultureInfo.InvariantCulture, $"{r["orders"]}|{r["units_sold"]}|{r["revenue"]}|{r["unique_customers"]}");
    }

    private static async Task<IReadOnlyList<TaskOutcome>> RunAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now)
    {
        var outcomes = await h.Graph(config, new RunSettings { RunId = runId, Clock = new FixedClock(now) }).RunAsync(parallelism: 3);
        Assert.True(outcomes.All(o => o.State == TaskState.Succeeded),
            string.Join(Environment.NewLine, outcomes.Select(o => $"{o.Task.Id}: {o.State} {o.Report?.Error}")) + Environment.NewLine + h.Logs);
        return outcomes;
    }

    /// <summary>Whether the newest commit of the gold table is an update from the change (a MERGE, or an append of no rows
    /// when the MERGE changed nothing) rather than a rebuild (an overwrite).</summary>
    private static async Task<bool> MergedAsync(PipelineHarness h, PipelineConfig config, string model)
    {
        var row = (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, $"gold.{model}")).History(1).Select("userMetadata").CollectAsync())[0];
        using var json = JsonDocument.Parse(row.Get<string>("userMetadata")!);
        var merged = json.RootElement.TryGetProperty("update", out var update) && update.GetString() == "merge";
        return merged;
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
