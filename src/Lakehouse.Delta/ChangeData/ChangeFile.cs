using Lakehouse.Delta.Actions;

namespace Lakehouse.Delta.ChangeData;

/// <summary>Where a file of the change data feed comes from, which decides its rows' <c>_change_type</c>.</summary>
public enum ChangeFileKind
{
    /// <summary>A <c>cdc</c> action's file: its rows carry their own <c>_change_type</c> column.</summary>
    ChangeData,
    /// <summary>An <c>add</c> with dataChange = true in a commit without cdc actions: its rows are inserts.</summary>
    Added,
    /// <summary>A <c>remove</c> with dataChange = true in a commit without cdc actions: its rows are deletes.</summary>
    Removed,
}

/// <summary>One file whose rows are changes of one commit.</summary>
/// <param name="Kind">Where the file comes from.</param>
/// <param name="Path">The action's path (relative to the table root, URI-encoded, or an absolute URI).</param>
/// <param name="PartitionValues">The action's partition values (physical names under column mapping).</param>
/// <param name="Size">The file's size in bytes, when the action records it.</param>
/// <param name="DeletionVector">For <see cref="ChangeFileKind.Added"/> and <see cref="ChangeFileKind.Removed"/>: the
/// action's deletion vector; the rows it names are not part of the change.</param>
public sealed record ChangeFile(
    ChangeFileKind Kind,
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long? Size,
    DeletionVectorDescriptor? DeletionVector)
{
    /// <summary>The <c>_change_type</c> of every row for added and removed files; null for cdc files, whose rows carry theirs.</summary>
    public string? ChangeType => Kind switch
    {
        ChangeFileKind.Added => "insert",
        ChangeFileKind.Removed => "delete",
        _ => null,
    };
}

/// <summary>The changes one commit made: its version, its commit timestamp and the files that hold its changed rows.</summary>
/// <param name="Version">The commit's version (<c>_commit_version</c>).</param>
/// <param name="Timestamp">The commit timestamp (<c>_commit_timestamp</c>): the in-commit timestamp where the table has
/// them, else the commit file's modification time, as time travel sees it.</param>
/// <param name="Files">The files; empty for a commit that changed no data (OPTIMIZE, a property change).</param>
public sealed record CommitChanges(long Version, DateTimeOffset Timestamp, IReadOnlyList<ChangeFile> Files);

/// <summary>The change data feed of a table between two versions, both inclusive.</summary>
/// <param name="TablePath">The table root.</param>
/// <param name="StartVersion">The first version read.</param>
/// <param name="EndVersion">The last version read.</param>
/// <param name="Metadata">The table's metadata at <paramref name="EndVersion"/>: the feed's schema is its schema plus
/// <c>_change_type</c>, <c>_commit_version</c> and <c>_commit_timestamp</c>.</param>
/// <param name="Commits">One entry per version, in version order.</param>
public sealed record ChangeSet(string TablePath, long StartVersion, long EndVersion, Metadata Metadata, IReadOnlyList<CommitChanges> Commits);
