using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Log;

/// <summary>
/// The log files that make up one snapshot: the newest complete checkpoint at or before the version
/// (if any) and the commits after it, contiguous up to the version.
/// </summary>
public sealed class LogSegment
{
    private LogSegment(long version, IReadOnlyList<LogFileName> checkpoint, IReadOnlyList<LogFileInfo> commits, long lastCommitModificationTime)
    {
        Version = version;
        Checkpoint = checkpoint;
        Commits = commits;
        LastCommitModificationTime = lastCommitModificationTime;
    }

    /// <summary>The snapshot version.</summary>
    public long Version { get; }

    /// <summary>The checkpoint parts (one for classic and V2 checkpoints); empty when replay starts at version 0.</summary>
    public IReadOnlyList<LogFileName> Checkpoint { get; }

    /// <summary>The checkpoint's version, or -1 without one.</summary>
    public long CheckpointVersion => Checkpoint.Count > 0 ? Checkpoint[0].Version : -1;

    /// <summary>The commit files after the checkpoint, in version order.</summary>
    public IReadOnlyList<LogFileInfo> Commits { get; }

    /// <summary>Modification time of the commit file of <see cref="Version"/> (ms), when it was listed; of the checkpoint at <see cref="Version"/> when only that remains; else 0.</summary>
    public long LastCommitModificationTime { get; }

    /// <summary>
    /// Finds the segment for <paramref name="version"/> (latest when null). Uses <c>_last_checkpoint</c> to list
    /// only the tail of the log, and falls back to a full listing when that hint is missing, corrupt or stale.
    /// </summary>
    public static LogSegment Build(ILogStore store, long? version = null) => Build(store, LastCheckpoint.TryRead(store), version);

    /// <summary><see cref="Build(ILogStore, long?)"/> with <c>_last_checkpoint</c> already read (null when missing or corrupt).</summary>
    internal static LogSegment Build(ILogStore store, LastCheckpoint? hint, long? version)
    {
        if (hint is not null && (version is null || hint.Version <= version))
        {
            var fromHint = TryBuild(store, store.List(LogFileName.Commit(hint.Version)[..20]), version, requireStartAtZero: false);
            if (fromHint is not null && fromHint.CheckpointVersion == hint.Version)
            {
                return fromHint;
            }
        }

        return TryBuild(store, store.List(), version, requireStartAtZero: true)!;
    }

    /// <summary>
    /// Guesses the segment without listing: the checkpoint <paramref name="hint"/> names, then the commits after it
    /// found by asking for each next version until one is missing. Null when the hint names a V2 checkpoint, a
    /// checkpoint file is missing, or <paramref name="version"/> is before the hint or not reached. A guess cannot see
    /// a gap in the log or a newer checkpoint than the hint, so it only stands once a listing agrees with it
    /// (<see cref="SameFiles"/>).
    /// </summary>
    internal static LogSegment? TryProbe(ILogStore store, LastCheckpoint hint, long? version)
    {
        if (hint.V2Checkpoint is not null || version < hint.Version)
        {
            return null;
        }

        var parts = hint.Parts ?? 1;
        var checkpoint = new List<LogFileName>(parts);
        long checkpointMtime = 0;
        for (var part = 1; part <= parts; part++)
        {
            var name = hint.Parts is null ? LogFileName.Checkpoint(hint.Version) : LogFileName.CheckpointPart(hint.Version, part, parts);
            if (store.TryGetInfo(name) is not { } info)
            {
                return null;
            }

            if (part == 1)
            {
                checkpointMtime = info.ModificationTime;
            }

            checkpoint.Add(LogFileName.TryParse(name)!);
        }

        var commits = new List<LogFileInfo>();
        for (var v = hint.Version + 1; version is null || v <= version; v++)
        {
            if (store.TryGetInfo(LogFileName.Commit(v)) is not { } commit)
            {
                break;
            }

            commits.Add(commit);
        }

        var target = hint.Version + commits.Count;
        if (version is not null && target != version)
        {
            return null;
        }

        var lastMtime = commits.Count > 0 ? commits[^1].ModificationTime : checkpointMtime;
        return new LogSegment(target, checkpoint, commits, lastMtime);
    }

    /// <summary>Whether both segments name the same checkpoint files and commits (the same version, read the same way).</summary>
    internal bool SameFiles(LogSegment other) =>
        Version == other.Version
        && Checkpoint.Select(c => c.Name).SequenceEqual(other.Checkpoint.Select(c => c.Name), StringComparer.Ordinal)
        && Commits.Select(c => c.Name).SequenceEqual(other.Commits.Select(c => c.Name), StringComparer.Ordinal);

