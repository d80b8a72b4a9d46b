namespace Lakehouse.Delta.Maintenance;

/// <summary>Options of <see cref="Optimize"/>.</summary>
public sealed record OptimizeOptions
{
    /// <summary>One GiB: Spark's default for <c>spark.databricks.delta.optimize.minFileSize</c> and <c>maxFileSize</c>.</summary>
    public const long DefaultTargetFileSize = 1L << 30;

    /// <summary>
    /// Files smaller than this are compacted, into files of at most about this size (the sum of the inputs' sizes).
    /// Default <see cref="DefaultTargetFileSize"/> (1 GiB), as Spark's OPTIMIZE.
    /// </summary>
    public long TargetFileSize { get; init; } = DefaultTargetFileSize;

    /// <summary>
    /// Only partitions matching this predicate (SQL over partition columns, e.g. <c>date &gt;= '2024-01-01'</c>) are
    /// compacted, as <c>OPTIMIZE … WHERE</c>. Default null: every partition.
    /// </summary>
    public string? Where { get; init; }

    /// <summary>The clock for the commit and tombstone timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
