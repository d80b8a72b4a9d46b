using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.ChangeData;

/// <summary>
/// The change data feed of a table (PROTOCOL.md, Change Data Files and Add CDC File): for each commit in a version
/// range, the files whose rows are the commit's row-level changes. Only the log is read; the rows themselves are read
/// by the caller (the embedded engine reads them with DuckDB).
/// </summary>
public static class ChangeDataFeed
{
    /// <summary>The table property that turns the feed on.</summary>
    public const string EnableKey = TableProperties.EnableChangeDataFeedKey;

    /// <summary>Reads the feed of the table at <paramref name="tablePath"/>; see <see cref="Read(ILogStore, long, long?)"/>.</summary>
    public static ChangeSet Read(string tablePath, long startVersion, long? endVersion = null) =>
        Read(new LocalLogStore(tablePath), startVersion, endVersion);

    /// <summary>
    /// The changes of versions <paramref name="startVersion"/> to <paramref name="endVersion"/> (inclusive; the latest
    /// version when null or beyond it, as Delta on Spark reads it). A commit with <c>cdc</c> actions changed exactly the
    /// rows of those files; any other commit inserted the rows of its <c>add</c>s and deleted the rows of its
    /// <c>remove</c>s that have dataChange = true (each with its deletion vector applied); dataChange = false actions
    /// (OPTIMIZE) changed nothing.
    /// </summary>
    /// <exception cref="DeltaException">
    /// <see cref="DeltaErrorKind.NotADeltaTable"/>; <see cref="DeltaErrorKind.InvalidRequest"/> when the start is
    /// negative, after the latest version, or after the end; <see cref="DeltaErrorKind.VersionNotFound"/> when commits of
    /// the range were cleaned up; <see cref="DeltaErrorKind.ChangeDataNotRecorded"/> when the feed was off at a version
    /// of the range, or a commit without cdc actions replaced a file's deletion vector (its changes are then the
    /// difference of two vectors, which the actions alone do not tell).
    /// </exception>
    public static ChangeSet Read(ILogStore store, long startVersion, long? endVersion = null)
    {
        if (startVersion < 0)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The starting version {startVersion} of the change data feed is negative. Pass a version of the table (0 or later).", store.TablePath);
        }

