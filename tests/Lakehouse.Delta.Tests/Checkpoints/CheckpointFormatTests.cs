using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Delta.Tests.Checkpoints;

/// <summary>Multi-part and V2 checkpoints, written here in Spark's layout (PROTOCOL.md, Checkpoints) and read back through <see cref="Snapshot.Load(string, long?)"/>.</summary>
public class CheckpointFormatTests
{
    private static readonly Protocol Protocol = new() { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["v2Checkpoint"], WriterFeatures = ["v2Checkpoint"] };

    private static readonly Metadata Metadata = new()
    {
        Id = "0f6c1b9e-2d7a-4f51-8c3e-9a8b7c6d5e4f",
        SchemaString = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"day\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}",
        PartitionColumns = ["day"],
        Configuration = new Dictionary<string, string> { ["delta.checkpointPolicy"] = "v2" },
    };

    [Fact]
    public void Load_MultiPartCheckpoint_CombinesEveryPart()
    {
        using var table = TestTable.Empty();
        File.WriteAllBytes(table.Log("00000000000000000005.checkpoint.0000000001.0000000002.parquet"),
            SparkLayoutParquet.Write([Protocol, Metadata, Add("a", "2024-01-01")], "protocol", "metaData", "add"));
        File.WriteAllBytes(table.Log("00000000000000000005.checkpoint.0000000002.0000000002.parquet"),
            SparkLayoutParquet.Write([Add("b", null), Add("c", "2024-01-02")], "add"));
        File.WriteAllText(table.Log("00000000000000000006.json"), ActionJson.ToJson(Add("d", "2024-01-03")) + "\n");

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(6, snapshot.Version);
        Assert.Equal(5, snapshot.Segment.CheckpointVersion);
        Assert.Equal(2, snapshot.Segment.Checkpoint.Count);
        Assert.Equal(["a", "b", "c", "d"], snapshot.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Null(snapshot.Files.Single(f => f.Path == "b").PartitionValues["day"]);
        Assert.Equal("2024-01-02", snapshot.Files.Single(f => f.Path == "c").PartitionValues["day"]);
        Assert.Equal(["day"], snapshot.PartitionColumns);
        Assert.Equal(Metadata.Id, snapshot.Metadata.Id);
    }

    [Fact]
    public void Load_V2JsonCheckpointWithSidecars_ReadsTheSidecarFiles()
    {
        using var table = TestTable.Empty();
        var first = WriteSidecar(table, [Add("a", "2024-01-01"), Add("b", "2024-01-01")]);
        var second = WriteSidecar(table, [Add("c", "2024-01-02")]);
        File.WriteAllBytes(table.Log($"00000000000000000004.checkpoint.{Guid.NewGuid()}.json"), ActionJson.WriteCommit(
        [
            new DeltaAction { CheckpointMetadata = new CheckpointMetadata { Version = 4 } },
            Protocol,
            Metadata,
            new DeltaAction { Sidecar = first },
            new DeltaAction { Sidecar = second },
        ]));

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(4, snapshot.Version);
        Assert.Equal(4, snapshot.Segment.CheckpointVersion);
        Assert.Equal(["a", "b", "c"], snapshot.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_ClassicNamedCheckpointWithV2Content_ReadsItsSidecars()
    {
        using var table = TestTable.Empty();
        var sidecar = WriteSidecar(table, [Add("a", "2024-01-01"), Add("b", null)]);
        File.WriteAllBytes(table.Log("00000000000000000002.checkpoint.parquet"), SparkLayoutParquet.Write(
            [new DeltaAction { CheckpointMetadata = new CheckpointMetadata { Version = 2 } }, Protocol, Metadata, new DeltaAction { Sidecar = sidecar }],
            "checkpointMetadata", "protocol", "metaData", "sidecar"));
        File.WriteAllText(table.Log("00000000000000000003.json"),
            ActionJson.ToJson(RemoveFile.For(Add("a", "2024-01-01").Add!, 1_700_000_000_000)) + "\n");

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(3, snapshot.Version);
        Assert.Equal(2, snapshot.Segment.CheckpointVersion);
        Assert.Equal(["b"], snapshot.Files.Select(f => f.Path));
    }

    [Fact]
    public void Load_MissingSidecar_ThrowsCorruptLogNamingIt()
    {
        using var table = TestTable.Empty();
        var sidecar = WriteSidecar(table, [Add("a", "2024-01-01")]);
        File.Delete(Path.Combine(table.LogPath, "_sidecars", sidecar.Path));
        File.WriteAllBytes(table.Log($"00000000000000000001.checkpoint.{Guid.NewGuid()}.json"), ActionJson.WriteCommit(
            [new DeltaAction { CheckpointMetadata = new CheckpointMetadata { Version = 1 } }, Protocol, Metadata, new DeltaAction { Sidecar = sidecar }]));

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(table.Path));

        Assert.Equal(DeltaErrorKind.CorruptLog, e.Kind);
        Assert.Contains(sidecar.Path, e.Message);
    }

    [Fact]
    public void Load_CorruptV2JsonCheckpoint_ThrowsCorruptLogWithTheCheckpointRemedy()
    {
        using var table = TestTable.Empty();
        var name = $"00000000000000000001.checkpoint.{Guid.NewGuid()}.json";
        File.WriteAllText(table.Log(name), ActionJson.ToJson(Protocol) + "\n{\"metaData\":{\"id\":");

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(table.Path));

        Assert.Equal(DeltaErrorKind.CorruptLog, e.Kind);
        Assert.Contains(name, e.Message);
        Assert.Contains("_last_checkpoint", e.Message);
    }

    private static Sidecar WriteSidecar(TestTable table, IReadOnlyList<DeltaAction> adds)
    {
        var name = $"{Guid.NewGuid()}.parquet";
        var bytes = SparkLayoutParquet.Write(adds, "add");
        Directory.CreateDirectory(Path.Combine(table.LogPath, "_sidecars"));
        File.WriteAllBytes(Path.Combine(table.LogPath, "_sidecars", name), bytes);
        return new Sidecar { Path = name, SizeInBytes = bytes.Length, ModificationTime = 1_700_000_000_000 };
    }

    private static DeltaAction Add(string path, string? day) => new AddFile
    {
        Path = path,
        PartitionValues = new Dictionary<string, string?> { ["day"] = day },
        Size = 10,
        ModificationTime = 1_700_000_000_000,
        DataChange = false,
    };
}
