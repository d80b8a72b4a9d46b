using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.EndToEnd;

public sealed class QualityGateTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_CriticalCheckFails_GoldStaysAtItsPreviousVersion()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 100, Batch = 1, Anchor = Anchor });
        var first = await h.Graph(config, Settings("gate-1")).RunAsync(parallelism: 3);
        Assert.True(first.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        var goldPath = TableLocations.Path(config, "gold.daily_revenue");
        var before = await Version(h, goldPath);
        var revenueBefore = await h.Table(config, "gold.daily_revenue").Agg(Sum(Col("revenue")).Alias("r")).CollectAsync();

        // An order for a product nobody sells: product_exists is a critical check of silver.orders.
        h.Land("orders/zz-orphan.json",
            "{\"order_id\":\"O-ORPHAN\",\"customer_id\":\"C00001\",\"product_id\":\"P-NOPE\",\"quantity\":\"1\",\"amount\":\"10.00\",\"status\":\"placed\",\"order_ts\":\"2026-03-01T01:00:00Z\",\"updated_at\":\"2026-03-01T01:00:00Z\",\"is_deleted\":\"false\"}\n");
        var second = await h.Graph(config, Settings("gate-2")).RunAsync(parallelism: 3);

        var quality = second.Single(o => o.Task.Id == "quality_silver_orders");
        Assert.Equal(TaskState.QualityGateFailed, quality.State);
        Assert.Contains("product_exists", quality.Report!.Error);
        Assert.Equal(TaskState.Skipped, second.Single(o => o.Task.Id == "gold_daily_revenue").State);
        Assert.Equal(JobExitCodes.QualityGate, GraphRunner.ExitCode(second));

        // Run directly (as a manual lakehouse-gold would), the model refuses too.
        var direct = await h.Runner(config, "gate-3").RunAsync(new JobRequest(JobKind.Gold, "daily_revenue"));
        Assert.Equal(JobStatus.QualityGateFailed, direct.Status);
        Assert.Equal(JobExitCodes.QualityGate, JobExitCodes.For(direct));
        Assert.Equal(before, await Version(h, goldPath));
        var revenueAfter = await h.Table(config, "gold.daily_revenue").Agg(Sum(Col("revenue")).Alias("r")).CollectAsync();
        Assert.Equal(revenueBefore[0]["r"], revenueAfter[0]["r"]);

        var runs = await h.Table(config, TableLocations.JobRuns).Filter(Col("run_id") == Lit("gate-3")).CollectAsync();
        Assert.Equal("quality_gate_failed", Assert.Single(runs).Get<string>("status"));
    }

    private static RunSettings Settings(string runId) => new() { RunId = runId, Clock = new FixedClock(Anchor.AddHours(5)) };

    private static async Task<long> Version(PipelineHarness h, string path) =>
        (await DeltaTable.ForPath(h.Spark, path).History(1).Select("version").CollectAsync())[0].Get<long>("version");
}