    private static LogSegment? TryBuild(ILogStore store, IReadOnlyList<LogFileInfo> listing, long? version, bool requireStartAtZero)
    {
        var commits = new SortedDictionary<long, LogFileInfo>();
        var checkpointParts = new Dictionary<(long Version, int Parts), List<LogFileName>>();
        var v2Checkpoints = new Dictionary<long, LogFileName>();
        foreach (var file in listing)
        {
            var name = LogFileName.TryParse(file.Name);
            if (name is null || (version is not null && name.Version > version))
            {
                continue;
            }

            switch (name.Kind)
            {
                case LogFileKind.Commit:
                    commits[name.Version] = file;
                    break;
                case LogFileKind.ClassicCheckpoint or LogFileKind.MultiPartCheckpoint:
                    if (!checkpointParts.TryGetValue((name.Version, name.Parts), out var parts))
                    {
                        checkpointParts[(name.Version, name.Parts)] = parts = [];
                    }

                    parts.Add(name);
                    break;
                case LogFileKind.V2Checkpoint:
                    // Several V2 checkpoints of one version are equivalent (PROTOCOL.md, V2 Spec); take the highest name, so every reader picks the same one.
                    if (!v2Checkpoints.TryGetValue(name.Version, out var existing) || string.CompareOrdinal(name.Name, existing.Name) > 0)
                    {
                        v2Checkpoints[name.Version] = name;
                    }

                    break;
            }
        }

        // A multi-part checkpoint counts only when every part is present (PROTOCOL.md, Multi-part checkpoint).
        var complete = checkpointParts
            .Where(kv => kv.Value.Select(p => p.Part).Distinct().Count() == kv.Key.Parts)
            .Select(kv => (kv.Key.Version, Files: (IReadOnlyList<LogFileName>)kv.Value.OrderBy(p => p.Part).ToList()))
            .Concat(v2Checkpoints.Select(kv => (Version: kv.Key, Files: (IReadOnlyList<LogFileName>)[kv.Value])))
            .OrderByDescending(c => c.Version)
            .ToList();

        var latestCommit = commits.Count > 0 ? commits.Keys.Last() : -1;
        var latestCheckpoint = complete.Count > 0 ? complete[0].Version : -1;
        var latest = Math.Max(latestCommit, latestCheckpoint);
        if (latest < 0)
        {
            if (!requireStartAtZero)
            {
                return null;
            }

            if (version is not null && listing.Any(f => LogFileName.TryParse(f.Name)?.Kind == LogFileKind.Commit))
            {
                throw new DeltaException(DeltaErrorKind.VersionNotFound,
                    $"Version {version} of {store.TablePath} cannot be reconstructed: its log files are gone (cleaned up after the log retention period). Read a later version.", store.TablePath);
            }

            throw new DeltaException(DeltaErrorKind.NotADeltaTable,
                $"{store.TablePath} is not a Delta table: it has no _delta_log directory with commits. Check the path, or create the table first.", store.TablePath);
        }

        var target = version ?? latest;
        if (target > latest)
        {
            throw new DeltaException(DeltaErrorKind.VersionNotFound,
                $"Version {target} of {store.TablePath} does not exist; the latest version is {latest}.", store.TablePath);
        }

        var checkpoint = complete.FirstOrDefault(c => c.Version <= target);
        var start = checkpoint.Files is null ? 0 : checkpoint.Version + 1;
        var segmentCommits = new List<LogFileInfo>();
        for (var v = start; v <= target; v++)
        {
            if (!commits.TryGetValue(v, out var commit))
            {
                if (v == start && checkpoint.Files is null && !requireStartAtZero)
                {
                    return null;
                }

                if (v == 0 && checkpoint.Files is null)
                {
                    throw new DeltaException(DeltaErrorKind.VersionNotFound,
                        $"Version {target} of {store.TablePath} cannot be reconstructed: the log has no checkpoint at or before it and commit 0 is gone. Read a later version.", store.TablePath);
                }

                var next = commits.Keys.FirstOrDefault(k => k > v);
                throw new DeltaException(DeltaErrorKind.NonContiguousVersions,
                    $"The log of {store.TablePath} is not contiguous: commit {v} is missing"
                    + (next > v ? $" (the next commit found is {next})" : "")
                    + ". The table cannot be read past the gap; restore the missing commit file from a backup.", store.TablePath);
            }

            segmentCommits.Add(commit);
        }

        // Without the commit file of the target (only its checkpoint survives), the checkpoint's time stands in, as in Spark.
        var lastMtime = commits.TryGetValue(target, out var last) ? last.ModificationTime
            : checkpoint.Files is { } cp && checkpoint.Version == target ? listing.FirstOrDefault(f => f.Name == cp[0].Name)?.ModificationTime ?? 0
            : 0;
        return new LogSegment(target, checkpoint.Files ?? [], segmentCommits, lastMtime);
    }
}
