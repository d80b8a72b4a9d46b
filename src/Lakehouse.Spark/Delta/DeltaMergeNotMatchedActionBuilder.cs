namespace Lakehouse.Spark.Delta;

/// <summary>The action of a <c>WHEN NOT MATCHED</c> clause: insert, or insert all.</summary>
public sealed class DeltaMergeNotMatchedActionBuilder
{
    private readonly DeltaMergeBuilder _merge;
    private readonly Column? _condition;

    internal DeltaMergeNotMatchedActionBuilder(DeltaMergeBuilder merge, Column? condition)
    {
        _merge = merge;
        _condition = condition;
    }

    /// <summary>Inserts a row built from the source row; columns not given are null.</summary>
    /// <param name="values">Target column → value (source columns, literals, expressions).</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public DeltaMergeBuilder Insert(IReadOnlyDictionary<string, Column> values) =>
        _merge.With(new(MergeClauseGroup.NotMatched, MergeActionKind.Insert, _condition, DeltaTable.Assignments(values, nameof(values))));

    /// <summary>Inserts a row built from SQL expressions.</summary>
    /// <param name="values">Target column → SQL expression.</param>
    public DeltaMergeBuilder Insert(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Insert(values.ToDictionary(p => p.Key, p => Functions.Expr(p.Value)));
    }

    /// <summary>Inserts the source row, column by name (<c>INSERT *</c>).</summary>
    public DeltaMergeBuilder InsertAll() => _merge.With(new(MergeClauseGroup.NotMatched, MergeActionKind.InsertAll, _condition, []));
}
