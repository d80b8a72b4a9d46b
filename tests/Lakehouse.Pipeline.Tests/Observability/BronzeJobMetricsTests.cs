using Lakehouse.Embedded;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>The real bronze job on the embedded engine, run as its executable would, pushing to the test Pushgateway.</summary>
[Collection("monitoring")]
public sealed class BronzeJobMetricsTests(MonitoringStack stack)
{
    [MonitoringFact]
    public async Task RunAsync_BronzeJobWithPushgateway_MetricsArriveAndTheNextRunReplacesThem()
    {
        using var dir = new TempDirectory("obs-bronze");
        var source = SampleReports.UniqueSource("landing");
        var config = WritePipeline(dir, source);
        // Three good orders and one malformed line, which bronze keeps with its raw text (rescued).
        WriteLanding(dir, source, "batch-1.json",
            """{"order_id":"1","amount":"10.5"}""", """{"order_id":"2","amount":"3"}""", """{"order_id":"3","amount":"7"}""", """{"order_id": 4, oops""");

        Assert.Equal(JobExitCodes.Success, await RunBronzeAsync(config, source, "run-1", stack.PushgatewayUrl.ToString()));

        var sel = $"{{job=\"bronze\",source=\"{source}\"}}";
        var read = Assert.Single(await stack.WaitForAsync("lakehouse_job_records_read" + sel, r => r.Count == 1));
        Assert.Equal(4, MonitoringStack.Value(read));
        Assert.Equal("bronze", MonitoringStack.Label(read, "layer"));
        Assert.Equal($"bronze.{source}", MonitoringStack.Label(read, "table"));
        Assert.Equal(4, MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_records_written" + sel))));
        Assert.Equal(1, MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_records_rescued" + sel))));
        Assert.Equal(1, MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_succeeded" + sel))));
        var firstSuccess = MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_last_success_timestamp_seconds" + sel)));

        WriteLanding(dir, source, "batch-2.json", """{"order_id":"5","amount":"1"}""", """{"order_id":"6","amount":"2"}""");
        Assert.Equal(JobExitCodes.Success, await RunBronzeAsync(config, source, "run-2", stack.PushgatewayUrl.ToString()));

        var second = await stack.WaitForAsync("lakehouse_job_records_read" + sel, r => r.Count == 1 && MonitoringStack.Value(r[0]) == 2);
        Assert.Equal(2, MonitoringStack.Value(Assert.Single(second)));
        Assert.Equal(0, MonitoringStack.Value(Assert.Single(await stack.WaitForAsync("lakehouse_job_records_rescued" + sel, r => r.Count == 1 && MonitoringStack.Value(r[0]) == 0))));
        Assert.True(MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_last_success_timestamp_seconds" + sel))) >= firstSuccess);
        Assert.Single(await stack.QueryAsync("push_time_seconds" + sel));
    }

    [MonitoringFact]
    public async Task RunAsync_SourceNotInThePipelineFile_ExitsBadInputAndPushesTheFailure()
    {
        using var dir = new TempDirectory("obs-bronze-unknown");
        var config = WritePipeline(dir, SampleReports.UniqueSource("known"));
        var unknown = SampleReports.UniqueSource("unknown");

        Assert.Equal(JobExitCodes.BadInput, await RunBronzeAsync(config, unknown, "run-unknown", stack.PushgatewayUrl.ToString()));

        // docs/pipeline-jobs.md: exit code 2 is bad configuration or input; JobRunReport.ErrorKind names it bad_input.
        var failed = Assert.Single(await stack.WaitForAsync($"lakehouse_job_failed{{job=\"bronze\",source=\"{unknown}\"}}", r => r.Count == 1));
        Assert.Equal("bad_input", MonitoringStack.Label(failed, "error_kind"));
        Assert.Equal(0, MonitoringStack.Value(Assert.Single(await stack.QueryAsync($"lakehouse_job_succeeded{{source=\"{unknown}\"}}"))));
    }

    [Fact]
    public async Task RunAsync_PushgatewayDown_JobKeepsItsOwnExitCode()
    {
        using var dir = new TempDirectory("obs-bronze-down");
        var source = SampleReports.UniqueSource("down");
        var config = WritePipeline(dir, source);
        WriteLanding(dir, source, "batch-1.json", """{"order_id":"1","amount":"10.5"}""");

        var code = await RunBronzeAsync(config, source, "run-down", $"http://127.0.0.1:{ToolProcess.FreePort()}").WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(JobExitCodes.Success, code);
    }

    private static Task<int> RunBronzeAsync(string config, string source, string runId, string pushgateway) =>
        JobHost.RunAsync(
            JobKind.Bronze,
            ["--config", config, "--remote", "local", "--source", source, "--run-id", runId, "--pushgateway", pushgateway, "--log-format", "json"],
            warehouse => EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = warehouse }));

    private static string WritePipeline(TempDirectory dir, string source)
    {
        var path = dir.Combine("lakehouse.yaml");
        File.WriteAllText(path, $"""
            name: obs
            warehouse: ./warehouse
            landing: ./landing
            schedule: "0 */4 * * *"
            sources:
              - name: {source}
                format: json
                path: {source}
                business_key: [order_id]
            """);
        return path;
    }

    private static void WriteLanding(TempDirectory dir, string source, string file, params string[] lines)
    {
        Directory.CreateDirectory(dir.Combine("landing", source));
        File.WriteAllLines(dir.Combine("landing", source, file), lines);
    }
}