        if (endVersion < startVersion)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The change data feed range of {store.TablePath} ends (version {endVersion}) before it starts (version {startVersion}). Pass an ending version at or after the starting version.",
                store.TablePath);
        }

        var latest = Snapshot.Load(store);
        if (startVersion > latest.Version)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The starting version {startVersion} of the change data feed is after the latest version of {store.TablePath} ({latest.Version}): "
                + $"there are no changes to read yet. Start at version {latest.Version} or earlier, or skip the read until the table has version {startVersion}.",
                store.TablePath);
        }

        var end = Math.Min(endVersion ?? latest.Version, latest.Version);
        var timestamps = CommitTimestamps.Load(store, latest.Properties);
        var first = timestamps.Count > 0 ? timestamps.Version(0) : latest.Version + 1;
        if (startVersion < first)
        {
            throw new DeltaException(DeltaErrorKind.VersionNotFound,
                $"The commits of {store.TablePath} before version {first} were cleaned up (log retention), so the change data feed from version {startVersion} cannot be read. "
                + $"Start at version {first} or later.", store.TablePath);
        }

        var metadata = startVersion == latest.Version ? latest.Metadata : Snapshot.Load(store, startVersion).Metadata;
        var commits = new List<CommitChanges>();
        for (var version = startVersion; version <= end; version++)
        {
            var index = (int)(version - first);
            var name = timestamps.File(index).Name;
            List<DeltaAction> actions;
            try
            {
                actions = ActionJson.ParseCommit(store.Read(name), name);
            }
            catch (FileNotFoundException)
            {
                throw new DeltaException(DeltaErrorKind.VersionNotFound,
                    $"The commit of version {version} of {store.TablePath} was cleaned up while the change data feed was read. Start at a later version.", store.TablePath);
            }

            // The metadata in effect at a version is the one its own commit sets, if it sets one.
            metadata = actions.Select(a => a.Metadata).LastOrDefault(m => m is not null) ?? metadata;
            if (!Enabled(metadata))
            {
                throw new DeltaException(DeltaErrorKind.ChangeDataNotRecorded,
                    $"The change data feed of {store.TablePath} was not recorded at version {version} ({EnableKey} was not true then), so versions {startVersion} to {end} cannot be read as changes. "
                    + $"Read a range of versions during which the feed was on (DESCRIBE HISTORY shows when {EnableKey} was set), or turn it on with ALTER TABLE … SET TBLPROPERTIES ({EnableKey} = true) and read the versions after that.",
                    store.TablePath);
            }

            commits.Add(new CommitChanges(version, DateTimeOffset.FromUnixTimeMilliseconds(timestamps.Timestamp(index)), Files(actions, version, store.TablePath)));
        }

        return new ChangeSet(store.TablePath, startVersion, end, metadata, commits);
    }

    /// <summary>
    /// The versions a timestamp range stands for, as Delta on Spark resolves <c>startingTimestamp</c> and
    /// <c>endingTimestamp</c>: the start is the first commit at or after <paramref name="start"/>, the end the last commit
    /// at or before <paramref name="end"/> (the latest version when null). Commit timestamps are those of time travel.
    /// </summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.InvalidRequest"/> when the start is after the latest
    /// commit or the end before the earliest one still in the log.</exception>
    public static (long Start, long? End) VersionsAt(ILogStore store, DateTimeOffset start, DateTimeOffset? end)
    {
        var latest = Snapshot.Load(store);
        var timestamps = CommitTimestamps.Load(store, latest.Properties);
        var startMs = start.ToUnixTimeMilliseconds();
        // Commit timestamps increase with the version: the first at or after the start is found by bisection.
        var first = FirstIndex(timestamps, t => t >= startMs);
        if (first == timestamps.Count)
        {
            var last = timestamps.Count - 1;
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The startingTimestamp {CommitTimestamps.Format(startMs)} is after the latest commit of {store.TablePath} (version {timestamps.Version(last)} at {CommitTimestamps.Format(timestamps.Timestamp(last))}): "
                + "there are no changes to read yet. Pass an earlier timestamp, or skip the read until the table has a newer commit.", store.TablePath);
        }

        long? endVersion = null;
        if (end is { } e)
        {
            var endMs = e.ToUnixTimeMilliseconds();
            var after = FirstIndex(timestamps, t => t > endMs);
            if (after == 0)
            {
                throw new DeltaException(DeltaErrorKind.InvalidRequest,
                    $"The endingTimestamp {CommitTimestamps.Format(endMs)} is before the earliest commit still in the log of {store.TablePath} (version {timestamps.Version(0)} at {CommitTimestamps.Format(timestamps.Timestamp(0))}). Pass a later timestamp.",
                    store.TablePath);
            }

            endVersion = timestamps.Version(after - 1);
        }

        return (timestamps.Version(first), endVersion);
    }

    private static int FirstIndex(CommitTimestamps timestamps, Func<long, bool> isAfter)
    {
        int lo = 0, hi = timestamps.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (isAfter(timestamps.Timestamp(mid)))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>Whether <paramref name="metadata"/> turns the feed on, read as the writers read it
    /// (<see cref="TableProperties.EnableChangeDataFeed"/>).</summary>
    public static bool Enabled(Metadata metadata) => new TableProperties(metadata.Configuration).EnableChangeDataFeed;

    private static List<ChangeFile> Files(List<DeltaAction> actions, long version, string tablePath)
    {
        var cdc = actions.Where(a => a.Cdc is not null).Select(a => a.Cdc!).ToList();
        if (cdc.Count > 0)
        {
            // PROTOCOL.md, Change Data Files: when a commit has cdc actions, they are its changes; its add and remove
            // actions are not read as changes.
            return [.. cdc.Select(c => new ChangeFile(ChangeFileKind.ChangeData, c.Path, c.PartitionValues, c.Size, null))];
        }

        var adds = actions.Where(a => a.Add is { DataChange: true }).Select(a => a.Add!).ToList();
        var removes = actions.Where(a => a.Remove is { DataChange: true }).Select(a => a.Remove!).ToList();
        var added = adds.ToLookup(a => a.Path, StringComparer.Ordinal);
        if (removes.FirstOrDefault(r => added[r.Path].Any(a => a.DeletionVector?.UniqueId != r.DeletionVector?.UniqueId)) is { } replaced)
        {
            throw new DeltaException(DeltaErrorKind.ChangeDataNotRecorded,
                $"Version {version} of {tablePath} replaced the deletion vector of '{replaced.Path}' without recording change data (no cdc actions), "
                + "so the rows it changed cannot be told from the log: reading it as the whole file deleted and inserted again would be wrong. "
                + $"Read the change data feed of a range without version {version}, or read the table as of versions {version - 1} and {version} and compare them.",
                tablePath);
        }

        return
        [
            .. removes.Select(r => new ChangeFile(ChangeFileKind.Removed, r.Path, r.PartitionValues ?? new Dictionary<string, string?>(), r.Size, r.DeletionVector)),
            .. adds.Select(a => new ChangeFile(ChangeFileKind.Added, a.Path, a.PartitionValues, a.Size, a.DeletionVector)),
        ];
    }

    /// <summary>A version number option (<c>startingVersion</c>, <c>endingVersion</c>) as a version.</summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.InvalidRequest"/> when it is not a whole number.</exception>
    public static long ParseVersion(string option, string text) =>
        long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new DeltaException(DeltaErrorKind.InvalidRequest, $"The change data feed option {option} = '{text}' is not a version number. Pass a whole number such as 3.");
}
