using System.Net;
using System.Net.Sockets;
using Lakehouse.Pipeline.Observability;
using Lakehouse.Pipeline.Runs;

namespace Lakehouse.Pipeline.Tests.Observability;

[Collection("monitoring")]
public sealed class MetricsPublisherTests(MonitoringStack stack)
{
    [MonitoringFact]
    public async Task PublishAsync_SucceededRun_SeriesArriveInPrometheusWithValuesAndLabels()
    {
        var source = SampleReports.UniqueSource("pub");
        var finished = SampleReports.WholeSecondsAgo(60);
        var report = SampleReports.Silver(source, finished);
        using var log = new LogCapture();

        Assert.True(await MetricsPublisher.PublishAsync(report, Options(), log.Logger, CancellationToken.None));

        var sel = $"{{source=\"{source}\"}}";
        var read = await stack.WaitForAsync("lakehouse_job_records_read" + sel, r => r.Count > 0);
        var sample = Assert.Single(read);
        Assert.Equal(120, MonitoringStack.Value(sample));
        var labels = sample!["metric"]!.AsObject().Select(p => p.Key).Order().ToArray();
        // Prometheus drops the empty instance label honor_labels keeps from the Pushgateway.
        Assert.Equal(["__name__", "job", "layer", "source", "table"], labels);
        Assert.Equal("silver", MonitoringStack.Label(sample, "job"));
        Assert.Equal("silver", MonitoringStack.Label(sample, "layer"));
        Assert.Equal($"silver.{source}", MonitoringStack.Label(sample, "table"));

        var expected = new Dictionary<string, double>
        {
            ["lakehouse_job_records_written"] = 108,
            ["lakehouse_job_records_dropped"] = 2,
            ["lakehouse_job_records_quarantined"] = 7,
            ["lakehouse_job_records_rescued"] = 3,
            ["lakehouse_job_bytes_written"] = 4096,
            ["lakehouse_job_files_written"] = 2,
            ["lakehouse_job_succeeded"] = 1,
            ["lakehouse_job_last_run_timestamp_seconds"] = finished.ToUnixTimeSeconds(),
            ["lakehouse_job_last_success_timestamp_seconds"] = finished.ToUnixTimeSeconds(),
            ["lakehouse_job_duration_seconds_sum"] = 42,
            ["lakehouse_job_duration_seconds_count"] = 1,
            ["lakehouse_table_version"] = 5,
            ["lakehouse_table_files"] = 10,
            ["lakehouse_table_size_bytes"] = 10240,
            ["lakehouse_table_mean_file_size_bytes"] = 1024,
            ["lakehouse_data_freshness_seconds"] = 3600,
            ["lakehouse_data_newest_record_timestamp_seconds"] = finished.ToUnixTimeSeconds() - 3600,
        };
        foreach (var (name, value) in expected)
        {
            Assert.Equal((name, value), (name, MonitoringStack.Value(Assert.Single(await stack.QueryAsync(name + sel)))));
        }

        // 42 s falls in the 60 s bucket, not in the 30 s one.
        Assert.Equal(1, MonitoringStack.Value(Assert.Single(await stack.QueryAsync($"lakehouse_job_duration_seconds_bucket{{source=\"{source}\",le=\"60\"}}"))));
        Assert.Equal(0, MonitoringStack.Value(Assert.Single(await stack.QueryAsync($"lakehouse_job_duration_seconds_bucket{{source=\"{source}\",le=\"30\"}}"))));
        Assert.Empty(await stack.QueryAsync("lakehouse_job_failed" + sel));

        var checks = await stack.QueryAsync("lakehouse_dq_check_status" + sel);
        Assert.Equal(
            [("amount_not_negative", "quarantine", 0.0), ("has_customer", "quarantine", 1.0)],
            checks.Select(c => (MonitoringStack.Label(c!, "check"), MonitoringStack.Label(c!, "severity"), MonitoringStack.Value(c!))).Order());
        var failing = await stack.QueryAsync($"lakehouse_dq_check_failing_rows{{source=\"{source}\",check=\"amount_not_negative\"}}");
        Assert.Equal(7, MonitoringStack.Value(Assert.Single(failing)));

        // The run id is nowhere: not a label value of any series of the source.
        var all = await stack.QueryAsync($"{{__name__=~\"lakehouse_.+\",source=\"{source}\"}}");
        Assert.DoesNotContain(all, s => s!["metric"]!.ToJsonString().Contains(report.RunId, StringComparison.Ordinal));
    }

