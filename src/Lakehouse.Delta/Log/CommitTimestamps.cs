using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Log;

/// <summary>
/// The commit timestamps of the commits still in <c>_delta_log</c>, as time travel and history see them:
/// the in-commit timestamp (<c>commitInfo.inCommitTimestamp</c>) from <c>delta.inCommitTimestampEnablementVersion</c>
/// on, else the commit file's modification time, made strictly increasing.
/// </summary>
internal sealed class CommitTimestamps
{
    private readonly ILogStore _store;
    private readonly IReadOnlyList<LogFileInfo> _commits;
    private readonly long[] _fileTimes;
    private readonly long? _inCommitTimestampsFrom;
    private readonly long?[] _inCommitTimestamps;

    private CommitTimestamps(ILogStore store, IReadOnlyList<LogFileInfo> commits, long? inCommitTimestampsFrom, int earliestReproducible)
    {
        _store = store;
        _commits = commits;
        _inCommitTimestampsFrom = inCommitTimestampsFrom;
        _inCommitTimestamps = new long?[commits.Count];
        EarliestReproducible = earliestReproducible;

        // File systems can give a later commit an equal or earlier mtime (clock skew, copies); Delta
        // treats such a commit as one millisecond after its predecessor so that timestamps order versions.
        _fileTimes = new long[commits.Count];
        for (var i = 0; i < commits.Count; i++)
        {
            var t = commits[i].ModificationTime;
            _fileTimes[i] = i > 0 && t <= _fileTimes[i - 1] ? _fileTimes[i - 1] + 1 : t;
        }
    }

    /// <summary>The number of commits still in the log (the contiguous run that ends at the latest commit).</summary>
    public int Count => _commits.Count;

    /// <summary>Index of the earliest commit whose version can still be reconstructed (a checkpoint or commit 0 before it); -1 when none.</summary>
    public int EarliestReproducible { get; }

    /// <summary>The version of the commit at <paramref name="index"/>.</summary>
    public long Version(int index) => LogFileName.TryParse(_commits[index].Name)!.Version;

    /// <summary>The commit file at <paramref name="index"/>.</summary>
    public LogFileInfo File(int index) => _commits[index];

    /// <summary>The commit timestamp (ms since the epoch) of the commit at <paramref name="index"/>.</summary>
    public long Timestamp(int index)
    {
        if (_inCommitTimestampsFrom is not { } from || Version(index) < from)
        {
            return _fileTimes[index];
        }

        return _inCommitTimestamps[index] ??= ReadInCommitTimestamp(index);
    }

    /// <summary>Lists the commits of the table behind <paramref name="store"/>; <paramref name="latest"/> decides whether in-commit timestamps apply.</summary>
    public static CommitTimestamps Load(ILogStore store, TableProperties latest)
    {
        var commits = new SortedDictionary<long, LogFileInfo>();
        var checkpoints = new SortedSet<long>();
        foreach (var file in store.List())
        {
            switch (LogFileName.TryParse(file.Name))
            {
                case { Kind: LogFileKind.Commit } c:
                    commits[c.Version] = file;
                    break;
                case { Kind: LogFileKind.ClassicCheckpoint or LogFileKind.MultiPartCheckpoint or LogFileKind.V2Checkpoint } c:
                    checkpoints.Add(c.Version);
                    break;
            }
        }

        // Only the run of commits that ends at the latest one counts: versions before a gap cannot be read.
        var run = new List<LogFileInfo>();
        if (commits.Count > 0)
        {
            var v = commits.Keys.Last();
            while (commits.TryGetValue(v, out var f))
            {
                run.Add(f);
                v--;
            }

            run.Reverse();
        }

        var earliest = -1;
        if (run.Count > 0)
        {
            var first = LogFileName.TryParse(run[0].Name)!.Version;
            // PROTOCOL.md, Checkpoints: version v is reconstructable from commit 0, or from a checkpoint c <= v
            // followed by commits c+1..v.
            long? reproducible = first == 0 ? 0 : checkpoints.Where(c => c >= first - 1).Select(c => (long?)Math.Max(c, first)).FirstOrDefault();
            if (reproducible is { } r && r <= first + run.Count - 1)
            {
                earliest = (int)(r - first);
            }
        }

        long? ictFrom = latest.InCommitTimestamps ? latest.InCommitTimestampEnablementVersion ?? 0 : null;
        return new CommitTimestamps(store, run, ictFrom, earliest);
    }

