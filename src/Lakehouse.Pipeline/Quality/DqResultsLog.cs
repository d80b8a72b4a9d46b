using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// <c>ops.dq_results</c>: one row per check per run (run_id, table_name, check_name, check_type, severity, status,
/// observed_value, threshold, failing_rows, total_rows, examples as a JSON array of strings, message, checked_at, basis,
/// measured).
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
            JsonSerializer.Serialize(r.Examples), r.Message, ctx.Now, r.Basis, r.Measured)).ToList();
        var frame = spark.CreateDataFrame(rows).WithColumnsRenamed(SnakeCase.Renames(typeof(DqResultRow)));
        var path = ctx.TablePath(ctx.ResultsTable);
        // mergeSchema: a results table written before the basis or measured column gains it.
        await DeltaWrites.AppendWithRetryAsync(frame.Write.Format("delta").Mode("append").Option("mergeSchema", "true"), path, ct).ConfigureAwait(false);
        if (ctx.CompactResults)
        {
            await LogCompaction.CompactIfFragmentedAsync(spark, path, ctx.Log ?? Serilog.Core.Logger.None, ct).ConfigureAwait(false);
        }
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

    /// <summary>An earlier result of <paramref name="check"/> on <paramref name="table"/> recorded with the same
    /// <paramref name="basis"/> (<see cref="CheckResult.Basis"/>), as this run's result; null when there is none.</summary>
    public static async Task<CheckResult?> EarlierResultAsync(
        SparkSession spark, CheckContext ctx, string table, TableCheckConfig check, string basis, CancellationToken ct)
    {
        var earlier = spark.Read.Format("delta").Load(ctx.TablePath(ctx.ResultsTable))
            .Filter((Col("table_name") == table) & (Col("check_name") == check.Name) & (Col("basis") == basis))
            .Select("run_id", "status", "observed_value", "threshold", "failing_rows", "total_rows", "examples", "message")
            .Limit(1);
        if (await CollectEarlierAsync(earlier, ct).ConfigureAwait(false) is not [var row])
        {
            return null;
        }

        ctx.Log?.Information("Check {Table}.{Check}: its tables are unchanged since run {RunId}; its result stands ({Basis})",
            table, check.Name, row.Get<string>("run_id"), basis);
        return new CheckResult(
            check, row.Get<string>("status") == "passed", row.Get<double?>("observed_value"), row.Get<string>("threshold")!,
            CheckValues.Long(row["failing_rows"]), CheckValues.Long(row["total_rows"]),
            Examples(row), row.Get<string>("message")!) { Basis = basis };
    }

    /// <summary>The <c>examples</c> column of a results row (a JSON array of strings), as a list.</summary>
    public static IReadOnlyList<string> Examples(Row row) => JsonSerializer.Deserialize<string[]>(row.Get<string>("examples") ?? "[]") ?? [];

    /// <summary>The latest earlier result of each of <paramref name="checks"/> on <paramref name="table"/> whose basis has
    /// the check's present definition (<see cref="CheckBasis"/>), by check name; checks without one are absent.</summary>
    public static async Task<IReadOnlyDictionary<string, Row>> LatestBasedAsync(
        SparkSession spark, CheckContext ctx, string table, IReadOnlyList<TableCheckConfig> checks, CancellationToken ct)
    {
        if (checks.Count == 0)
        {
            return new Dictionary<string, Row>();
        }

        var same = checks.Select(c => (Col("check_name") == c.Name) & Col("basis").StartsWith(CheckBasis.Definition(c) + "; ")).Aggregate((a, b) => a | b);
        var latest = spark.Read.Format("delta").Load(ctx.TablePath(ctx.ResultsTable))
            .Filter((Col("table_name") == table) & Col("basis").IsNotNull() & same)
            .WithColumn("__newest", RowNumber().Over(Window.PartitionBy("check_name").OrderBy(Col("checked_at").Desc(), Col("run_id").Desc())))
            .Filter(Col("__newest") == Lit(1))
            .Select("check_name", "run_id", "status", "total_rows", "failing_rows", "examples", "measured", "basis");
        var rows = await CollectEarlierAsync(latest, ct).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Get<string>("check_name")!, StringComparer.Ordinal);
    }

    /// <summary>The rows of a query over earlier results; none when the results table does not exist yet or was
    /// written before the columns the query reads (<c>basis</c>, <c>measured</c>): then there is nothing to reuse.</summary>
    private static async Task<IReadOnlyList<Row>> CollectEarlierAsync(DataFrame earlier, CancellationToken ct)
    {
        try
        {
            return await DeltaTables.TryCollectAsync(earlier, ct).ConfigureAwait(false) ?? [];
        }
        catch (SparkConnectException e) when (ErrorKinds.Classify(e) == ErrorKinds.BadInput)
        {
            return [];
        }
    }

    private sealed record DqResultRow(
        string RunId, string TableName, string CheckName, string CheckType, string Severity, string Status, double? ObservedValue,
        string Threshold, long FailingRows, long TotalRows, string Examples, string Message, DateTimeOffset CheckedAt, string? Basis, string? Measured);
}
