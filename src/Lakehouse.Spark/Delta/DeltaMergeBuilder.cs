using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Delta.Sql;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// A MERGE being built: <c>table.As("t").Merge(updates.Alias("s"), "t.id = s.id").WhenMatched().UpdateAll()
/// .WhenNotMatched().InsertAll().ExecuteAsync()</c>. Immutable: each clause returns a new builder. Clauses of
/// one kind are tried in the order given; a row takes the first whose condition holds (Delta's MERGE semantics).
/// </summary>
public sealed class DeltaMergeBuilder
{
    private readonly DeltaTable _target;
    private readonly DataFrame _source;
    private readonly Column _condition;
    private readonly IReadOnlyList<MergeClause> _clauses;
    private readonly bool _schemaEvolution;

    internal DeltaMergeBuilder(DeltaTable target, DataFrame source, Column condition, IReadOnlyList<MergeClause> clauses, bool schemaEvolution)
    {
        _target = target;
        _source = source;
        _condition = condition;
        _clauses = clauses;
        _schemaEvolution = schemaEvolution;
    }

    /// <summary>Adds a clause for target rows that have a matching source row.</summary>
    /// <param name="condition">An extra condition, or null.</param>
    public DeltaMergeMatchedActionBuilder WhenMatched(Column? condition = null) => new(this, condition);

    /// <summary>Adds a clause for target rows that have a matching source row, with a SQL condition.</summary>
    /// <param name="condition">A SQL boolean expression.</param>
    public DeltaMergeMatchedActionBuilder WhenMatched(string condition) => WhenMatched(Expr(condition));

    /// <summary>Adds a clause for source rows without a matching target row.</summary>
    /// <param name="condition">An extra condition, or null.</param>
    public DeltaMergeNotMatchedActionBuilder WhenNotMatched(Column? condition = null) => new(this, condition);

    /// <summary>Adds a clause for source rows without a matching target row, with a SQL condition.</summary>
    /// <param name="condition">A SQL boolean expression.</param>
    public DeltaMergeNotMatchedActionBuilder WhenNotMatched(string condition) => WhenNotMatched(Expr(condition));

    /// <summary>Adds a clause for target rows without a matching source row.</summary>
    /// <param name="condition">An extra condition, or null.</param>
    public DeltaMergeNotMatchedBySourceActionBuilder WhenNotMatchedBySource(Column? condition = null) => new(this, condition);

    /// <summary>Adds a clause for target rows without a matching source row, with a SQL condition.</summary>
    /// <param name="condition">A SQL boolean expression.</param>
    public DeltaMergeNotMatchedBySourceActionBuilder WhenNotMatchedBySource(string condition) => WhenNotMatchedBySource(Expr(condition));

    /// <summary>Lets the MERGE add source columns the target lacks (Delta's automatic schema evolution).</summary>
    public DeltaMergeBuilder WithSchemaEvolution() => new(_target, _source, _condition, _clauses, true);

    /// <summary>Runs the MERGE, exactly once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts Spark reports.</returns>
    /// <exception cref="InvalidOperationException">No clause was added.</exception>
    /// <exception cref="ArgumentException">Without Delta Connect: a condition or value cannot be written as SQL.</exception>
    /// <exception cref="SparkConnectException">
    /// The server failed the MERGE, e.g. Delta's error for a target row matched by several source rows.
    /// </exception>
    public Task<MergeMetrics> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (_clauses.Count == 0)
        {
            throw new InvalidOperationException("A MERGE needs at least one WhenMatched, WhenNotMatched or WhenNotMatchedBySource clause.");
        }

        return _target.Session.DeltaApi.RunAsync(
            async rendering =>
            {
                var result = rendering == DeltaRendering.Connect
                    ? await _target.ExecuteOnceAsync(Message(), cancellationToken).ConfigureAwait(false)
                    : await new MergeSql(_target, _source, _condition, _clauses, _schemaEvolution).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                return new MergeMetrics(
                    result.Metric("num_affected_rows"), result.Metric("num_updated_rows"), result.Metric("num_deleted_rows"), result.Metric("num_inserted_rows"));
            },
            cancellationToken);
    }

    /// <summary>The Delta Connect MergeIntoTable relation (plan.py MergeIntoTable).</summary>
    internal DeltaRelation Message() =>
        DeltaMessages.Merge(_target.TargetRelation(DeltaRendering.Connect), _source.Relation, _condition, _clauses, _schemaEvolution);

    internal DeltaMergeBuilder With(MergeClause clause) => new(_target, _source, _condition, [.. _clauses, clause], _schemaEvolution);

    private static Column Expr(string condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        return Functions.Expr(condition);
    }
}
