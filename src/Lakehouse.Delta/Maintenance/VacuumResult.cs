namespace Lakehouse.Delta.Maintenance;

/// <summary>What <see cref="Vacuum"/> deleted, or with <see cref="DryRun"/> would delete.</summary>
public sealed record VacuumResult
{
    /// <summary>True when nothing was deleted.</summary>
    public required bool DryRun { get; init; }

    /// <summary>The table version whose files were kept.</summary>
    public required long Version { get; init; }

    /// <summary>The retention applied.</summary>
    public required TimeSpan Retention { get; init; }

    /// <summary>Files older than this instant and not referenced were deleted.</summary>
    public required DateTimeOffset DeleteBefore { get; init; }

    /// <summary>The files deleted (or to delete), relative to the table root with '/' separators, in name order.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Their total size in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>Empty directories removed (always 0 in a dry run).</summary>
    public required int DirectoriesDeleted { get; init; }
}
