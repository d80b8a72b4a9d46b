using System.Text.Json.Nodes;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>What the ordinary write path does besides committing: checkpoints, log cleanup and in-commit timestamps, read back by readers.</summary>
public sealed class WritePathMaintenanceTests
{
    [Fact]
    public async Task Append_TenCommitsDefaultInterval_CheckpointAtTenAndLastCheckpointPointsAtIt()
    {
        using var dir = new TempDirectory("default-interval");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        for (var i = 0; i < 10; i++)
        {
            await table.AppendAsync([TestData.Ids(i, 1)]);
        }

        var log = Path.Combine(dir.Path, "_delta_log");
        // PROTOCOL.md, Checkpoints: the default delta.checkpointInterval is 10, so version 10 is the first and only one.
        Assert.Equal([LogFileName.Checkpoint(10)], Directory.GetFiles(log, "*.checkpoint*").Select(Path.GetFileName));
        var last = JsonNode.Parse(File.ReadAllText(Path.Combine(log, "_last_checkpoint")))!.AsObject();
        Assert.Equal(10, last["version"]!.GetValue<long>());
        // protocol + metaData + one add per append; commitInfo is not carried into checkpoints.
        Assert.Equal(12, last["size"]!.GetValue<long>());
        Assert.Equal(new FileInfo(Path.Combine(log, LogFileName.Checkpoint(10))).Length, last["sizeInBytes"]!.GetValue<long>());
        Assert.Equal(10, last["numOfAddFiles"]!.GetValue<long>());

        // Without the commits the checkpoint replaces, the table still reads whole.
        for (var v = 0; v <= 9; v++)
        {
            File.Delete(Path.Combine(log, LogFileName.Commit(v)));
        }

        var snapshot = table.Snapshot();
        Assert.Equal(10, snapshot.Version);
        Assert.Equal(10, snapshot.Segment.CheckpointVersion);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i),
            new Data.Reading.DeltaScan(snapshot).ReadBatches().SelectMany(b => ((Apache.Arrow.Int64Array)b.Column("id")).Values.ToArray()).Order());
    }

    [Fact]
    public async Task Append_CheckpointAfterLogRetention_DeletesCommitsBeforeTheExpiredCheckpoint()
    {
        using var dir = new TempDirectory("write-cleanup");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.checkpointInterval"] = "2" });
        for (var i = 0; i < 3; i++)
        {
            await table.AppendAsync([TestData.Ids(i, 1)]);
        }

        var log = Path.Combine(dir.Path, "_delta_log");
        // Versions 0-3 (and checkpoint 2) age past the default 30-day delta.logRetentionDuration.
        var old = DateTime.UtcNow.AddDays(-31);
        foreach (var file in Directory.GetFiles(log).Where(f => string.CompareOrdinal(Path.GetFileName(f), LogFileName.Commit(4)) < 0))
        {
            File.SetLastWriteTimeUtc(file, old);
        }

        await table.AppendAsync([TestData.Ids(3, 1)]);

        // PROTOCOL.md, Metadata Cleanup: checkpoint 2 is the newest at or before the newest expired commit (3); what precedes it goes.
        var remaining = Directory.GetFiles(log).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([LogFileName.Checkpoint(2), LogFileName.Commit(2), LogFileName.Commit(3), LogFileName.Checkpoint(4), LogFileName.Commit(4), "_last_checkpoint"],
            remaining);
        Assert.Equal(4, TestData.RowCount(table.Snapshot()));
        Assert.Equal(2, TestData.RowCount(table.Snapshot(2)));
        Assert.Equal(DeltaErrorKind.VersionNotFound, Assert.Throws<DeltaException>(() => table.Snapshot(1)).Kind);
    }

    [Fact]
    public async Task LoadAtTimestamp_CommitsWrittenWithInCommitTimestamps_TravelsByThemNotByFileTimes()
    {
        using var dir = new TempDirectory("ict-travel");
        var clock = new SteppingClock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var table = DeltaTable.ForStore(new LocalLogStore(dir.Path), clock);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.enableInCommitTimestamps"] = "true" });
        clock.Advance(TimeSpan.FromMinutes(10));
        await table.AppendAsync([TestData.Ids(0, 1)]);
        clock.Advance(TimeSpan.FromMinutes(10));
        await table.AppendAsync([TestData.Ids(1, 2)]);
        // File times in the opposite order, years away: only the in-commit timestamps can give the right answers.
        for (var v = 0; v <= 2; v++)
        {
            File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "_delta_log", LogFileName.Commit(v)), new DateTime(2030 - v, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        Assert.Equal(0, Snapshot.LoadAtTimestamp(dir.Path, t0.AddMinutes(5)).Version);
        Assert.Equal(1, Snapshot.LoadAtTimestamp(dir.Path, t0.AddMinutes(10)).Version);
        Assert.Equal(1, Snapshot.LoadAtTimestamp(dir.Path, t0.AddMinutes(19)).Version);
        Assert.Equal(2, Snapshot.LoadAtTimestamp(dir.Path, t0.AddMinutes(20)).Version);
        Assert.Equal(3, TestData.RowCount(Snapshot.LoadAtTimestamp(dir.Path, t0.AddMinutes(20))));
        Assert.Equal(DeltaErrorKind.VersionNotFound, Assert.Throws<DeltaException>(() => Snapshot.LoadAtTimestamp(dir.Path, t0.AddMinutes(-1))).Kind);
    }

    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
