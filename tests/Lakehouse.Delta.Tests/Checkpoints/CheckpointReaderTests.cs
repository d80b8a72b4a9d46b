using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Checkpoints;

public class CheckpointReaderTests
{
    [Theory]
    [InlineData("basic-with-inserts-deletes-checkpoint")]
    [InlineData("basic-with-inserts-overwrite-restore")]
    public void Load_SparkClassicCheckpoint_MatchesJsonReplay(string fixture)
    {
        var expected = TestTable.Expected(fixture);
        var version = expected.GetProperty("version").GetInt64();

        var snapshot = Snapshot.Load(ConformanceData.Table(fixture));

        Assert.Equal(version, snapshot.Version);
        Assert.Equal(expected.GetProperty("checks").GetProperty("checkpointVersion").GetInt64(), snapshot.Segment.CheckpointVersion);
        var replay = JsonReplay.Of(Path.Combine(ConformanceData.Table(fixture), "_delta_log"), version);
        Assert.Equal(replay.Files.Keys.Order(StringComparer.Ordinal), snapshot.Files.Select(Key).Order(StringComparer.Ordinal));
        foreach (var file in snapshot.Files)
        {
            var json = replay.Files[Key(file)];
            Assert.Equal(json.GetProperty("size").GetInt64(), file.Size);
            Assert.Equal(json.GetProperty("modificationTime").GetInt64(), file.ModificationTime);
            Assert.Equal(json.TryGetProperty("stats", out var s) ? s.GetString() : null, file.Stats);
        }

        Assert.Equal(replay.Metadata.GetProperty("id").GetString(), snapshot.Metadata.Id);
        Assert.Equal(replay.Metadata.GetProperty("schemaString").GetString(), snapshot.Metadata.SchemaString);
        Assert.Equal(replay.Protocol.GetProperty("minReaderVersion").GetInt32(), snapshot.Protocol.MinReaderVersion);
        Assert.Equal(replay.Protocol.GetProperty("minWriterVersion").GetInt32(), snapshot.Protocol.MinWriterVersion);
        if (expected.GetProperty("checks").TryGetProperty("activeFiles", out var active))
        {
            Assert.Equal(active.GetInt32(), snapshot.Files.Count);
        }
    }

    [Fact]
    public void ReadActions_SparkCheckpoint_ReturnsEveryActionCountedInLastCheckpoint()
    {
        var store = new LocalLogStore(ConformanceData.Table("basic-with-inserts-deletes-checkpoint"));
        var last = LastCheckpoint.TryRead(store)!;

        var actions = CheckpointReader.ReadActions(store, [LogFileName.TryParse(LogFileName.Checkpoint(10))!]).ToList();

        // expected.json: lastCheckpoint {version 10, size 13}; numOfAddFiles as Spark recorded it.
        var check = TestTable.Expected("basic-with-inserts-deletes-checkpoint").GetProperty("checks").GetProperty("lastCheckpoint");
        Assert.Equal(check.GetProperty("size").GetInt64(), actions.Count);
        Assert.Equal(last.NumOfAddFiles, actions.Count(a => a.Add is not null));
        Assert.Single(actions, a => a.Protocol is not null);
        Assert.Single(actions, a => a.Metadata is not null);
        var replay = JsonReplay.Of(store.TablePath + "/_delta_log", 10);
        Assert.Equal(replay.Tombstones.Order(StringComparer.Ordinal), actions.Where(a => a.Remove is not null).Select(a => a.Remove!.Path).Order(StringComparer.Ordinal));
        Assert.All(actions.Where(a => a.Remove is not null), a => Assert.NotNull(a.Remove!.DeletionTimestamp));
    }

    [Fact]
    public void Load_TruncatedCheckpoint_ThrowsCorruptLogNamingTheFile()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        var checkpoint = table.Log(LogFileName.Checkpoint(10));
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(table.Path));

        Assert.Equal(DeltaErrorKind.CorruptLog, e.Kind);
        Assert.Contains(LogFileName.Checkpoint(10), e.Message);
        Assert.Contains("_last_checkpoint", e.Message);
    }

    [Fact]
    public void Load_CorruptLastCheckpoint_FallsBackToListing()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        File.WriteAllText(table.Log(LastCheckpoint.FileName), "{\"version\": 10, \"size\":");

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(13, snapshot.Version);
        Assert.Equal(10, snapshot.Segment.CheckpointVersion);
        Assert.Equal(JsonReplay.Of(table.LogPath, 13).Files.Count, snapshot.Files.Count);
    }

    [Fact]
    public void Load_MissingLastCheckpoint_FindsTheCheckpointByListing()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        File.Delete(table.Log(LastCheckpoint.FileName));

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(13, snapshot.Version);
        Assert.Equal(10, snapshot.Segment.CheckpointVersion);
    }

    [Fact]
    public void Load_StaleLastCheckpoint_FallsBackToJsonReplay()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        File.Delete(table.Log(LogFileName.Checkpoint(10)));

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(13, snapshot.Version);
        Assert.Equal(-1, snapshot.Segment.CheckpointVersion);
        Assert.Equal(
            JsonReplay.Of(table.LogPath, 13).Files.Keys.Order(StringComparer.Ordinal),
            snapshot.Files.Select(Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_LastCheckpointPointingPastAnOlderCheckpoint_UsesTheCheckpointThatExists()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        File.WriteAllText(table.Log(LastCheckpoint.FileName), "{\"version\":12,\"size\":5}");

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(13, snapshot.Version);
        Assert.Equal(10, snapshot.Segment.CheckpointVersion);
    }

    internal static string Key(AddFile f) => f.DeletionVector is null ? f.Path : f.Path + "|" + f.DeletionVector.UniqueId;
}
