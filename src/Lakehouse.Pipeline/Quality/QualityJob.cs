using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>The quality job of one table: its table checks (results in <c>ops.dq_results</c>); a failed critical check
/// fails the quality gate (exit code 7), which blocks every gold model that reads the table.</summary>
internal static class QualityJob
{
    public static async Task RunAsync(JobContext ctx, string table, CancellationToken ct)
    {
        var path = ctx.TablePath(table);
        var checkContext = new CheckContext
        {
            RunId = ctx.Settings.RunId,
            Now = ctx.Now,
            TablePath = ctx.TablePath,
            HistoryTables = Scd2Tables.Of(ctx.Config),
            Log = ctx.Log,
        };
        var frame = await TableChecks.ReadAsync(ctx.Spark, table, checkContext, ct).ConfigureAwait(false)
            ?? throw new PipelineInputException($"{table} does not exist yet at {path}; run the job that writes it before its checks.");
        var checks = ctx.Config.Checks.GetValueOrDefault(table) ?? [];
        var (outcomes, rows) = await TableChecks.RunCountedAsync(ctx.Spark, table, checks, checkContext, ct).ConfigureAwait(false);
        ctx.Report.Checks.AddRange(outcomes);
        // The rows the checks saw; without table checks the table's own row expectations (applied by silver) are its
        // gate, and the rows are counted for the report alone.
        ctx.Report.RecordsRead = checks.Count > 0 ? rows : await frame.CountAsync(ct).ConfigureAwait(false);

        var critical = outcomes.Where(o => !o.Passed && o.Severity == "critical").ToList();
        if (critical.Count > 0)
        {
            throw new QualityGateException(
                $"{table}: critical checks failed: {string.Join(", ", critical.Select(c => $"{c.Check} ({c.FailingRows} rows)"))}; see {TableLocations.DqResults} for examples. Gold models reading {table} will not be built until its checks pass.");
        }
    }

    /// <summary>Whether the latest quality run of <paramref name="table"/> passed, per <c>ops.job_runs</c>; null when it
    /// passed, else why not.</summary>
    public static async Task<string?> GateAsync(JobContext ctx, string table, CancellationToken ct)
    {
        var runs = await DeltaTables.TryReadAsync(ctx.Spark, ctx.TablePath(TableLocations.JobRuns), ct).ConfigureAwait(false);
        if (runs is null)
        {
            return $"{table} has no quality run yet; run `lakehouse-quality --table {table}` first";
        }

        var latest = await runs.Filter((Col("job") == Lit("quality")) & (Col("table_name") == Lit(table)))
            .OrderBy(Col("logged_at").Desc())
            .Select("run_id", "status", "error")
            .Limit(1)
            .CollectAsync(ct).ConfigureAwait(false);
        if (latest.Count == 0)
        {
            return $"{table} has no quality run yet; run `lakehouse-quality --table {table}` first";
        }

        var status = latest[0].Get<string>("status");
        return status == "succeeded"
            ? null
            : $"the latest quality run of {table} (run {latest[0].Get<string>("run_id")}) ended {status}: {latest[0].Get<string>("error")}";
    }
}
