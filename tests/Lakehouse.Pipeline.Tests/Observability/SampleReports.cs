using Lakehouse.Pipeline.Runs;

namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>Job run reports for the tests, each for a source of its own so tests sharing a Pushgateway stay apart.</summary>
internal static class SampleReports
{
    /// <summary>A source name no other test uses.</summary>
    public static string UniqueSource(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A whole second, so the pushed timestamps compare exactly.</summary>
    public static DateTimeOffset WholeSecondsAgo(int seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds);

    /// <summary>A successful silver run of 42 seconds with every field set.</summary>
    public static JobRunReport Silver(string source, DateTimeOffset finished, long read = 120)
    {
        var report = new JobRunReport
        {
            RunId = "manual__" + Guid.NewGuid().ToString("N"),
            Job = "silver",
            Layer = "silver",
            Source = source,
            Table = $"silver.{source}",
            StartedAt = finished.AddSeconds(-42),
            FinishedAt = finished,
            Status = JobStatus.Succeeded,
            RecordsRead = read,
            RecordsWritten = read - 12,
            RecordsDropped = 2,
            RecordsQuarantined = 7,
            RecordsRescued = 3,
            BytesWritten = 4096,
            FilesWritten = 2,
            InputVersion = 8,
            TableVersion = 5,
            TableFileCount = 10,
            TableSizeBytes = 10240,
            FreshnessSeconds = 3600,
        };
        report.Checks.Add(new CheckOutcome($"silver.{source}", "amount_not_negative", "quarantine", false, 7));
        report.Checks.Add(new CheckOutcome($"silver.{source}", "has_customer", "quarantine", true, 0));
        return report;
    }

    /// <summary>A quality run of a silver table whose critical check failed (the quality gate).</summary>
    public static JobRunReport QualityGate(string source, DateTimeOffset finished)
    {
        var report = new JobRunReport
        {
            RunId = "manual__" + Guid.NewGuid().ToString("N"),
            Job = "quality",
            Layer = "silver",
            Source = source,
            Table = $"silver.{source}",
            StartedAt = finished.AddSeconds(-3),
            FinishedAt = finished,
            Status = JobStatus.QualityGateFailed,
            ErrorKind = "quality_gate",
            Error = "critical check order_id_unique failed on silver." + source,
            RecordsRead = 118,
        };
        report.Checks.Add(new CheckOutcome($"silver.{source}", "order_id_unique", "critical", false, 4));
        report.Checks.Add(new CheckOutcome($"silver.{source}", "status_values", "warning", true, 0));
        return report;
    }

    /// <summary>A gold run that failed because the engine was unavailable.</summary>
    public static JobRunReport FailedGold(string model, DateTimeOffset finished) => new()
    {
        RunId = "manual__" + Guid.NewGuid().ToString("N"),
        Job = "gold",
        Layer = "gold",
        Source = model,
        Table = $"gold.{model}",
        StartedAt = finished.AddSeconds(-20),
        FinishedAt = finished,
        Status = JobStatus.Failed,
        ErrorKind = "engine_unavailable",
        Error = "sc://spark:15002 is unavailable",
    };
}
