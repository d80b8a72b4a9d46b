namespace Lakehouse.Spark.Delta;

/// <summary>The action of a <c>WHEN MATCHED</c> clause: update, update all, or delete.</summary>
public sealed class DeltaMergeMatchedActionBuilder
{
    private readonly DeltaMergeBuilder _merge;
    private readonly Column? _condition;

    internal DeltaMergeMatchedActionBuilder(DeltaMergeBuilder merge, Column? condition)
    {
        _merge = merge;
        _condition = condition;
    }

    /// <summary>Updates the matched target row.</summary>
    /// <param name="set">Target column → new value (may use source columns, e.g. <c>Col("s.amount")</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="set"/> is empty.</exception>
    public DeltaMergeBuilder Update(IReadOnlyDictionary<string, Column> set) =>
        _merge.With(new(MergeClauseGroup.Matched, MergeActionKind.Update, _condition, DeltaTable.Assignments(set, nameof(set))));

    /// <summary>Updates the matched target row from SQL expressions.</summary>
    /// <param name="set">Target column → SQL expression.</param>
    public DeltaMergeBuilder Update(IReadOnlyDictionary<string, string> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Update(set.ToDictionary(p => p.Key, p => Functions.Expr(p.Value)));
    }

    /// <summary>Sets every target column to the source column of the same name (<c>UPDATE SET *</c>).</summary>
    public DeltaMergeBuilder UpdateAll() => _merge.With(new(MergeClauseGroup.Matched, MergeActionKind.UpdateAll, _condition, []));

    /// <summary>Deletes the matched target row.</summary>
    public DeltaMergeBuilder Delete() => _merge.With(new(MergeClauseGroup.Matched, MergeActionKind.Delete, _condition, []));
}
