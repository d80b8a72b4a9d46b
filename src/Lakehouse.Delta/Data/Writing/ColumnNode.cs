using Apache.Arrow;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// One node of a column's shape (primitive, struct, array, map) that turns Arrow values into Parquet leaf values with
/// definition and repetition levels (the Dremel encoding of PARQUET's format spec), collecting Delta statistics on the way.
/// </summary>
internal abstract class ColumnNode
{
    protected ColumnNode(string name, bool nullable, ColumnStatistics? nullStatistics)
    {
        Name = name;
        Nullable = nullable;
        NullStatistics = nullStatistics;
    }

    /// <summary>The logical column name, for error messages.</summary>
    public string Name { get; }

    /// <summary>The Parquet field name (the physical name under column mapping).</summary>
    public string PhysicalName { get; init; } = "";

    /// <summary>Whether the Parquet node is OPTIONAL (adds one definition level).</summary>
    public bool Nullable { get; }

    /// <summary>Statistics whose null count this node's nulls increase (leaves, and arrays/maps outside repetition).</summary>
    public ColumnStatistics? NullStatistics { get; }

    /// <summary>Appends the value at <paramref name="index"/> of <paramref name="array"/> (null when a parent is null).</summary>
    public void Write(IArrowArray? array, int index, int definition, int repetition)
    {
        if (array is null || array.IsNull(index))
        {
            if (!Nullable)
            {
                throw new DeltaException(DeltaErrorKind.InvalidRequest,
                    $"Column '{Name}' is not nullable but the data has a null in it. Fill the nulls, or make the column nullable.");
            }

            WriteNull(definition, repetition);
            return;
        }

        WriteValue(array, index, Nullable ? definition + 1 : definition, repetition);
    }

    /// <summary>Records a null at this node: every leaf below gets the definition level reached so far.</summary>
    public virtual void WriteNull(int definition, int repetition) => NullStatistics?.AddNull();

    protected abstract void WriteValue(IArrowArray array, int index, int definition, int repetition);
}

/// <summary>A primitive column.</summary>
internal sealed class PrimitiveNode(string name, bool nullable, LeafColumn leaf) : ColumnNode(name, nullable, leaf.Statistics)
{
    public LeafColumn Leaf { get; } = leaf;

    public override void WriteNull(int definition, int repetition)
    {
        base.WriteNull(definition, repetition);
        Leaf.AddNull(definition, repetition);
    }

    protected override void WriteValue(IArrowArray array, int index, int definition, int repetition) =>
        Leaf.AddValue(array, index, definition, repetition);
}

/// <summary>A struct: its children share the row.</summary>
internal sealed class StructNode(string name, bool nullable, IReadOnlyList<ColumnNode> children) : ColumnNode(name, nullable, null)
{
    public IReadOnlyList<ColumnNode> Children { get; } = children;

    public override void WriteNull(int definition, int repetition)
    {
        foreach (var child in Children)
        {
            child.WriteNull(definition, repetition);
        }
    }

    protected override void WriteValue(IArrowArray array, int index, int definition, int repetition)
    {
        var s = (StructArray)array;
        for (var i = 0; i < Children.Count; i++)
        {
            Children[i].Write(s.Fields[i], index, definition, repetition);
        }
    }
}

/// <summary>
/// An array (Parquet LIST: optional group, repeated group <c>list</c>, element) or a map (MAP: repeated group
/// <c>key_value</c> with a required key and a value). <paramref name="repetitionLevel"/> is the level of its repeated group.
/// </summary>
internal sealed class RepeatedNode(string name, bool nullable, ColumnStatistics? nullStatistics, int repetitionLevel, IReadOnlyList<ColumnNode> children)
    : ColumnNode(name, nullable, nullStatistics)
{
    public IReadOnlyList<ColumnNode> Children { get; } = children;

    public override void WriteNull(int definition, int repetition)
    {
        base.WriteNull(definition, repetition);
        foreach (var child in Children)
        {
            child.WriteNull(definition, repetition);
        }
    }

    protected override void WriteValue(IArrowArray array, int index, int definition, int repetition)
    {
        var list = (ListArray)array;
        var start = list.ValueOffsets[index];
        var end = list.ValueOffsets[index + 1];
        if (start == end)
        {
            // An empty list: defined up to the list itself, no element.
            foreach (var child in Children)
            {
                child.WriteNull(definition, repetition);
            }

            return;
        }

        IArrowArray[] values = array is MapArray map ? [map.Keys, map.Values] : [list.Values];
        for (var i = start; i < end; i++)
        {
            var r = i == start ? repetition : repetitionLevel;
            for (var c = 0; c < Children.Count; c++)
            {
                Children[c].Write(values[c], i, definition + 1, r);
            }
        }
    }
}
