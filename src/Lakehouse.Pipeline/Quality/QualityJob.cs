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
            BusinessKeys = ctx.Config.Sources.ToDictionary(s => s.SilverTable, s => s.BusinessKey, StringComparer.Ordinal),
            Log = ctx.Log,
            CompactResults = !ctx.Settings.DeferLogCompaction,
        };
        var version = await DeltaTables.TryLatestVersionAsync(ctx.Spark, path, ct).ConfigureAwait(false)
            ?? throw new PipelineInputException($"{table} does not exist yet at {path}; run the job that writes it before its checks.");
        // Checked at the version recorded with the run, so the record says exactly what was checked.
        var frame = TableChecks.ReadAt(ctx.Spark, table, version, checkContext);
        ctx.Report.InputVersion = version;
        var checks = ctx.Config.Checks.GetValueOrDefault(table) ?? [];
        var last = (await LatestRunsAsync(ctx, [table], ct).ConfigureAwait(false)).GetValueOrDefault(table);
        long? unchanged = null;
        if (last is { Status: "succeeded", InputVersion: { } checkedVersion } && checkedVersion == version)
        {
            // The rows that run saw are the rows there are.
            unchanged = last.RecordsRead;
            // The table is unchanged since its last passing checks: checks on its contents alone would pass again.
            // Those that also depend on the clock (freshness), on earlier runs (row_count_change) or on another table
            // (relationship) run again.
            var again = checks.Where(c => c.Type is TableCheckType.Freshness or TableCheckType.RowCountChange or TableCheckType.Relationship).ToList();
            ctx.Log.Information("quality {Table}: unchanged at version {Version} since run {RunId}, which passed; {Count} of {Total} checks run again",
                table, version, last.RunId, again.Count, checks.Count);
            checks = again;
        }

        var (outcomes, rows) = await TableChecks.RunCountedAsync(ctx.Spark, table, checks, checkContext, ct, (frame, version), unchanged).ConfigureAwait(false);
        ctx.Report.Checks.AddRange(outcomes);
        // The rows the checks saw; without table checks the table's own row expectations (applied by silver) are its
        // gate, and the rows are counted for the report alone.
        ctx.Report.RecordsRead = checks.Count > 0 ? rows
            : unchanged is { } same ? same
            : await frame.CountAsync(ct).ConfigureAwait(false);

        var critical = outcomes.Where(o => !o.Passed && o.Severity == "critical").ToList();
        if (critical.Count > 0)
        {
            throw new QualityGateException(
                $"{table}: critical checks failed: {string.Join(", ", critical.Select(c => $"{c.Check} ({c.FailingRows} rows)"))}; see {TableLocations.DqResults} for examples. Gold models reading {table} will not be built until its checks pass.");
        }
    }

    /// <summary>Whether the latest quality run of each of <paramref name="tables"/> passed, per <c>ops.job_runs</c> (one
    /// query for all); the reasons of those that did not, empty when all passed.</summary>
    public static async Task<IReadOnlyList<string>> GateAsync(JobContext ctx, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var latest = await LatestRunsAsync(ctx, tables, ct).ConfigureAwait(false);
        var blocked = new List<string>();
        foreach (var table in tables)
        {
            if (!latest.TryGetValue(table, out var run))
            {
                blocked.Add($"{table} has no quality run yet; run `lakehouse-quality --table {table}` first");
            }
            else if (run.Status != "succeeded")
            {
                blocked.Add($"the latest quality run of {table} (run {run.RunId}) ended {run.Status}: {run.Error}");
            }
        }

        return blocked;
    }

    /// <summary>The latest quality run of each of <paramref name="tables"/> in <c>ops.job_runs</c> (by the row's
    /// wall-clock <c>logged_at</c>); tables without one are absent.</summary>
    private static async Task<IReadOnlyDictionary<string, QualityRun>> LatestRunsAsync(JobContext ctx, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var runs = ctx.Spark.Read.Format("delta").Load(ctx.TablePath(TableLocations.JobRuns));
        var latest = runs.Filter((Col("job") == Lit("quality")) & Col("table_name").IsIn([.. tables]))
            .WithColumn("__newest", RowNumber().Over(Window.PartitionBy("table_name").OrderBy(Col("logged_at").Desc())))
            .Filter(Col("__newest") == Lit(1))
            .Select("table_name", "run_id", "status", "error", "input_version", "records_read");
        var rows = await DeltaTables.TryCollectAsync(latest, ct).ConfigureAwait(false) ?? [];
        return rows.ToDictionary(
            r => r.Get<string>("table_name")!,
            r => new QualityRun(r.Get<string>("run_id"), r.Get<string>("status"), r.Get<string>("error"), r.Get<long?>("input_version"), r.Get<long?>("records_read")),
            StringComparer.Ordinal);
    }

    private sealed record QualityRun(string? RunId, string? Status, string? Error, long? InputVersion, long? RecordsRead);
}