    [MonitoringFact]
    public async Task PublishAsync_SecondRun_ReplacesTheGroupInsteadOfAddingToIt()
    {
        var source = SampleReports.UniqueSource("again");
        using var log = new LogCapture();
        var first = SampleReports.Silver(source, SampleReports.WholeSecondsAgo(120), read: 120);
        Assert.True(await MetricsPublisher.PublishAsync(first, Options(), log.Logger, CancellationToken.None));
        var sel = $"{{source=\"{source}\"}}";
        await stack.WaitForAsync("lakehouse_job_records_read" + sel, r => r.Count == 1);

        var second = SampleReports.Silver(source, SampleReports.WholeSecondsAgo(10), read: 300);
        second.Checks.RemoveAt(0);
        second.TableFileCount = null;
        second.TableSizeBytes = null;
        Assert.True(await MetricsPublisher.PublishAsync(second, Options(), log.Logger, CancellationToken.None));

        var read = await stack.WaitForAsync("lakehouse_job_records_read" + sel, r => r.Count == 1 && MonitoringStack.Value(r[0]!) == 300);
        Assert.Equal(300, MonitoringStack.Value(Assert.Single(read)));
        // Series of the first run that the second did not report are gone, not left beside the new ones.
        var checks = await stack.WaitForAsync("lakehouse_dq_check_status" + sel, r => r.Count == 1);
        Assert.Equal("has_customer", MonitoringStack.Label(Assert.Single(checks)!, "check"));
        Assert.Empty(await stack.WaitForAsync("lakehouse_table_files" + sel, r => r.Count == 0));
        Assert.Equal(second.FinishedAt!.Value.ToUnixTimeSeconds(),
            MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_last_success_timestamp_seconds" + sel))));
        // One group in the Pushgateway for the job and source.
        Assert.Single(await stack.QueryAsync("push_time_seconds" + sel));
    }

    [MonitoringFact]
    public async Task PublishAsync_FailedRunAfterSuccess_KeepsLastSuccessAndReportsTheErrorKind()
    {
        var model = SampleReports.UniqueSource("model");
        using var log = new LogCapture(job: "gold", source: model);
        var finished = SampleReports.WholeSecondsAgo(300);
        var succeeded = new JobRunReport
        {
            RunId = "r1",
            Job = "gold",
            Layer = "gold",
            Source = model,
            Table = $"gold.{model}",
            StartedAt = finished.AddSeconds(-30),
            FinishedAt = finished,
            Status = JobStatus.Succeeded,
            RecordsWritten = 50,
        };
        Assert.True(await MetricsPublisher.PublishAsync(succeeded, Options(), log.Logger, CancellationToken.None));
        var sel = $"{{source=\"{model}\"}}";
        await stack.WaitForAsync("lakehouse_job_succeeded" + sel, r => r.Count == 1);

        var failed = SampleReports.FailedGold(model, SampleReports.WholeSecondsAgo(5));
        Assert.True(await MetricsPublisher.PublishAsync(failed, Options(), log.Logger, CancellationToken.None));

        var status = await stack.WaitForAsync("lakehouse_job_succeeded" + sel, r => r.Count == 1 && MonitoringStack.Value(r[0]!) == 0);
        Assert.Equal(0, MonitoringStack.Value(Assert.Single(status)));
        var failure = Assert.Single(await stack.WaitForAsync("lakehouse_job_failed" + sel, r => r.Count == 1));
        Assert.Equal("engine_unavailable", MonitoringStack.Label(failure!, "error_kind"));
        Assert.Equal(1, MonitoringStack.Value(failure!));
        Assert.Equal(succeeded.FinishedAt!.Value.ToUnixTimeSeconds(),
            MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_last_success_timestamp_seconds" + sel))));
        Assert.Equal(0, MonitoringStack.Value(Assert.Single(await stack.QueryAsync("lakehouse_job_records_written" + sel))));
    }

    [MonitoringFact]
    public async Task PublishAsync_SourceWithASlashAndNoTable_ArrivesWithItsLabelValues()
    {
        var source = "api/" + SampleReports.UniqueSource("posts");
        var report = new JobRunReport { RunId = "r", Job = "bronze", Layer = "bronze", Source = source, Status = JobStatus.Succeeded, RecordsRead = 5 };
        using var log = new LogCapture();

        Assert.True(await MetricsPublisher.PublishAsync(report, Options(), log.Logger, CancellationToken.None));

        var sample = Assert.Single(await stack.WaitForAsync($"lakehouse_job_records_read{{source=\"{source}\"}}", r => r.Count == 1));
        Assert.Equal(5, MonitoringStack.Value(sample));
        Assert.Null(MonitoringStack.Label(sample, "table"));
    }

    [Fact]
    public async Task PublishAsync_PushgatewayDown_ReturnsFalseAndLogsTheFailure()
    {
        var closedPort = ToolProcess.FreePort();
        using var log = new LogCapture();
        var options = new MetricsPublishOptions { PushgatewayUrl = new Uri($"http://127.0.0.1:{closedPort}"), Timeout = TimeSpan.FromSeconds(5) };

        var ok = await MetricsPublisher.PublishAsync(SampleReports.Silver("orders", DateTimeOffset.UtcNow), options, log.Logger, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(ok);
        var warning = Assert.Single(log.Lines, l => l.Contains("Could not push", StringComparison.Ordinal));
        Assert.Contains("\"@l\":\"Warning\"", warning, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_PushgatewayAcceptsButNeverAnswers_GivesUpAfterTheTimeoutAndLogs()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptTcpClientAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The listener stopped.
            }
        });
        using var log = new LogCapture();
        var options = new MetricsPublishOptions { PushgatewayUrl = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(1) };

        var ok = await MetricsPublisher.PublishAsync(SampleReports.Silver("orders", DateTimeOffset.UtcNow), options, log.Logger, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        listener.Stop();
        await accepting;
        accepted.ForEach(c => c.Dispose());
        Assert.False(ok);
        Assert.NotEmpty(accepted);
        Assert.Single(log.Lines, l => l.Contains("Could not push", StringComparison.Ordinal) && l.Contains("no answer within 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_CancelledToken_LogsAndDoesNotThrow()
    {
        using var log = new LogCapture();
        var options = new MetricsPublishOptions { PushgatewayUrl = new Uri($"http://127.0.0.1:{ToolProcess.FreePort()}") };

        var ok = await MetricsPublisher.PublishAsync(SampleReports.Silver("orders", DateTimeOffset.UtcNow), options, log.Logger, new CancellationToken(true));

        Assert.False(ok);
        Assert.Single(log.Lines, l => l.Contains("publishing was cancelled", StringComparison.Ordinal));
    }

    private MetricsPublishOptions Options() => new() { PushgatewayUrl = stack.PushgatewayUrl };
}