    /// <summary>
    /// The latest reconstructable version whose commit timestamp is at or before <paramref name="timestampMs"/>.
    /// </summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.VersionNotFound"/> when the timestamp is before the earliest
    /// available commit or after the latest one.</exception>
    public long VersionAt(long timestampMs)
    {
        if (EarliestReproducible < 0)
        {
            throw new DeltaException(DeltaErrorKind.VersionNotFound,
                $"{_store.TablePath} has no commit that can be reconstructed, so it cannot be read at a timestamp. Read it by version instead.", _store.TablePath);
        }

        // Commit timestamps increase with the version, so the last commit at or before the timestamp is found by bisection.
        int lo = EarliestReproducible, hi = Count - 1, found = -1;
        // PROTOCOL.md, In-Commit Timestamps: commits before the enablement version keep their file times, which need not
        // order with the in-commit timestamps after it; so the search stays on the side of the enablement commit's timestamp.
        if (_inCommitTimestampsFrom is { } from && from - Version(0) is var enabled && enabled > lo && enabled <= hi)
        {
            if (Timestamp((int)enabled) <= timestampMs)
            {
                lo = (int)enabled;
            }
            else
            {
                hi = (int)enabled - 1;
            }
        }

        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Timestamp(mid) <= timestampMs)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0)
        {
            var earliest = Timestamp(EarliestReproducible);
            throw new DeltaException(DeltaErrorKind.VersionNotFound,
                $"The timestamp {Format(timestampMs)} is before the earliest commit available in {_store.TablePath} "
                + $"(version {Version(EarliestReproducible)} at {Format(earliest)}); older versions were cleaned up or never existed. Use a timestamp at or after {Format(earliest)}.",
                _store.TablePath);
        }

        if (found == Count - 1 && Timestamp(found) < timestampMs)
        {
            throw new DeltaException(DeltaErrorKind.VersionNotFound,
                $"The timestamp {Format(timestampMs)} is after the latest commit of {_store.TablePath} (version {Version(found)} at {Format(Timestamp(found))}). "
                + $"Read version {Version(found)} by version, or use a timestamp at or before {Format(Timestamp(found))}.",
                _store.TablePath);
        }

        return Version(found);
    }

    /// <summary>A timestamp as users read it in messages: ISO-8601 UTC with milliseconds.</summary>
    public static string Format(long timestampMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private long ReadInCommitTimestamp(int index)
    {
        var name = _commits[index].Name;
        return FirstInCommitTimestamp(_store, name)
            ?? throw new DeltaException(DeltaErrorKind.CorruptLog,
                $"{name} of {_store.TablePath} has no commitInfo.inCommitTimestamp as its first action, but the table has in-commit timestamps from version {_inCommitTimestampsFrom}. The commit was written by a non-conforming writer; restore it from a backup.",
                _store.TablePath);
    }

    /// <summary>The in-commit timestamp of a commit file, or null when its first action carries none.</summary>
    internal static long? FirstInCommitTimestamp(ILogStore store, string name)
    {
        // PROTOCOL.md, In-Commit Timestamps: commitInfo must be the first action of the commit, so one line suffices.
        using var stream = store.OpenRead(name);
        using var line = new MemoryStream();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
            line.WriteByte((byte)b);
        }

        return line.Length == 0 ? null : ActionJson.ParseLine(line.ToArray(), name, 1).CommitInfo?.InCommitTimestamp;
    }
}
