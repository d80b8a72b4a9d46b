using Lakehouse.Spark.Delta.Sql;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Spark.Delta;

public sealed partial class DeltaTable
{
    /// <summary>Deletes the rows matching <paramref name="condition"/> (all rows when null).</summary>
    /// <param name="condition">Which rows; qualify columns with the alias given to <see cref="As"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of rows deleted (<c>num_affected_rows</c>), or -1 when the server does not report it.</returns>
    /// <exception cref="SparkConnectException">The server failed the delete.</exception>
    public Task<long> DeleteAsync(Column? condition = null, CancellationToken cancellationToken = default) =>
        Session.DeltaApi.RunAsync(
            async rendering =>
            {
                var result = rendering == DeltaRendering.Connect
                    ? await ExecuteOnceAsync(DeltaMessages.Delete(TargetRelation(rendering), condition), cancellationToken).ConfigureAwait(false)
                    : await DeltaExecution.SqlAsync(Session, DeltaSql.Delete(Table, Alias, condition is null ? null : TargetSql().Render(condition)), cancellationToken)
                        .ConfigureAwait(false);
                return result.Metric("num_affected_rows");
            },
            cancellationToken);

    /// <summary>Deletes the rows matching a SQL condition, e.g. <c>"date &lt; '2024-01-01'"</c>.</summary>
    /// <param name="condition">A SQL boolean expression.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of rows deleted, or -1 when the server does not report it.</returns>
    public Task<long> DeleteAsync(string condition, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        return DeleteAsync(Functions.Expr(condition), cancellationToken);
    }

    /// <summary>Sets columns of the rows matching <paramref name="condition"/> (all rows when null).</summary>
    /// <param name="condition">Which rows.</param>
    /// <param name="set">Column name → new value, e.g. <c>["status"] = Lit("done")</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of rows updated (<c>num_affected_rows</c>), or -1 when the server does not report it.</returns>
    /// <exception cref="ArgumentException"><paramref name="set"/> is empty.</exception>
    /// <exception cref="SparkConnectException">The server failed the update.</exception>
    public Task<long> UpdateAsync(Column? condition, IReadOnlyDictionary<string, Column> set, CancellationToken cancellationToken = default)
    {
        var assignments = Assignments(set, nameof(set));
        return Session.DeltaApi.RunAsync(
            async rendering =>
            {
                DeltaResult result;
                if (rendering == DeltaRendering.Connect)
                {
                    result = await ExecuteOnceAsync(DeltaMessages.Update(TargetRelation(rendering), condition, assignments), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var sql = TargetSql();
                    var text = DeltaSql.Update(Table, Alias, assignments.Select(a => KeyValuePair.Create(a.Key, sql.Render(a.Value))), condition is null ? null : sql.Render(condition));
                    result = await DeltaExecution.SqlAsync(Session, text, cancellationToken).ConfigureAwait(false);
                }

                return result.Metric("num_affected_rows");
            },
            cancellationToken);
    }

    /// <summary>Sets columns, given as SQL expressions, of the rows matching a SQL condition (all rows when null).</summary>
    /// <param name="condition">A SQL boolean expression, or null.</param>
    /// <param name="set">Column name → SQL expression, e.g. <c>["amount"] = "amount * 2"</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of rows updated, or -1 when the server does not report it.</returns>
    public Task<long> UpdateAsync(string? condition, IReadOnlyDictionary<string, string> set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        return UpdateAsync(condition is null ? null : Functions.Expr(condition), set.ToDictionary(p => p.Key, p => Functions.Expr(p.Value)), cancellationToken);
    }

    /// <summary>Starts a MERGE of <paramref name="source"/> into this table; add clauses, then execute.</summary>
    /// <param name="source">The rows to merge; give it an alias (<c>source.Alias("s")</c>) to qualify its columns.</param>
    /// <param name="condition">How source rows match target rows, e.g. <c>Col("t.id") == Col("s.id")</c>.</param>
    public DeltaMergeBuilder Merge(DataFrame source, Column condition)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(condition);
        return new DeltaMergeBuilder(this, source, condition, [], false);
    }

    /// <summary>Starts a MERGE with a SQL match condition, e.g. <c>"t.id = s.id"</c>.</summary>
    /// <param name="source">The rows to merge.</param>
    /// <param name="condition">A SQL boolean expression.</param>
    public DeltaMergeBuilder Merge(DataFrame source, string condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        return Merge(source, Functions.Expr(condition));
    }

