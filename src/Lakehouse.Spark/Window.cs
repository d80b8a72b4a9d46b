namespace Lakehouse.Spark;

/// <summary>Entry points for window specifications: <c>Window.PartitionBy("k").OrderBy(Col("ts").Desc())</c>.</summary>
public static class Window
{
    /// <summary>Frame bound: the first row of the partition.</summary>
    public const long UnboundedPreceding = long.MinValue;

    /// <summary>Frame bound: the last row of the partition.</summary>
    public const long UnboundedFollowing = long.MaxValue;

    /// <summary>Frame bound: the current row.</summary>
    public const long CurrentRow = 0;

    /// <summary>A window partitioned by the given columns.</summary>
    /// <param name="columns">Partition keys.</param>
    public static WindowSpec PartitionBy(params Column[] columns) => WindowSpec.Empty.PartitionBy(columns);

    /// <summary>A window partitioned by the named columns.</summary>
    /// <param name="columns">Partition key names.</param>
    public static WindowSpec PartitionBy(params string[] columns) => WindowSpec.Empty.PartitionBy(columns);

    /// <summary>A window ordered by the given columns (ascending unless a column says otherwise).</summary>
    /// <param name="columns">Order keys.</param>
    public static WindowSpec OrderBy(params Column[] columns) => WindowSpec.Empty.OrderBy(columns);

    /// <summary>A window ordered by the named columns, ascending.</summary>
    /// <param name="columns">Order key names.</param>
    public static WindowSpec OrderBy(params string[] columns) => WindowSpec.Empty.OrderBy(columns);
}
