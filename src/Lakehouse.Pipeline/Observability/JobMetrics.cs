using Lakehouse.Pipeline.Runs;
using Prometheus;

namespace Lakehouse.Pipeline.Observability;

/// <summary>
/// Turns one job run's report into Prometheus metrics in a registry of its own, so runs never share state through
/// prometheus-net's static default registry. Every series is labelled by job, layer, source and table only: the run
/// id and the instance would make each run a new series (docs/metrics.md).
/// </summary>
internal static class JobMetrics
{
    internal static readonly string[] Labels = ["job", "layer", "source", "table"];

    // A job runs for seconds (a small bronze batch) up to hours (a full gold rebuild on a cluster).
    internal static readonly double[] DurationBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];

    /// <summary>Builds the metrics of <paramref name="report"/>; a report still running counts as ending now.</summary>
    public static CollectorRegistry Build(JobRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        var labels = LabelValues(report, report.Table);
        var finished = report.FinishedAt ?? DateTimeOffset.UtcNow;

        Gauge(factory, MetricNames.RecordsRead, labels, report.RecordsRead);
        Gauge(factory, MetricNames.RecordsWritten, labels, report.RecordsWritten);
        Gauge(factory, MetricNames.RecordsDropped, labels, report.RecordsDropped);
        Gauge(factory, MetricNames.RecordsQuarantined, labels, report.RecordsQuarantined);
        Gauge(factory, MetricNames.RecordsRescued, labels, report.RecordsRescued);
        Gauge(factory, MetricNames.BytesWritten, labels, report.BytesWritten);
        Gauge(factory, MetricNames.FilesWritten, labels, report.FilesWritten);
        Gauge(factory, MetricNames.Succeeded, labels, report.Status == JobStatus.Succeeded ? 1 : 0);
        Gauge(factory, MetricNames.LastRun, labels, finished.ToUnixTimeMilliseconds() / 1000.0);

        factory.CreateHistogram(MetricNames.Duration, MetricNames.Help(MetricNames.Duration), Labels,
                new HistogramConfiguration { Buckets = DurationBuckets })
            .WithLabels(labels)
            .Observe(Math.Max(0, (finished - report.StartedAt).TotalSeconds));

        if (report.Status == JobStatus.Succeeded)
        {
            Gauge(factory, MetricNames.LastSuccess, labels, finished.ToUnixTimeMilliseconds() / 1000.0);
        }
        else if (report.Status is JobStatus.Failed or JobStatus.QualityGateFailed)
        {
            var kind = report.ErrorKind ?? (report.Status == JobStatus.QualityGateFailed ? "quality_gate" : "internal");
            factory.CreateGauge(MetricNames.Failed, MetricNames.Help(MetricNames.Failed), [.. Labels, "error_kind"])
                .WithLabels([.. labels, kind])
                .Set(1);
        }

        if (report.TableVersion is { } version)
        {
            Gauge(factory, MetricNames.TableVersion, labels, version);
        }

        if (report.TableFileCount is { } files)
        {
            Gauge(factory, MetricNames.TableFiles, labels, files);
            if (report.TableSizeBytes is { } size)
            {
                Gauge(factory, MetricNames.TableSize, labels, size);
                Gauge(factory, MetricNames.TableMeanFileSize, labels, files == 0 ? 0 : (double)size / files);
            }
        }

        if (report.FreshnessSeconds is { } freshness)
        {
            Gauge(factory, MetricNames.Freshness, labels, freshness);
            // A failed run keeps the freshness of an earlier run in the Pushgateway (PushgatewayClient.MethodFor), so
            // the age "now" is computed from this absolute time, not from the freshness and the last run's end.
            Gauge(factory, MetricNames.NewestRecord, labels, finished.ToUnixTimeMilliseconds() / 1000.0 - freshness);
        }

        AddChecks(factory, report);
        return registry;
    }

    /// <summary>The label values of a report's series, in the order of <see cref="Labels"/>; absent ones are empty.</summary>
    internal static string[] LabelValues(JobRunReport report, string? table) =>
        [report.Job, report.Layer, report.Source ?? "", table ?? ""];

    private static void AddChecks(IMetricFactory factory, JobRunReport report)
    {
        if (report.Checks.Count == 0)
        {
            return;
        }

        string[] checkLabels = [.. Labels, "check", "severity"];
        var status = factory.CreateGauge(MetricNames.CheckStatus, MetricNames.Help(MetricNames.CheckStatus), checkLabels);
        var failing = factory.CreateGauge(MetricNames.CheckFailingRows, MetricNames.Help(MetricNames.CheckFailingRows), checkLabels);
        foreach (var check in report.Checks)
        {
            string[] values = [.. LabelValues(report, check.Table), check.Check, check.Severity];
            status.WithLabels(values).Set(check.Passed ? 1 : 0);
            failing.WithLabels(values).Set(check.FailingRows);
        }
    }

    private static void Gauge(IMetricFactory factory, string name, string[] labels, double value) =>
        factory.CreateGauge(name, MetricNames.Help(name), Labels).WithLabels(labels).Set(value);
}
