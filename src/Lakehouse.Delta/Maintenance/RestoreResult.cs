namespace Lakehouse.Delta.Maintenance;

/// <summary>The outcome of <see cref="Restore"/>, with the operation metrics Spark's RESTORE records.</summary>
public sealed record RestoreResult
{
    /// <summary>The version the restore committed.</summary>
    public required long Version { get; init; }

    /// <summary>The version whose state was restored.</summary>
    public required long RestoredVersion { get; init; }

    /// <summary>Files of the current version that the restore removed (<c>numRemovedFiles</c>).</summary>
    public required long NumRemovedFiles { get; init; }

    /// <summary>Files of the restored version that the restore added back (<c>numRestoredFiles</c>).</summary>
    public required long NumRestoredFiles { get; init; }

    /// <summary>Bytes of the removed files (<c>removedFilesSize</c>).</summary>
    public required long RemovedFilesSize { get; init; }

    /// <summary>Bytes of the re-added files (<c>restoredFilesSize</c>).</summary>
    public required long RestoredFilesSize { get; init; }

    /// <summary>Files in the table after the restore (<c>numOfFilesAfterRestore</c>).</summary>
    public required long NumOfFilesAfterRestore { get; init; }

    /// <summary>Bytes in the table after the restore (<c>tableSizeAfterRestore</c>).</summary>
    public required long TableSizeAfterRestore { get; init; }
}
