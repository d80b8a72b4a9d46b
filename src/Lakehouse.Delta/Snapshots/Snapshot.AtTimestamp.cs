using Lakehouse.Delta.Log;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Snapshots;

public sealed partial class Snapshot
{
    /// <summary>Loads the table at <paramref name="tablePath"/> as of <paramref name="timestamp"/>; see <see cref="LoadAtTimestamp(ILogStore, DateTimeOffset)"/>.</summary>
    public static Snapshot LoadAtTimestamp(string tablePath, DateTimeOffset timestamp) => LoadAtTimestamp(new LocalLogStore(tablePath), timestamp);

    /// <summary>
    /// Loads the latest version whose commit timestamp is at or before <paramref name="timestamp"/>, as Spark's
    /// <c>TIMESTAMP AS OF</c> does. Commit timestamps are in-commit timestamps where the table has them, else commit
    /// file modification times, made strictly increasing (a commit not after its predecessor counts as one millisecond later).
    /// </summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.VersionNotFound"/> when the timestamp is before the earliest
    /// commit still in the log, or after the latest commit; the other kinds of <see cref="Load(ILogStore, long?)"/>.</exception>
    public static Snapshot LoadAtTimestamp(ILogStore store, DateTimeOffset timestamp)
    {
        var latest = Load(store);
        var version = CommitTimestamps.Load(store, latest.Properties).VersionAt(timestamp.ToUnixTimeMilliseconds());
        return version == latest.Version ? latest : Load(store, version);
    }
}
