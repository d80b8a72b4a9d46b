using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using Serilog;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.EndToEnd;

/// <summary>What a graph run costs besides its data: the ops logs stay in few files, and sessions are reused.</summary>
public sealed class RunBookkeepingTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_ManyJobRuns_OpsLogsStayCompactAndKeepEveryRow()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 60, Batch = 1, Anchor = Anchor });
        var tasks = 0;
        for (var run = 1; run <= 2; run++)
        {
            var outcomes = await h.Graph(config, new RunSettings { RunId = $"compact-{run}", Clock = new FixedClock(Anchor.AddHours(4 + run)) }).RunAsync(parallelism: 3);
            Assert.True(outcomes.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
            tasks += outcomes.Count;
        }

        // Each task appended one row to ops.job_runs, and each quality task with checks a file to ops.dq_results.
        Assert.Equal(tasks, await h.Table(config, TableLocations.JobRuns).CountAsync());
        Assert.InRange(await FilesAsync(h, TableLocations.Path(config, TableLocations.JobRuns)), 1, LogCompaction.MaxFiles - 1);
        Assert.InRange(await FilesAsync(h, TableLocations.Path(config, TableLocations.DqResults)), 1, LogCompaction.MaxFiles - 1);
    }

    [Fact]
    public async Task Run_AllTasksSucceed_OpensNoMoreSessionsThanTasksRunAtOnce()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);
        DemoData.Generate(h.Landing, new DemoOptions { Rows = 60, Batch = 1, Anchor = Anchor });
        var opened = 0;
        var runner = new GraphRunner(config, ct =>
        {
            Interlocked.Increment(ref opened);
            return SparkSession.Builder().Remote(h.Remote).CreateAsync(ct);
        }, new RunSettings { RunId = "sessions", Clock = new FixedClock(Anchor.AddHours(5)) }, new LoggerConfiguration().WriteTo.Sink(h.Logs).CreateLogger());

        var outcomes = await runner.RunAsync(parallelism: 2);

        Assert.True(outcomes.All(o => o.State == TaskState.Succeeded), h.Logs.ToString());
        Assert.InRange(opened, 1, 2);
    }

    private static async Task<long> FilesAsync(PipelineHarness h, string path) =>
        (await DeltaTable.ForPath(h.Spark, path).Detail().Select("numFiles").CollectAsync())[0].Get<long>("numFiles");
}
