namespace Lakehouse.Spark.Delta;

/// <summary>The action of a <c>WHEN NOT MATCHED BY SOURCE</c> clause: update, or delete the target row.</summary>
public sealed class DeltaMergeNotMatchedBySourceActionBuilder
{
    private readonly DeltaMergeBuilder _merge;
    private readonly Column? _condition;

    internal DeltaMergeNotMatchedBySourceActionBuilder(DeltaMergeBuilder merge, Column? condition)
    {
        _merge = merge;
        _condition = condition;
    }

    /// <summary>Updates the unmatched target row (only target columns are in scope).</summary>
    /// <param name="set">Target column → new value.</param>
    /// <exception cref="ArgumentException"><paramref name="set"/> is empty.</exception>
    public DeltaMergeBuilder Update(IReadOnlyDictionary<string, Column> set) =>
        _merge.With(new(MergeClauseGroup.NotMatchedBySource, MergeActionKind.Update, _condition, DeltaTable.Assignments(set, nameof(set))));

    /// <summary>Updates the unmatched target row from SQL expressions.</summary>
    /// <param name="set">Target column → SQL expression.</param>
    public DeltaMergeBuilder Update(IReadOnlyDictionary<string, string> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Update(set.ToDictionary(p => p.Key, p => Functions.Expr(p.Value)));
    }

    /// <summary>Deletes the unmatched target row.</summary>
    public DeltaMergeBuilder Delete() => _merge.With(new(MergeClauseGroup.NotMatchedBySource, MergeActionKind.Delete, _condition, []));
}
