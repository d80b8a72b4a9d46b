using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Runs;

/// <summary>Appends one row per job run to <c>ops.job_runs</c>.</summary>
internal static class JobRunLog
{
    public static async Task AppendAsync(SparkSession spark, string path, JobRunReport report, DataInterval? interval, CancellationToken ct)
    {
        var row = new JobRunRow(
            report.RunId, report.Job, report.Layer, report.Source, report.Table, SnakeCase.Convert(report.Status.ToString()),
            report.ErrorKind, report.Error, report.StartedAt, report.FinishedAt, report.Duration?.TotalSeconds,
            report.RecordsRead, report.RecordsWritten, report.RecordsDropped, report.RecordsQuarantined, report.RecordsRescued,
            report.InputVersion, report.TableVersion, interval?.Start, interval?.End,
            // Wall-clock time of the append, not the run's (injectable) clock: it orders the rows of a table's runs.
            DateTimeOffset.UtcNow);
        var frame = spark.CreateDataFrame([row]);
        frame = frame.WithColumnsRenamed(SnakeCase.Renames(typeof(JobRunRow)));
        await DeltaWrites.AppendWithRetryAsync(frame.Write.Format("delta").Mode("append"), path, ct).ConfigureAwait(false);
    }

    private sealed record JobRunRow(
        string RunId, string Job, string Layer, string? Source, string? TableName, string Status, string? ErrorKind, string? Error,
        DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds, long RecordsRead, long RecordsWritten,
        long RecordsDropped, long RecordsQuarantined, long RecordsRescued, long? InputVersion, long? OutputVersion,
        DateTimeOffset? DataIntervalStart, DateTimeOffset? DataIntervalEnd, DateTimeOffset LoggedAt);
}
