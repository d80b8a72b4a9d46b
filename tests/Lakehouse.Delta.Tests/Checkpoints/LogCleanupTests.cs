using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Checkpoints;

public class LogCleanupTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Run_CommitsBeforeTheNewestExpiredCheckpoint_AreDeletedAndRetainedVersionsStayReadable()
    {
        using var table = TestTable.Empty();
        // Commits 0-6 are 40 days old, 7-9 one day old; checkpoints at 4 and 8. With the 30-day default the
        // newest expired commit is 6, so checkpoint 4 is the one to keep and everything before it goes.
        Build(table, versions: 10, checkpoints: [4, 8], age: v => v <= 6 ? TimeSpan.FromDays(40) : TimeSpan.FromDays(1));
        File.WriteAllText(table.Log("00000000000000000002.crc"), "{}");
        File.WriteAllText(table.Log(".00000000000000000002.json.crc"), "crc");
        File.SetLastWriteTimeUtc(table.Log("00000000000000000002.crc"), (Now - TimeSpan.FromDays(40)).UtcDateTime);

        var deleted = LogCleanup.Run(Snapshot.Load(table.Path), Now);

        Assert.Equal(
            [LogFileName.Commit(0), LogFileName.Commit(1), "00000000000000000002.crc", LogFileName.Commit(2), LogFileName.Commit(3)],
            deleted);
        Assert.False(File.Exists(table.Log("." + LogFileName.Commit(2) + ".crc")));
        Assert.True(File.Exists(table.Log(LogFileName.Checkpoint(4))));
        for (var v = 4L; v <= 9; v++)
        {
            var snapshot = Snapshot.Load(table.Path, v);
            Assert.Equal(v, snapshot.Version);
            Assert.Equal(v, snapshot.Files.Count);
        }

        Assert.Equal(DeltaErrorKind.VersionNotFound, Assert.Throws<DeltaException>(() => Snapshot.Load(table.Path, 3)).Kind);
    }

    [Fact]
    public void Run_CleanupDisabled_DeletesNothing()
    {
        using var table = TestTable.Empty();
        Build(table, versions: 10, checkpoints: [4, 8], age: _ => TimeSpan.FromDays(40),
            configuration: new Dictionary<string, string> { ["delta.enableExpiredLogCleanup"] = "false" });

        var deleted = LogCleanup.Run(Snapshot.Load(table.Path), Now);

        Assert.Empty(deleted);
        Assert.Equal(10, Directory.GetFiles(table.LogPath, "*.json").Length);
    }

    [Fact]
    public void Run_NoCheckpointOlderThanTheRetention_DeletesNothing()
    {
        using var table = TestTable.Empty();
        // Commits 0-5 expired, but the only checkpoint (8) is newer than the newest expired commit:
        // deleting commits 0-5 would leave versions 6 and 7 (inside retention) unreadable.
        Build(table, versions: 10, checkpoints: [8], age: v => v <= 5 ? TimeSpan.FromDays(40) : TimeSpan.FromDays(1));

        var deleted = LogCleanup.Run(Snapshot.Load(table.Path), Now);

        Assert.Empty(deleted);
        Assert.Equal(6, Snapshot.Load(table.Path, 6).Version);
    }

    [Fact]
    public void Run_CustomRetention_UsesTheTableProperty()
    {
        using var table = TestTable.Empty();
        // Everything is 3 days old: inside the 30-day default, outside a 2-day retention.
        Build(table, versions: 6, checkpoints: [3], age: _ => TimeSpan.FromDays(3),
            configuration: new Dictionary<string, string> { ["delta.logRetentionDuration"] = "interval 2 days" });

        var deleted = LogCleanup.Run(Snapshot.Load(table.Path), Now);

        Assert.Equal([LogFileName.Commit(0), LogFileName.Commit(1), LogFileName.Commit(2)], deleted);
        Assert.Equal(5, Snapshot.Load(table.Path).Version);
    }

    /// <summary>Commit 0 creates the table, each later commit adds one file; checkpoints and mtimes as given.</summary>
    private static void Build(TestTable table, int versions, long[] checkpoints, Func<long, TimeSpan> age, Dictionary<string, string>? configuration = null)
    {
        var store = new LocalLogStore(table.Path);
        for (var v = 0L; v < versions; v++)
        {
            List<DeltaAction> actions = v == 0
                ? [new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 }, new Metadata
                {
                    SchemaString = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}",
                    Configuration = configuration ?? [],
                }]
                : [new AddFile { Path = $"part-{v}.parquet", Size = v, ModificationTime = v }];
            Assert.True(store.TryCreate(LogFileName.Commit(v), ActionJson.WriteCommit(actions)));
            if (checkpoints.Contains(v))
            {
                CheckpointWriter.Write(Snapshot.Load(table.Path, v), Now);
            }
        }

        foreach (var file in Directory.GetFiles(table.LogPath))
        {
            if (LogFileName.TryParse(Path.GetFileName(file)) is { } name)
            {
                File.SetLastWriteTimeUtc(file, (Now - age(name.Version)).UtcDateTime.AddMinutes(name.Version));
            }
        }
    }
}
