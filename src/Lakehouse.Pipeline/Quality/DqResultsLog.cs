using System.Text.Json;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// <c>ops.dq_results</c>: one row per check per run (run_id, table_name, check_name, check_type, severity, status,
/// observed_value, threshold, failing_rows, total_rows, examples as a JSON array of strings, message, checked_at).
/// Parallel quality jobs append to it at the same time; a blind append is retried when another commit won.
/// </summary>
internal static class DqResultsLog
{
    public static async Task AppendAsync(SparkSession spark, CheckContext ctx, string table, IReadOnlyList<CheckResult> results, CancellationToken ct)
    {
        if (results.Count == 0)
        {
            return;
        }

        var rows = results.Select(r => new DqResultRow(
            ctx.RunId, table, r.Check.Name, CheckRun.TypeName(r.Check.Type), CheckRun.SeverityName(r.Check.Severity),
            r.Passed ? "passed" : "failed", r.Observed, r.Threshold, r.FailingRows, r.TotalRows,
            JsonSerializer.Serialize(r.Examples), r.Message, ctx.Now)).ToList();
        var frame = spark.CreateDataFrame(rows).WithColumnsRenamed(SnakeCase.Renames(typeof(DqResultRow)));
        await DeltaWrites.AppendWithRetryAsync(frame.Write.Format("delta").Mode("append"), ctx.TablePath(ctx.ResultsTable), ct).ConfigureAwait(false);
    }

    /// <summary>The table's row counts recorded by this check in the last <see cref="CheckContext.HistoryRuns"/>
    /// earlier runs (other run ids), newest first; empty when there are none.</summary>
    public static async Task<IReadOnlyList<long>> RecentRowCountsAsync(SparkSession spark, CheckContext ctx, string table, string check, CancellationToken ct)
    {
        var log = await DeltaTables.TryReadAsync(spark, ctx.TablePath(ctx.ResultsTable), ct).ConfigureAwait(false);
        if (log is null)
        {
            return [];
        }

        var rows = await log
            .Filter((Col("table_name") == table) & (Col("check_name") == check) & (Col("run_id") != ctx.RunId))
            .GroupBy("run_id")
            .Agg(Max(Col("checked_at")).Alias("at"), Max(Col("total_rows")).Alias("total_rows"))
            .OrderBy(Col("at").Desc(), Col("run_id").Desc())
            .Limit(ctx.HistoryRuns)
            .CollectAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(r => CheckValues.Long(r["total_rows"]))];
    }

    private sealed record DqResultRow(
        string RunId, string TableName, string CheckName, string CheckType, string Severity, string Status, double? ObservedValue,
        string Threshold, long FailingRows, long TotalRows, string Examples, string Message, DateTimeOffset CheckedAt);
}
