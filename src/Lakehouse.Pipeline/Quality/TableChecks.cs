using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// Runs the table checks of one table: not_null, unique, accepted_values, range, freshness and relationship in one
/// aggregate pass over the table (a relationship joins the other table's distinct keys into it), row_count_change against the table's row counts of earlier
/// runs in <c>ops.dq_results</c>. Every result is appended to <c>ops.dq_results</c>. A failed check is data, not an
/// exception: the caller decides, and a failed <c>critical</c> check is a quality-gate failure (exit code 7).
/// </summary>
public static class TableChecks
{
    /// <summary>Runs <paramref name="checks"/> on <paramref name="table"/> and records the results.</summary>
    /// <param name="spark">The session.</param>
    /// <param name="table">The checked table, e.g. <c>silver.orders</c> (read at <see cref="CheckContext.TablePath"/>).</param>
    /// <param name="checks">The table's checks from the pipeline file; may be empty (then nothing is read or written).</param>
    /// <param name="ctx">Run id, clock, table locations, history depth, example count, logger.</param>
    /// <param name="ct">Cancels the queries.</param>
    /// <returns>One outcome per check, in the order given; <see cref="CheckOutcome.Severity"/> is <c>critical</c> or <c>warning</c>.</returns>
    /// <exception cref="PipelineInputException">The table does not exist.</exception>
    /// <exception cref="SparkConnectException">The engine failed a query, e.g. a check names a column the table lacks.</exception>
    public static async Task<IReadOnlyList<CheckOutcome>> RunAsync(
        SparkSession spark, string table, IReadOnlyList<TableCheckConfig> checks, CheckContext ctx, CancellationToken ct = default) =>
        (await RunCountedAsync(spark, table, checks, ctx, ct).ConfigureAwait(false)).Outcomes;

    /// <summary>As <see cref="RunAsync"/>, also returning how many rows the checks saw (0 when there are no checks, as
    /// nothing is read then). Given <paramref name="pinned"/> (the rows checks see, read at that version of the table,
    /// see <see cref="ReadAt"/>), results record their basis, reuse an earlier result or measurement with the same
    /// basis, and start from the latest earlier result when the table changed since only by silver-job batches
    /// (<see cref="CheckRun"/>). <paramref name="knownRows"/> is the pinned version's row count when the caller knows
    /// it; otherwise it may follow from an earlier result and the MERGE metrics since: a run whose checks then need
    /// nothing of the whole table reads no more than the new rows.</summary>
    internal static async Task<(IReadOnlyList<CheckOutcome> Outcomes, long Rows)> RunCountedAsync(
        SparkSession spark, string table, IReadOnlyList<TableCheckConfig> checks, CheckContext ctx, CancellationToken ct = default,
        (DataFrame Frame, long Version)? pinned = null, long? knownRows = null)
    {
        ArgumentNullException.ThrowIfNull(spark);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(ctx);
        if (checks.Count == 0)
        {
            return ([], 0);
        }

        var path = ctx.TablePath(table);
        var frame = pinned?.Frame ?? await ReadAsync(spark, table, ctx, ct).ConfigureAwait(false)
            ?? throw new PipelineInputException($"The table {table} does not exist at {path}; run the job that writes it before its checks.");

        CheckBasis.At? self = null;
        CommitLog? selfLog = null;
        IReadOnlyDictionary<string, EarlierCheck> earlier = new Dictionary<string, EarlierCheck>();
        if (pinned is { Version: var version }
            && await CommitLog.TryReadAsync(spark, table, path, ct).ConfigureAwait(false) is { } log && log.At(version) is { } at)
        {
            (self, selfLog) = (at, log);
            earlier = await EarlierChecksAsync(spark, table, frame, checks, ctx, log, at, ct).ConfigureAwait(false);
        }

        var passes = new CheckPasses(frame);
        var run = new CheckRun(spark, table, frame, self, ctx, ct, earlier, selfLog);
        var judges = new List<CheckRun.Judge>(checks.Count);
        foreach (var check in checks)
        {
            judges.Add(await run.PlanAsync(check, passes).ConfigureAwait(false));
        }

        // The row count of an earlier result's commit plus what the MERGEs since inserted and deleted, when the full
        // pass is not needed otherwise.
        if (knownRows is null && earlier.Values.FirstOrDefault(e => e.Change?.RowChange is not null) is { } counted)
        {
            knownRows = counted.TotalRows + counted.Change!.RowChange!.Value;
            ctx.Log?.Information("Checks of {Table}: {Rows} rows, the {Then} of {From} plus the MERGEs' inserts less deletes since (not counted unless a check reads the whole table)",
                table, knownRows, counted.TotalRows, counted.From.ToString());
        }

        var metrics = await passes.RunAsync(knownRows, ct).ConfigureAwait(false);
        var rows = metrics.Rows;

        var results = new List<CheckResult>(checks.Count);
        foreach (var judge in judges)
        {
            results.Add(await judge(metrics).ConfigureAwait(false));
        }

        await DqResultsLog.AppendAsync(spark, ctx, table, results, ct).ConfigureAwait(false);
        foreach (var r in results)
        {
            ctx.Log?.Write(r.Passed ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning,
                "Check {Table}.{Check} ({Severity}) {Status}: {Message} Examples: {Examples}",
                table, r.Check.Name, CheckRun.SeverityName(r.Check.Severity), r.Passed ? "passed" : "failed", r.Message, r.Examples);
        }

        return ([.. results.Select(r => new CheckOutcome(table, r.Check.Name, CheckRun.SeverityName(r.Check.Severity), r.Passed, r.FailingRows))], rows);
    }

