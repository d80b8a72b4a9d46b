namespace Lakehouse.Delta.Maintenance;

/// <summary>The outcome of <see cref="Optimize"/>, with the metrics Spark's OPTIMIZE records.</summary>
public sealed record OptimizeResult
{
    /// <summary>The committed version; null when there was nothing to compact and nothing was committed.</summary>
    public required long? Version { get; init; }

    /// <summary>Files written (<c>numAddedFiles</c>).</summary>
    public required long NumAddedFiles { get; init; }

    /// <summary>Files compacted away (<c>numRemovedFiles</c>).</summary>
    public required long NumRemovedFiles { get; init; }

    /// <summary>Bytes written (<c>numAddedBytes</c>).</summary>
    public required long NumAddedBytes { get; init; }

    /// <summary>Bytes of the compacted files (<c>numRemovedBytes</c>).</summary>
    public required long NumRemovedBytes { get; init; }

    /// <summary>Partitions that had files compacted.</summary>
    public required long PartitionsOptimized { get; init; }
}
