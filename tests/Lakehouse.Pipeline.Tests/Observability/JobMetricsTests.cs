using System.Text;
using System.Text.RegularExpressions;
using Lakehouse.Pipeline.Observability;
using Lakehouse.Pipeline.Runs;

namespace Lakehouse.Pipeline.Tests.Observability;

public sealed partial class JobMetricsTests
{
    [Fact]
    public async Task Build_SucceededRun_EverySeriesHasOnlyTheAgreedLabels()
    {
        var report = SampleReports.Silver("orders", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        var text = await ExportAsync(report);

        var samples = Samples(text).ToList();
        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.Subset(
            new HashSet<string> { "job", "layer", "source", "table", "check", "severity", "error_kind", "le" }, s.Labels.Keys.ToHashSet()));
        Assert.DoesNotContain(report.RunId, text, StringComparison.Ordinal);
        Assert.Equal(1_800_000_000, Sample(samples, "lakehouse_job_last_success_timestamp_seconds"));
        Assert.Equal(1024, Sample(samples, "lakehouse_table_mean_file_size_bytes"));
        Assert.DoesNotContain(samples, s => s.Name == "lakehouse_job_failed");
    }

    [Fact]
    public async Task Build_FailedRun_NoLastSuccessAndTheErrorKind()
    {
        var report = SampleReports.FailedGold("daily_revenue", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        var samples = Samples(await ExportAsync(report)).ToList();

        Assert.DoesNotContain(samples, s => s.Name == "lakehouse_job_last_success_timestamp_seconds");
        var failed = Assert.Single(samples, s => s.Name == "lakehouse_job_failed");
        Assert.Equal("engine_unavailable", failed.Labels["error_kind"]);
        Assert.Equal(0, Sample(samples, "lakehouse_job_succeeded"));
        Assert.Equal(20, Sample(samples, "lakehouse_job_duration_seconds_sum"));
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("lakehouse_table_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_QualityGateWithoutErrorKind_CountsAsQualityGate()
    {
        var report = SampleReports.QualityGate("orders", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        report.ErrorKind = null;

        var samples = Samples(await ExportAsync(report)).ToList();

        Assert.Equal("quality_gate", Assert.Single(samples, s => s.Name == "lakehouse_job_failed").Labels["error_kind"]);
        var critical = Assert.Single(samples, s => s.Name == "lakehouse_dq_check_status" && s.Labels["severity"] == "critical");
        Assert.Equal(("order_id_unique", 0.0), (critical.Labels["check"], critical.Value));
    }

    [Fact]
    public void GroupPath_SourceOrTable_NeverTheRunId()
    {
        var silver = SampleReports.Silver("orders", DateTimeOffset.UnixEpoch);
        var goldQuality = new JobRunReport { RunId = "r", Job = "quality", Layer = "gold", Table = "gold.daily_revenue" };
        var slashed = new JobRunReport { RunId = "r", Job = "bronze", Layer = "bronze", Source = "api/posts" };

        Assert.Equal("metrics/job/silver/layer/silver/source/orders", PushgatewayClient.GroupPath(silver));
        Assert.Equal("metrics/job/quality/layer/gold/table/gold.daily_revenue", PushgatewayClient.GroupPath(goldQuality));
        // Pushgateway README: a value with a slash goes base64url-encoded.
        Assert.Equal("metrics/job/bronze/layer/bronze/source@base64/YXBpL3Bvc3Rz", PushgatewayClient.GroupPath(slashed));
    }

    [Fact]
    public void MetricsDoc_ListsEveryMetricWithItsHelpText()
    {
        var doc = File.ReadAllText(Path.Combine(MonitoringTools.RepositoryRoot, "docs", "metrics.md"));

        foreach (var name in MetricNames.All)
        {
            Assert.Contains($"| `{name}`", doc, StringComparison.Ordinal);
            Assert.Contains($"| {MetricNames.Help(name)} |", doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PublishAsync_MetricsFile_WritesTheTextFormatAtomically()
    {
        using var dir = new TempDirectory("metrics-file");
        var file = dir.Combine("textfile", "lakehouse_silver_orders.prom");
        using var log = new LogCapture();
        var report = SampleReports.Silver("orders", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        Assert.True(await MetricsPublisher.PublishAsync(report, new MetricsPublishOptions { MetricsFile = file }, log.Logger, CancellationToken.None));
        report.RecordsRead = 999;
        Assert.True(await MetricsPublisher.PublishAsync(report, new MetricsPublishOptions { MetricsFile = file }, log.Logger, CancellationToken.None));

        Assert.Equal([file], Directory.GetFiles(dir.Combine("textfile")));
        var samples = Samples(await File.ReadAllTextAsync(file)).ToList();
        Assert.Equal(999, Sample(samples, "lakehouse_job_records_read"));
        Assert.Contains("# HELP lakehouse_job_records_read Records the last run read from its input.", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [MonitoringFact]
    public async Task PublishAsync_MetricsFile_PassesPromtoolCheckMetrics()
    {
        using var dir = new TempDirectory("metrics-file-lint");
        var file = dir.Combine("lakehouse.prom");
        using var log = new LogCapture();
        await MetricsPublisher.PublishAsync(SampleReports.QualityGate("orders", DateTimeOffset.UtcNow), new MetricsPublishOptions { MetricsFile = file }, log.Logger, CancellationToken.None);

        var (code, output) = await ToolProcess.RunAsync("/bin/sh", dir.Path, "-c", $"{MonitoringTools.Promtool} check metrics < lakehouse.prom");

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task PublishAsync_UnwritableMetricsFile_ReturnsFalseAndLogs()
    {
        using var dir = new TempDirectory("metrics-file-bad");
        var blocker = dir.Combine("not-a-dir");
        File.WriteAllText(blocker, "");
        using var log = new LogCapture();

        var ok = await MetricsPublisher.PublishAsync(SampleReports.Silver("orders", DateTimeOffset.UtcNow),
            new MetricsPublishOptions { MetricsFile = Path.Combine(blocker, "x.prom") }, log.Logger, CancellationToken.None);

        Assert.False(ok);
        Assert.Single(log.Lines, l => l.Contains("Could not write the run's metrics", StringComparison.Ordinal));
    }

    private static async Task<string> ExportAsync(JobRunReport report) =>
        Encoding.UTF8.GetString(await MetricsPublisher.ExportAsync(JobMetrics.Build(report), CancellationToken.None));

    private static double Sample(IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> samples, string name) =>
        Assert.Single(samples, s => s.Name == name).Value;

    /// <summary>The samples of Prometheus' text format (exposition formats, "Text format details").</summary>
    private static IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Samples(string text)
    {
        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var match = SampleLine().Match(line);
            Assert.True(match.Success, line);
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["k"].Value, m => m.Groups["v"].Value);
            yield return (match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<v>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
