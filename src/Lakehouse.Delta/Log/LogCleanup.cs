using System.Globalization;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Log;

/// <summary>
/// Deletes expired log entries (PROTOCOL.md, Metadata Cleanup): commits, checkpoints, checksums and log
/// compactions whose versions lie strictly before the newest complete checkpoint that is itself at or before
/// the newest commit older than <c>delta.logRetentionDuration</c>. Every version whose commit is still inside
/// the retention period therefore stays reconstructable (from that checkpoint plus the commits after it).
/// </summary>
public static class LogCleanup
{
    /// <summary>
    /// Runs cleanup for the table of <paramref name="snapshot"/> as of <paramref name="now"/>. Does nothing when
    /// <c>delta.enableExpiredLogCleanup</c> is false. Commit age is the commit file's modification time.
    /// </summary>
    /// <returns>The names (relative to <c>_delta_log</c>) of the deleted log entries, in name order; their hidden Hadoop <c>.crc</c> side files are deleted with them.</returns>
    public static IReadOnlyList<string> Run(Snapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!snapshot.Properties.ExpiredLogCleanup)
        {
            return [];
        }

        var store = snapshot.Store;
        var cutoff = now.ToUnixTimeMilliseconds() - (long)snapshot.Properties.LogRetention.TotalMilliseconds;
        var listing = store.List();
        var entries = listing
            .Select(f => (File: f, Name: LogFileName.TryParse(f.Name)))
            .Where(e => e.Name is not null)
            .Select(e => (e.File, Name: e.Name!))
            .ToList();

        // PROTOCOL.md, Metadata Cleanup: the newest commit at or before the cutoff bounds the checkpoint to keep.
        var cutoffCommit = entries
            .Where(e => e.Name.Kind == LogFileKind.Commit && e.File.ModificationTime <= cutoff)
            .Select(e => e.Name.Version)
            .DefaultIfEmpty(-1)
            .Max();
        var keepFrom = NewestCompleteCheckpoint(entries.Select(e => e.Name), atOrBefore: cutoffCommit);
        if (keepFrom <= 0)
        {
            return [];
        }

        var deleted = new List<string>();
        foreach (var (file, name) in entries)
        {
            if (LastVersion(name) < keepFrom && file.ModificationTime <= cutoff)
            {
                store.Delete(file.Name);
                deleted.Add(file.Name);
                // Hadoop-based writers leave a hidden checksum next to each file; it goes with the file.
                // Listings skip dot-files (writers' temp files), so it is deleted by name: a no-op when absent.
                store.Delete("." + file.Name + ".crc");
            }
        }

        deleted.Sort(StringComparer.Ordinal);
        return deleted;
    }

    private static long NewestCompleteCheckpoint(IEnumerable<LogFileName> names, long atOrBefore)
    {
        var best = -1L;
        foreach (var group in names
            .Where(n => n.Kind is LogFileKind.ClassicCheckpoint or LogFileKind.MultiPartCheckpoint or LogFileKind.V2Checkpoint && n.Version <= atOrBefore)
            .GroupBy(n => (n.Version, n.Kind, n.Parts)))
        {
            // A multi-part checkpoint counts only with every part present (PROTOCOL.md, Multi-part checkpoint).
            var complete = group.Key.Kind != LogFileKind.MultiPartCheckpoint || group.Select(p => p.Part).Distinct().Count() == group.Key.Parts;
            if (complete && group.Key.Version > best)
            {
                best = group.Key.Version;
            }
        }

        return best;
    }

    /// <summary>The last version a log entry covers: a compaction <c>X.Y.compacted.json</c> covers X to Y.</summary>
    private static long LastVersion(LogFileName name)
    {
        if (name.Kind != LogFileKind.LogCompaction)
        {
            return name.Version;
        }

        var end = name.Name.AsSpan(21);
        return long.Parse(end[..end.IndexOf('.')], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