    /// <summary>
    /// Deletes files the table no longer references that are older than the retention (Delta's default,
    /// <c>delta.deletedFileRetentionDuration</c>, 7 days, when null).
    /// </summary>
    /// <param name="retentionHours">Keep files deleted within this many hours.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// Through SQL, VACUUM's result (the table path); Delta Connect's vacuum returns no rows, so then an empty
    /// DataFrame with the same <c>path</c> column.
    /// </returns>
    public Task<DataFrame> VacuumAsync(double? retentionHours = null, CancellationToken cancellationToken = default)
    {
        CheckRetention(retentionHours);
        return Session.DeltaApi.RunAsync(
            async rendering =>
            {
                if (rendering == DeltaRendering.Sql)
                {
                    var result = await DeltaExecution.SqlAsync(Session, DeltaSql.Vacuum(Table, retentionHours, dryRun: false), cancellationToken).ConfigureAwait(false);
                    return result.ToDataFrame(Session);
                }

                await DeltaExecution.CommandAsync(Session, DeltaMessages.Command(DeltaMessages.Vacuum(Table, retentionHours)), cancellationToken).ConfigureAwait(false);
                return Session.NewFrame(new Relation { LocalRelation = new LocalRelation { Schema = "path STRING" } });
            },
            cancellationToken);
    }

    /// <summary>
    /// Vacuum, or with <paramref name="dryRun"/> only list what would be deleted (<c>VACUUM … DRY RUN</c>). Delta
    /// Connect has no dry-run message, so a dry run is always sent as SQL, which the server must parse.
    /// </summary>
    /// <param name="retentionHours">Keep files deleted within this many hours; null for the table's retention.</param>
    /// <param name="dryRun">List the files instead of deleting them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>For a dry run, the files that would be deleted (a <c>path</c> column).</returns>
    public async Task<DataFrame> VacuumAsync(double? retentionHours, bool dryRun, CancellationToken cancellationToken = default)
    {
        if (!dryRun)
        {
            return await VacuumAsync(retentionHours, cancellationToken).ConfigureAwait(false);
        }

        CheckRetention(retentionHours);
        var result = await DeltaExecution.SqlAsync(Session, DeltaSql.Vacuum(Table, retentionHours, dryRun: true), cancellationToken).ConfigureAwait(false);
        return result.ToDataFrame(Session);
    }

    /// <summary>Starts an OPTIMIZE (file compaction or Z-ordering).</summary>
    public DeltaOptimizeBuilder Optimize() => new(this, []);

    /// <summary>Restores the table to an earlier version (a new commit; history is kept).</summary>
    /// <param name="version">The version to restore.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>RESTORE's metrics row (table_size_after_restore, num_of_files_after_restore, num_removed_files, …).</returns>
    public Task<DataFrame> RestoreToVersionAsync(long version, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return RunOnceAsync(DeltaMessages.RestoreToVersion(Table, version), DeltaSql.RestoreToVersion(Table, version), cancellationToken);
    }

    /// <summary>Restores the table to its state at a timestamp (a new commit; history is kept).</summary>
    /// <param name="timestamp">A timestamp or date string Spark can cast, e.g. <c>2024-05-01 12:00:00</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>RESTORE's metrics row.</returns>
    public Task<DataFrame> RestoreToTimestampAsync(string timestamp, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timestamp);
        return RunOnceAsync(DeltaMessages.RestoreToTimestamp(Table, timestamp), DeltaSql.RestoreToTimestamp(Table, timestamp), cancellationToken);
    }

    /// <summary>Runs an operation that returns rows exactly once, as a Delta Connect relation or as SQL.</summary>
    internal Task<DataFrame> RunOnceAsync(DeltaRelation relation, string sql, CancellationToken cancellationToken) =>
        Session.DeltaApi.RunAsync(
            async rendering =>
            {
                var result = rendering == DeltaRendering.Connect
                    ? await ExecuteOnceAsync(relation, cancellationToken).ConfigureAwait(false)
                    : await DeltaExecution.SqlAsync(Session, sql, cancellationToken).ConfigureAwait(false);
                return result.ToDataFrame(Session);
            },
            cancellationToken);

    internal Task<DeltaResult> ExecuteOnceAsync(DeltaRelation relation, CancellationToken cancellationToken) =>
        DeltaExecution.RelationAsync(Session, DeltaMessages.Relation(relation, Session.NextPlanId()), cancellationToken);

    /// <summary>The SQL renderer for expressions over this table alone: its plan ids map to its alias.</summary>
    internal SqlExpressions TargetSql() => new(PlanIds.ToDictionary(id => id, _ => Alias));

    internal static IReadOnlyList<KeyValuePair<string, Column>> Assignments(IReadOnlyDictionary<string, Column> set, string parameter)
    {
        ArgumentNullException.ThrowIfNull(set, parameter);
        if (set.Count == 0)
        {
            throw new ArgumentException("Give at least one column to set.", parameter);
        }

        foreach (var (name, value) in set)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
            ArgumentNullException.ThrowIfNull(value, parameter);
        }

        return [.. set];
    }

    private static void CheckRetention(double? retentionHours)
    {
        if (retentionHours is { } hours && (hours < 0 || !double.IsFinite(hours)))
        {
            throw new ArgumentOutOfRangeException(nameof(retentionHours), retentionHours, "The retention must be a finite number of hours, 0 or more.");
        }
    }
}
