using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Tests.Writing;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>
/// A load with <c>_last_checkpoint</c> replays the checkpoint it names and the commits found after it by asking for
/// each next version, while the log is listed; the listing has the last word. These logs are the ones where the
/// probe alone would be wrong.
/// </summary>
public sealed class CheckpointProbeTests
{
    private static readonly Dictionary<string, string> EveryThirdCommit = new() { ["delta.checkpointInterval"] = "3" };

    /// <summary>Versions 0 (create) to <paramref name="appends"/>, one row each from version 1, checkpoints every 3 versions.</summary>
    private static async Task<DeltaTable> TableWith(string path, int appends)
    {
        var table = DeltaTable.ForPath(path);
        table.Create(TestData.IdPartSchema, properties: EveryThirdCommit);
        for (var i = 0; i < appends; i++)
        {
            await table.AppendAsync([TestData.Ids(i, 1)]);
        }

        return table;
    }

    // These tables are short; a threshold of 0 makes every load probe, and list and replay side by side.
    private static Snapshot LoadSideBySide(string path) => Snapshot.Load(new LocalLogStore(path), version: null, parallelListingFrom: 0);

    private static void DeleteCommit(string path, long version) => File.Delete(Path.Combine(path, "_delta_log", LogFileName.Commit(version)));

    [Fact]
    public async Task Load_WithLastCheckpoint_SameSegmentAsAListing()
    {
        using var dir = new TempDirectory("probe-same");
        await TableWith(dir.Path, appends: 8);
        var store = new LocalLogStore(dir.Path);
        var hint = LastCheckpoint.TryRead(store)!;

        var probed = LogSegment.TryProbe(store, hint, version: null);
        var snapshot = LoadSideBySide(dir.Path);

        // Checkpoints at 3 and 6, so the probe replays checkpoint 6 and commits 7 and 8, exactly as a listing does.
        Assert.Equal(6, hint.Version);
        Assert.NotNull(probed);
        Assert.True(probed.SameFiles(LogSegment.Build(store, hint: null, version: null)));
        Assert.Equal(8, snapshot.Version);
        Assert.Equal([LogFileName.Commit(7), LogFileName.Commit(8)], snapshot.Segment.Commits.Select(c => c.Name));
        Assert.Equal(8, TestData.RowCount(snapshot));
        var commit8 = new FileInfo(Path.Combine(dir.Path, "_delta_log", LogFileName.Commit(8)));
        Assert.Equal(new DateTimeOffset(commit8.LastWriteTimeUtc).ToUnixTimeMilliseconds(), snapshot.Segment.LastCommitModificationTime);
    }

    [Fact]
    public async Task Load_GapAfterTheCheckpoint_NonContiguousVersionsAlthoughTheProbeStopsBeforeIt()
    {
        using var dir = new TempDirectory("probe-gap");
        await TableWith(dir.Path, appends: 8);
        DeleteCommit(dir.Path, 7);

        var e = Assert.Throws<DeltaException>(() => LoadSideBySide(dir.Path));

        // PROTOCOL.md, Delta Log Entries: versions are contiguous; a reader that stopped at 6 would miss commit 8.
        Assert.Equal(DeltaErrorKind.NonContiguousVersions, e.Kind);
        Assert.Contains("commit 7 is missing", e.Message);
    }

    [Fact]
    public async Task Load_LastCheckpointOlderThanTheNewestCheckpoint_UsesTheNewestAfterCleanup()
    {
        using var dir = new TempDirectory("probe-stale");
        await TableWith(dir.Path, appends: 8);
        var store = new LocalLogStore(dir.Path);
        // _last_checkpoint is a hint and may lag (PROTOCOL.md, Last Checkpoint File); log cleanup may already have
        // removed the commits between the hinted checkpoint and the newest one.
        store.Replace(LastCheckpoint.FileName, new LastCheckpoint { Version = 3, Size = 1 }.ToUtf8());
        DeleteCommit(dir.Path, 4);

        var snapshot = LoadSideBySide(dir.Path);

        Assert.Equal(8, snapshot.Version);
        Assert.Equal(6, snapshot.Segment.CheckpointVersion);
        Assert.Equal(8, TestData.RowCount(snapshot));
    }

    [Fact]
    public async Task Load_CommitLandedAfterTheProbe_ListingSeesTheLaterVersion()
    {
        using var dir = new TempDirectory("probe-race");
        var table = await TableWith(dir.Path, appends: 7);
        var store = new LocalLogStore(dir.Path);
        var probed = LogSegment.TryProbe(store, LastCheckpoint.TryRead(store)!, version: null)!;

        await table.AppendAsync([TestData.Ids(7, 1)]);
        var listed = LogSegment.Build(store, LastCheckpoint.TryRead(store), version: null);

        // The probe's segment is version 7; a listing made after the commit finds 8, so the probe's replay is discarded.
        Assert.Equal(7, probed.Version);
        Assert.False(listed.SameFiles(probed));
        Assert.Equal(8, LoadSideBySide(dir.Path).Version);
    }

    [Fact]
    public async Task TryProbe_VersionBetweenTheCheckpointAndTheLatest_StopsAtThatVersion()
    {
        using var dir = new TempDirectory("probe-version");
        await TableWith(dir.Path, appends: 8);
        var store = new LocalLogStore(dir.Path);
        var hint = LastCheckpoint.TryRead(store)!;

        Assert.Equal(7, LogSegment.TryProbe(store, hint, version: 7)!.Version);
        Assert.Null(LogSegment.TryProbe(store, hint, version: 5));
        Assert.Null(LogSegment.TryProbe(store, hint, version: 12));
        Assert.Equal(7, TestData.RowCount(Snapshot.Load(new LocalLogStore(dir.Path), 7, parallelListingFrom: 0)));
    }

    [Fact]
    public async Task TryProbe_CheckpointNamedByTheHintIsGone_NoGuess()
    {
        using var dir = new TempDirectory("probe-no-checkpoint");
        await TableWith(dir.Path, appends: 8);
        var store = new LocalLogStore(dir.Path);
        File.Delete(Path.Combine(dir.Path, "_delta_log", LogFileName.Checkpoint(6)));

        Assert.Null(LogSegment.TryProbe(store, LastCheckpoint.TryRead(store)!, version: null));
        var snapshot = LoadSideBySide(dir.Path);
        Assert.Equal(8, snapshot.Version);
        Assert.Equal(3, snapshot.Segment.CheckpointVersion);
    }
}
