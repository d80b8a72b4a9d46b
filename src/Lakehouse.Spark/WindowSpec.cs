using Lakehouse.Spark.Protos;
using Frame = Lakehouse.Spark.Protos.Expression.Types.Window.Types.WindowFrame;

namespace Lakehouse.Spark;

/// <summary>An immutable window specification: partitioning, ordering and an optional frame.</summary>
public sealed class WindowSpec
{
    internal static readonly WindowSpec Empty = new([], [], null);

    private readonly IReadOnlyList<Expression> _partition;
    private readonly IReadOnlyList<Expression.Types.SortOrder> _order;
    private readonly Frame? _frame;

    private WindowSpec(IReadOnlyList<Expression> partition, IReadOnlyList<Expression.Types.SortOrder> order, Frame? frame)
    {
        _partition = partition;
        _order = order;
        _frame = frame;
    }

    /// <summary>Replaces the partition keys.</summary>
    /// <param name="columns">Partition keys.</param>
    public WindowSpec PartitionBy(params Column[] columns) => new([.. columns.Select(c => c.Expression)], _order, _frame);

    /// <summary>Replaces the partition keys by name.</summary>
    /// <param name="columns">Partition key names.</param>
    public WindowSpec PartitionBy(params string[] columns) => PartitionBy([.. columns.Select(Functions.Col)]);

    /// <summary>Replaces the order keys; plain columns sort ascending, nulls first.</summary>
    /// <param name="columns">Order keys.</param>
    public WindowSpec OrderBy(params Column[] columns) => new(_partition, [.. columns.Select(SortOrderOf)], _frame);

    /// <summary>Replaces the order keys by name, ascending.</summary>
    /// <param name="columns">Order key names.</param>
    public WindowSpec OrderBy(params string[] columns) => OrderBy([.. columns.Select(Functions.Col)]);

    /// <summary>A ROWS frame relative to the current row (use <see cref="Window"/>'s bound constants).</summary>
    /// <param name="start">Lower bound.</param>
    /// <param name="end">Upper bound.</param>
    public WindowSpec RowsBetween(long start, long end) => WithFrame(Frame.Types.FrameType.Row, start, end);

    /// <summary>A RANGE frame relative to the current row's order value.</summary>
    /// <param name="start">Lower bound.</param>
    /// <param name="end">Upper bound.</param>
    public WindowSpec RangeBetween(long start, long end) => WithFrame(Frame.Types.FrameType.Range, start, end);

    internal Expression Apply(Expression function)
    {
        var window = new Expression.Types.Window { WindowFunction = function, FrameSpec = _frame };
        window.PartitionSpec.AddRange(_partition);
        window.OrderSpec.AddRange(_order);
        return new Expression { Window = window };
    }

    internal static Expression.Types.SortOrder SortOrderOf(Column column) =>
        column.Expression.ExprTypeCase == Expression.ExprTypeOneofCase.SortOrder
            ? column.Expression.SortOrder
            : column.Asc().Expression.SortOrder;

    private WindowSpec WithFrame(Frame.Types.FrameType type, long start, long end)
    {
        if (start > end)
        {
            throw new ArgumentException($"The frame start {start} is after its end {end}.", nameof(start));
        }

        return new(_partition, _order, new Frame { FrameType = type, Lower = Boundary(start), Upper = Boundary(end) });
    }

    // PySpark window.py: bounds at or beyond ±2^63-1 are unbounded, 0 is the current row, anything else a literal offset.
    private static Frame.Types.FrameBoundary Boundary(long value) => value switch
    {
        Window.CurrentRow => new() { CurrentRow = true },
        <= Window.UnboundedPreceding + 1 or >= Window.UnboundedFollowing => new() { Unbounded = true },
        >= int.MinValue and <= int.MaxValue => new() { Value = Functions.Lit((int)value).Expression },
        _ => new() { Value = Functions.Lit(value).Expression },
    };
}