    // The latest earlier result of each check that names a commit of the table as it is, with how the table changed
    // since; a change only when the rows are a silver table's (latest per key, with _batch_id) and the schema is the same.
    private static async Task<IReadOnlyDictionary<string, EarlierCheck>> EarlierChecksAsync(SparkSession spark, string table, DataFrame frame,
        IReadOnlyList<TableCheckConfig> checks, CheckContext ctx, CommitLog log, CheckBasis.At self, CancellationToken ct)
    {
        string? whyNot = ctx.HistoryTables.Contains(table) ? $"{table} keeps history"
            : self.Batch is null ? $"{table} records no bronze progress at v{self.Version}"
            : null;

        // Without batches to start from, only a freshness value measured at this very commit, and whether a
        // relationship failed last time (which picks how it is counted), are of use.
        var based = checks.Where(c => whyNot is null ? c.Type != TableCheckType.RowCountChange : c.Type is TableCheckType.Freshness or TableCheckType.Relationship).ToList();
        var result = new Dictionary<string, EarlierCheck>(StringComparer.Ordinal);
        var latest = await DqResultsLog.LatestBasedAsync(spark, ctx, table, based, ct).ConfigureAwait(false);
        if (latest.Count == 0)
        {
            return result;
        }

        // The schema is read only for a result of an older version (a schema read plans the table's scan, deletion
        // vectors included): a result of this very commit starts from no new rows (a silver table always has _batch_id).
        DataType? schema = null;
        var sameSchema = new Dictionary<long, bool>();
        foreach (var check in based)
        {
            if (!latest.TryGetValue(check.Name, out var row) || CheckBasis.Parse(check, row.Get<string>("basis")) is not var (from, other))
            {
                continue;
            }

            var (change, why) = whyNot is null ? log.Since(from, self.Version) : (null, whyNot);
            if (change is not null && from.Version != self.Version)
            {
                schema ??= await frame.SchemaAsync(ct).ConfigureAwait(false);
                if (!SparkTypes.Fields(schema).Any(f => f.Name == BronzeColumns.BatchId))
                {
                    (change, why) = (null, $"{table} has no {BronzeColumns.BatchId} column");
                }
                else
                {
                    if (!sameSchema.TryGetValue(from.Version, out var same))
                    {
                        var then = await DeltaTables.ReadAt(spark, ctx.TablePath(table), from.Version).SchemaAsync(ct).ConfigureAwait(false);
                        sameSchema[from.Version] = same = then.Equals(schema);
                    }

                    if (!same)
                    {
                        (change, why) = (null, $"the schema of {table} changed since v{from.Version}");
                    }
                }
            }

            result[check.Name] = new EarlierCheck(row.Get<string>("run_id"), row.Get<string>("status") == "passed", CheckValues.Long(row["total_rows"]),
                row.Get<string>("measured"), from, other, change, why)
            {
                FailingRows = CheckValues.Long(row["failing_rows"]),
                Examples = DqResultsLog.Examples(row),
            };
        }

        return result;
    }

    /// <summary>The rows checks see of <paramref name="table"/> at <paramref name="version"/>: all, or the current ones of
    /// a history table.</summary>
    internal static DataFrame ReadAt(SparkSession spark, string table, long version, CheckContext ctx)
    {
        var frame = DeltaTables.ReadAt(spark, ctx.TablePath(table), version);
        return ctx.HistoryTables.Contains(table) ? Silver.Scd2Tables.Current(frame) : frame;
    }

    /// <summary>The rows checks see of <paramref name="table"/>: all, or the current ones of a history table
    /// (<see cref="CheckContext.HistoryTables"/>); null when the table does not exist.</summary>
    internal static async Task<DataFrame?> ReadAsync(SparkSession spark, string table, CheckContext ctx, CancellationToken ct)
    {
        var frame = await DeltaTables.TryReadAsync(spark, ctx.TablePath(table), ct).ConfigureAwait(false);
        return frame is not null && ctx.HistoryTables.Contains(table) ? Silver.Scd2Tables.Current(frame) : frame;
    }
}
