using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.EndToEnd;

public sealed class UnchangedInputsTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] GoldTables = ["gold.customer_360", "gold.product_performance", "gold.daily_revenue"];

    [Fact]
    public async Task Run_NoNewData_GoldTablesKeepTheirVersions()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        var first = await h.Graph(config, Settings("same-1", Anchor.AddHours(5))).RunAsync(parallelism: 3);
        Assert.True(first.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        var before = await VersionsAsync(h, config);

        var second = await h.Graph(config, Settings("same-2", Anchor.AddHours(6))).RunAsync(parallelism: 3);

        Assert.True(second.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        Assert.Equal(before, await VersionsAsync(h, config));
        Assert.All(second.Where(o => o.Task.Job == "gold"), o => Assert.Equal(0, o.Report!.RecordsWritten));
    }

    [Fact]
    public async Task Run_NoNewData_GoldCommitRecordsTheInputVersionsItRead()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        var outcomes = await h.Graph(config, Settings("record-1", Anchor.AddHours(5))).RunAsync(parallelism: 3);
        Assert.True(outcomes.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());

        var metadata = (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "gold.customer_360")).History(1)
            .Select("userMetadata").CollectAsync())[0].Get<string>("userMetadata");
        using var json = JsonDocument.Parse(metadata!);
        var inputs = json.RootElement.GetProperty("gold_inputs");
        Assert.Equal(await VersionAsync(h, config, "silver.orders"), inputs.GetProperty("silver.orders").GetInt64());
        Assert.Equal(await VersionAsync(h, config, "silver.customers"), inputs.GetProperty("silver.customers").GetInt64());
        Assert.Equal("2026-03-01", json.RootElement.GetProperty("as_of").GetString());
    }

    [Fact]
    public async Task Run_InputChanged_GoldRebuilt()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAllAsync(h, config, "change-1", Anchor.AddHours(5));
        var before = await VersionsAsync(h, config);

        // A customer only: silver.customers changes, silver.orders and silver.products do not.
        h.Land("customers/zz-new.csv", "customer_id,name,email,country,region,segment,signup_date,updated_at\nC99999,New One,new@example.com,US,NA,consumer,2026-02-01,2026-03-01 02:00:00\n");
        var second = await h.Graph(config, Settings("change-2", Anchor.AddHours(6))).RunAsync(parallelism: 3);

        Assert.True(second.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        var after = await VersionsAsync(h, config);
        Assert.Equal(before["gold.customer_360"] + 1, after["gold.customer_360"]);
        Assert.Equal(before["gold.product_performance"], after["gold.product_performance"]);
        Assert.Equal(before["gold.daily_revenue"], after["gold.daily_revenue"]);
        Assert.Equal(1, await h.Table(config, "gold.customer_360").Filter(Col("customer_id") == Lit("C99999")).CountAsync());
    }

    [Fact]
    public async Task Run_NextDayNoNewData_GoldRebuiltForTheNewDate()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAllAsync(h, config, "day-1", Anchor.AddHours(5));
        var before = await VersionsAsync(h, config);

        // customer_360's tenure_days is measured to the run's date: a new date is a new table even without new data.
        var second = await h.Graph(config, Settings("day-2", Anchor.AddHours(25))).RunAsync(parallelism: 3);

        Assert.True(second.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        var after = await VersionsAsync(h, config);
        Assert.All(GoldTables, t => Assert.Equal(before[t] + 1, after[t]));
    }

    [Fact]
    public async Task Quality_TableUnchangedSinceAPassingRun_OnlyClockHistoryAndRelationshipChecksRunAgain()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAllAsync(h, config, "dq-1", Anchor.AddHours(5));

        var second = await h.Graph(config, Settings("dq-2", Anchor.AddHours(6))).RunAsync(parallelism: 3);

        Assert.True(second.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        var results = await h.Table(config, TableLocations.DqResults).Filter(Col("run_id") == Lit("dq-2")).Select("table_name", "check_name").CollectAsync();
        var checkedNow = results.Select(r => $"{r.Get<string>("table_name")}.{r.Get<string>("check_name")}").Order(StringComparer.Ordinal).ToList();
        var expected = config.Checks
            .SelectMany(t => t.Value.Where(c => c.Type is TableCheckType.Freshness or TableCheckType.RowCountChange or TableCheckType.Relationship).Select(c => $"{t.Key}.{c.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, checkedNow);
    }

    [Fact]
    public async Task Run_NoNewData_SilverCommitsNothingAndQualityStillReportsEveryTablesRows()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAllAsync(h, config, "rows-1", Anchor.AddHours(5));
        var silver = new Dictionary<string, long>();
        foreach (var source in config.Sources)
        {
            silver[source.SilverTable] = await VersionAsync(h, config, source.SilverTable);
        }

        var second = await h.Graph(config, Settings("rows-2", Anchor.AddHours(6))).RunAsync(parallelism: 3);

        Assert.True(second.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        foreach (var (table, version) in silver)
        {
            Assert.Equal(version, await VersionAsync(h, config, table));
        }

        // A gold table's checks all read its contents only, so none runs again; its row count is still reported.
        foreach (var quality in second.Where(o => o.Task.Job == "quality"))
        {
            var table = h.Table(config, quality.Task.Table);
            var rows = config.Sources.Any(s => s.Scd2 && s.SilverTable == quality.Task.Table) ? table.Filter(Col("is_current")) : table;
            Assert.Equal(await rows.CountAsync(), quality.Report!.RecordsRead);
        }
    }

    [Fact]
    public async Task Quality_RelationshipTablesUnchanged_EarlierResultStandsUntilATableChanges()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAllAsync(h, config, "rel-1", Anchor.AddHours(5));
        await RunAllAsync(h, config, "rel-2", Anchor.AddHours(6));

        // The orders whose customer is not a current customer, counted here from the silver rows.
        var customers = (await h.Table(config, "silver.customers").Filter(Col("is_current")).Select("customer_id").CollectAsync())
            .Select(r => r.Get<string>("customer_id")).ToHashSet();
        var orphans = (await h.Table(config, "silver.orders").Select("customer_id").CollectAsync())
            .Select(r => r.Get<string>("customer_id")).Where(c => c is not null && !customers.Contains(c)).ToList();
        Assert.NotEmpty(orphans);
        var first = await CustomerExistsAsync(h, config, "rel-1");
        var second = await CustomerExistsAsync(h, config, "rel-2");
        Assert.Equal(orphans.Count, first.Failing);
        Assert.Equal(first, second);
        Assert.NotNull(first.Basis);

        // One missing customer lands: silver.customers moves on, so the check joins again.
        var found = orphans.GroupBy(c => c).OrderByDescending(g => g.Count()).First();
        h.Land("customers/zz-found.csv", $"customer_id,name,email,country,region,segment,signup_date,updated_at\n{found.Key},Found,found@example.com,US,NA,consumer,2026-02-01,2026-03-01 02:00:00\n");
        await RunAllAsync(h, config, "rel-3", Anchor.AddHours(7));

        var third = await CustomerExistsAsync(h, config, "rel-3");
        Assert.Equal(orphans.Count - found.Count(), third.Failing);
        Assert.NotEqual(first.Basis, third.Basis);
    }

    [Fact]
    public async Task Quality_FreshnessTableUnchanged_NewestValueMeasuredOnceAndJudgedAgainstTheNewClock()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        await RunAllAsync(h, config, "fresh-1", Anchor.AddHours(5));
        await RunAllAsync(h, config, "fresh-2", Anchor.AddHours(30));

        // The newest order_ts, found here from the silver rows themselves.
        var newest = (await h.Table(config, "silver.orders").Select("order_ts").CollectAsync())
            .Select(r => r.Get<DateTimeOffset?>("order_ts")).Where(t => t is not null).Max()!.Value;
        var version = await VersionAsync(h, config, "silver.orders");
        var first = await FreshOrdersAsync(h, config, "fresh-1");
        var second = await FreshOrdersAsync(h, config, "fresh-2");

        // The basis names the version, its commit time and the bronze batch consumed at it.
        var commitTime = (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "silver.orders")).History(1).Select("timestamp").CollectAsync())[0]
            .Get<DateTimeOffset>("timestamp").ToUnixTimeMilliseconds();
        Assert.Matches($@"^freshness order_ts; silver\.orders v{version} @{commitTime} batch \d+$", first.Basis);
        Assert.Equal(first.Basis, second.Basis);
        Assert.Equal(newest, DateTimeOffset.Parse(first.Measured!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first.Measured, second.Measured);
        // The second run did not scan for it (Serilog quotes the message's string values).
        Assert.Contains($"newest \"order_ts\" \"{first.Measured}\" as measured before", h.Logs.ToString());
        // Each run judges the same newest value by its own clock.
        Assert.Equal(Math.Round((Anchor.AddHours(5) - newest).TotalHours, 3), first.Observed);
        Assert.Equal(Math.Round((Anchor.AddHours(30) - newest).TotalHours, 3), second.Observed);
    }

    private static async Task<(string? Basis, string? Measured, double? Observed)> FreshOrdersAsync(PipelineHarness h, PipelineConfig config, string runId)
    {
        var row = Assert.Single(await h.Table(config, TableLocations.DqResults)
            .Filter((Col("run_id") == Lit(runId)) & (Col("check_name") == Lit("fresh_orders"))).Select("basis", "measured", "observed_value").CollectAsync());
        return (row.Get<string>("basis"), row.Get<string>("measured"), row.Get<double?>("observed_value"));
    }

    private static async Task<(long Failing, string? Basis)> CustomerExistsAsync(PipelineHarness h, PipelineConfig config, string runId)
    {
        var row = Assert.Single(await h.Table(config, TableLocations.DqResults)
            .Filter((Col("run_id") == Lit(runId)) & (Col("check_name") == Lit("customer_exists"))).Select("failing_rows", "basis").CollectAsync());
        return (row.Get<long>("failing_rows"), row.Get<string>("basis"));
    }

    /// <summary>Runs the whole graph as run <paramref name="runId"/> at <paramref name="now"/>; every task must succeed.</summary>
    private static async Task RunAllAsync(PipelineHarness h, PipelineConfig config, string runId, DateTimeOffset now) =>
        Assert.True((await h.Graph(config, Settings(runId, now)).RunAsync(parallelism: 3)).All(o => o.State == TaskState.Succeeded), h.Logs.ToString());

    private static RunSettings Settings(string runId, DateTimeOffset now) => new() { RunId = runId, Clock = new FixedClock(now) };

    private static async Task<long> VersionAsync(PipelineHarness h, PipelineConfig config, string table) =>
        (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, table)).History(1).Select("version").CollectAsync())[0].Get<long>("version");

    private static async Task<Dictionary<string, long>> VersionsAsync(PipelineHarness h, PipelineConfig config)
    {
        var versions = new Dictionary<string, long>();
        foreach (var table in GoldTables)
        {
            versions[table] = await VersionAsync(h, config, table);
        }

        return versions;
    }
}
