using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Maintenance;

/// <summary>
/// Spark's <c>RESTORE TABLE … TO VERSION|TIMESTAMP AS OF</c>: one commit that makes the table's files those of an
/// earlier version again. Files of the current version that the target lacks are removed, files of the target that
/// the current version lacks are added back (both with <c>dataChange=true</c>, so readers of changes see them); the
/// target's metadata comes back too, while the protocol is never downgraded. History is kept: the restore is a new version.
/// </summary>
public static class Restore
{
    /// <summary>Restores the table at <paramref name="tablePath"/> to <paramref name="version"/>.</summary>
    /// <param name="tablePath">The table root.</param>
    /// <param name="version">The version whose state to restore.</param>
    /// <param name="clock">The clock for the commit and tombstone timestamps; the system clock when null.</param>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.VersionNotFound"/> when the version cannot be read;
    /// <see cref="DeltaErrorKind.DataFileNotFound"/> when a file it needs was vacuumed away; conflicts and write errors of <see cref="Transaction.Commit"/>.</exception>
    public static RestoreResult ToVersion(string tablePath, long version, TimeProvider? clock = null)
    {
        var store = new LocalLogStore(tablePath);
        var current = Snapshot.Load(store);
        var target = Snapshot.Load(store, version);
        return Run(current, target, new Dictionary<string, string> { ["version"] = version.ToString(CultureInfo.InvariantCulture) }, clock);
    }

    /// <summary>Restores the table at <paramref name="tablePath"/> to the version that was current at <paramref name="timestamp"/>.</summary>
    /// <exception cref="DeltaException">As <see cref="ToVersion"/>; <see cref="DeltaErrorKind.VersionNotFound"/> also when the timestamp is outside the history.</exception>
    public static RestoreResult ToTimestamp(string tablePath, DateTimeOffset timestamp, TimeProvider? clock = null)
    {
        var store = new LocalLogStore(tablePath);
        var target = Snapshot.LoadAtTimestamp(store, timestamp);
        var current = Snapshot.Load(store);
        var text = timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return Run(current, target, new Dictionary<string, string> { ["timestamp"] = text }, clock);
    }

    private static RestoreResult Run(Snapshot current, Snapshot target, Dictionary<string, string> parameters, TimeProvider? clock)
    {
        var currentKeys = current.Files.Select(f => f.Key).ToHashSet();
        var targetKeys = target.Files.Select(f => f.Key).ToHashSet();
        var toAdd = target.Files.Where(f => !currentKeys.Contains(f.Key)).ToList();
        var toRemove = current.Files.Where(f => !targetKeys.Contains(f.Key)).ToList();

        var missing = toAdd.Select(f => f.Path).Where(p => !File.Exists(TablePaths.ResolveDataFile(current.TablePath, p))).ToList();
        if (missing.Count > 0)
        {
            throw new DeltaException(DeltaErrorKind.DataFileNotFound,
                $"Version {target.Version} of {current.TablePath} cannot be restored: {missing.Count} of its data files are gone (vacuumed?), e.g. '{missing[0]}'. "
                + "Restore a later version whose files are still there; nothing was changed.", current.TablePath);
        }

        var transaction = Transaction.Start(current, "RESTORE", parameters, clock);
        // The restore's outcome depends on every file of the version it read.
        transaction.ReadWholeTable();
        if (ActionJson.ToJson(target.Metadata) != ActionJson.ToJson(current.Metadata))
        {
            transaction.SetMetadata(target.Metadata);
        }

        if (Merge(current.Protocol, target.Protocol) is { } upgraded)
        {
            transaction.SetProtocol(upgraded);
        }

        foreach (var file in toRemove)
        {
            transaction.Remove(file, dataChange: true);
        }

        foreach (var file in toAdd)
        {
            transaction.Add(file with { DataChange = true });
        }

        var result = new RestoreResult
        {
            Version = -1,
            RestoredVersion = target.Version,
            NumRemovedFiles = toRemove.Count,
            NumRestoredFiles = toAdd.Count,
            RemovedFilesSize = toRemove.Sum(f => f.Size),
            RestoredFilesSize = toAdd.Sum(f => f.Size),
            NumOfFilesAfterRestore = target.Files.Count,
            TableSizeAfterRestore = target.Files.Sum(f => f.Size),
        };
        transaction.SetMetric("numRestoredFiles", result.NumRestoredFiles);
        transaction.SetMetric("removedFilesSize", result.RemovedFilesSize);
        transaction.SetMetric("numRemovedFiles", result.NumRemovedFiles);
        transaction.SetMetric("restoredFilesSize", result.RestoredFilesSize);
        transaction.SetMetric("numOfFilesAfterRestore", result.NumOfFilesAfterRestore);
        transaction.SetMetric("tableSizeAfterRestore", result.TableSizeAfterRestore);
        return result with { Version = transaction.Commit().Version };
    }

    /// <summary>The protocol that satisfies both, or null when <paramref name="current"/> already does: restore never downgrades.</summary>
    private static Protocol? Merge(Protocol current, Protocol target)
    {
        var merged = new Protocol
        {
            MinReaderVersion = Math.Max(current.MinReaderVersion, target.MinReaderVersion),
            MinWriterVersion = Math.Max(current.MinWriterVersion, target.MinWriterVersion),
            ReaderFeatures = Union(current.ReaderFeatures, target.ReaderFeatures),
            WriterFeatures = Union(current.WriterFeatures, target.WriterFeatures),
        };
        return ActionJson.ToJson(merged) == ActionJson.ToJson(current) ? null : merged;
    }

    private static List<string>? Union(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null && b is null ? null : (a ?? []).Union(b ?? [], StringComparer.Ordinal).ToList();
}
