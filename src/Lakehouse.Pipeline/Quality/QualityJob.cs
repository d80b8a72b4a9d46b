using Lakehouse.Pipeline.Configuration;
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
        var version = await SilverProgress.LatestVersionAsync(ctx.Spark, path, ct).ConfigureAwait(false);
        ctx.Report.InputVersion = version;
        var checks = ctx.Config.Checks.GetValueOrDefault(table) ?? [];
        var last = await LatestRunAsync(ctx, table, ct).ConfigureAwait(false);
        if (last is { Status: "succeeded", InputVersion: { } checkedVersion } && checkedVersion == version)
        {
            // The table is unchanged since its last passing checks: checks on its contents alone would pass again.
            // Those that also depend on the clock (freshness), on earlier runs (row_count_change) or on another table
            // (relationship) run again.
            var again = checks.Where(c => c.Type is TableCheckType.Freshness or TableCheckType.RowCountChange or TableCheckType.Relationship).ToList();
            ctx.Log.Information("quality {Table}: unchanged at version {Version} since run {RunId}, which passed; {Count} of {Total} checks run again",
                table, version, last.RunId, again.Count, checks.Count);
            checks = again;
        }

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
        var latest = await LatestRunAsync(ctx, table, ct).ConfigureAwait(false);
        if (latest is null)
        {
            return $"{table} has no quality run yet; run `lakehouse-quality --table {table}` first";
        }

        return latest.Status == "succeeded"
            ? null
            : $"the latest quality run of {table} (run {latest.RunId}) ended {latest.Status}: {latest.Error}";
    }

    /// <summary>The latest quality run of <paramref name="table"/> in <c>ops.job_runs</c> (by the row's wall-clock
    /// <c>logged_at</c>), or null.</summary>
    private static async Task<QualityRun?> LatestRunAsync(JobContext ctx, string table, CancellationToken ct)
    {
        var runs = await DeltaTables.TryReadAsync(ctx.Spark, ctx.TablePath(TableLocations.JobRuns), ct).ConfigureAwait(false);
        if (runs is null)
        {
            return null;
        }

        var latest = await runs.Filter((Col("job") == Lit("quality")) & (Col("table_name") == Lit(table)))
            .OrderBy(Col("logged_at").Desc())
            .Select("run_id", "status", "error", "input_version")
            .Limit(1)
            .CollectAsync(ct).ConfigureAwait(false);
        return latest.Count == 0
            ? null
            : new QualityRun(latest[0].Get<string>("run_id"), latest[0].Get<string>("status"), latest[0].Get<string>("error"), latest[0].Get<long?>("input_version"));
    }

    private sealed record QualityRun(string? RunId, string? Status, string? Error, long? InputVersion);
}
