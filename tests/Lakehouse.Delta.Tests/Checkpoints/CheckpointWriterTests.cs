using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Tests.Checkpoints;

public class CheckpointWriterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(RichLog.RecentDeletion).AddHours(1);

    [Fact]
    public void Write_SparkFixture_CheckpointAloneReproducesJsonReplay()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        var replay = JsonReplay.Of(table.LogPath, 13);
        // The fixture's removes happened at 1691426743014 at the latest; a clock one day later keeps them all.
        var last = CheckpointWriter.Write(Snapshot.Load(table.Path), DateTimeOffset.FromUnixTimeMilliseconds(1691426743014).AddDays(1));
        DeleteCommitsThrough(table, 13);
        File.Delete(table.Log(LogFileName.Checkpoint(10)));

        var snapshot = Snapshot.Load(table.Path);

        Assert.Equal(13, snapshot.Version);
        Assert.Equal(13, snapshot.Segment.CheckpointVersion);
        Assert.Empty(snapshot.Segment.Commits);
        Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(table.Log(LogFileName.Checkpoint(13)))).ToUnixTimeMilliseconds(), snapshot.Timestamp);
        Assert.Equal(replay.Files.Keys.Order(StringComparer.Ordinal), snapshot.Files.Select(CheckpointReaderTests.Key).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Files, f => Assert.Equal(replay.Files[f.Path].GetProperty("stats").GetString(), f.Stats));
        Assert.Equal(replay.Tombstones.Order(StringComparer.Ordinal), snapshot.Tombstones.Select(t => t.Path).Order(StringComparer.Ordinal));
        Assert.Equal(replay.Metadata.GetProperty("schemaString").GetString(), snapshot.Metadata.SchemaString);
        Assert.Equal(13, last.Version);
        Assert.Equal(replay.Files.Count, last.NumOfAddFiles);
        Assert.Equal(2 + replay.Files.Count + replay.Tombstones.Count, last.Size);
        Assert.Equal(new FileInfo(table.Log(LogFileName.Checkpoint(13))).Length, last.SizeInBytes);
        Assert.Equal(last, LastCheckpoint.TryRead(new LocalLogStore(table.Path))! with { Other = null });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_RichLog_CheckpointReproducesEveryActionOfTheReplay(bool v2)
    {
        using var table = TestTable.Empty();
        RichLog.Write(table, v2Policy: v2);
        var replayed = Snapshot.Load(table.Path);

        CheckpointWriter.Write(replayed, Now);
        DeleteCommitsThrough(table, 3);
        var fromCheckpoint = Snapshot.Load(table.Path);

        Assert.Equal(3, fromCheckpoint.Segment.CheckpointVersion);
        Assert.Equal(v2 ? LogFileKind.V2Checkpoint : LogFileKind.ClassicCheckpoint, LogFileName.TryParse(fromCheckpoint.Segment.Checkpoint[0].Name)!.Kind);
        Assert.Equal(ActionJson.ToJson(replayed.Protocol), ActionJson.ToJson(fromCheckpoint.Protocol));
        Assert.Equal(ActionJson.ToJson(replayed.Metadata), ActionJson.ToJson(fromCheckpoint.Metadata));
        Assert.Equal(Json(replayed.Files.Select(f => (DeltaAction)(f with { DataChange = false }))), Json(fromCheckpoint.Files.Select(f => (DeltaAction)f)));
        Assert.Equal(Json(replayed.Transactions.Values.Select(t => (DeltaAction)t)), Json(fromCheckpoint.Transactions.Values.Select(t => (DeltaAction)t)));
        Assert.Equal(Json(replayed.Domains.Values.Select(d => (DeltaAction)d)), Json(fromCheckpoint.Domains.Values.Select(d => (DeltaAction)d)));
        // Independent of the replay: the values the hand-written log put there.
        Assert.Equal(3, fromCheckpoint.Files.Count);
        var withDv = Assert.Single(fromCheckpoint.Files, f => f.DeletionVector is not null);
        Assert.Equal("day=2024-01-01/a1.parquet", withDv.Path);
        Assert.Equal((1, 36, 2L), (withDv.DeletionVector!.Offset, withDv.DeletionVector.SizeInBytes, withDv.DeletionVector.Cardinality));
        Assert.Equal((10L, 1L), (withDv.BaseRowId!.Value, withDv.DefaultRowCommitVersion!.Value));
        var nullPartition = Assert.Single(fromCheckpoint.Files, f => f.Path.EndsWith("a4.parquet", StringComparison.Ordinal));
        Assert.True(nullPartition.PartitionValues.ContainsKey("day"));
        Assert.Null(nullPartition.PartitionValues["day"]);
        Assert.Equal("1699990004000000", nullPartition.Tags!["INSERTION_TIME"]);
        Assert.Equal(6, fromCheckpoint.TransactionVersion("job-1"));
        Assert.Equal(1, fromCheckpoint.TransactionVersion("job-2"));
        Assert.Equal("{\"owner\":\"etl\"}", fromCheckpoint.Domains["lakehouse.app"].Configuration);
        Assert.Equal(["day"], fromCheckpoint.PartitionColumns);
        Assert.Equal(["deletionVectors", "v2Checkpoint"], fromCheckpoint.Protocol.ReaderFeatures!);
    }

    [Fact]
    public void Write_Tombstones_KeepsOnlyThoseInsideDeletedFileRetention()
    {
        using var table = TestTable.Empty();
        RichLog.Write(table, v2Policy: false);

        CheckpointWriter.Write(Snapshot.Load(table.Path), Now);
        DeleteCommitsThrough(table, 3);
        var tombstones = Snapshot.Load(table.Path).Tombstones;

        // a1 was removed an hour before the clock (kept); a2 thirty days before, past the 7-day default (dropped).
        var kept = Assert.Single(tombstones);
        Assert.Equal("day=2024-01-01/a1.parquet", kept.Path);
        Assert.Null(kept.DeletionVector);
        Assert.Equal(RichLog.RecentDeletion, kept.DeletionTimestamp);
    }

    [Fact]
    public void Write_V2Policy_NamesTheFileWithAUuidAndAddsCheckpointMetadata()
    {
        using var table = TestTable.Empty();
        RichLog.Write(table, v2Policy: true);

        CheckpointWriter.Write(Snapshot.Load(table.Path), Now);

        var name = Assert.Single(Directory.GetFiles(table.LogPath, "*.checkpoint.*.parquet")).Split('/')[^1];
        var parsed = LogFileName.TryParse(name)!;
        Assert.Equal(LogFileKind.V2Checkpoint, parsed.Kind);
        Assert.Equal(3, parsed.Version);
        var actions = CheckpointReader.ReadActions(new LocalLogStore(table.Path), [parsed]).ToList();
        Assert.Equal(3, Assert.Single(actions, a => a.CheckpointMetadata is not null).CheckpointMetadata!.Version);
    }

    [Fact]
    public void Write_Schema_HasTheColumnsLevelsAndTypesOfSparksCheckpoint()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");
        CheckpointWriter.Write(Snapshot.Load(table.Path), Now);

        var spark = Leaves(table.Log(LogFileName.Checkpoint(10)));
        var ours = Leaves(table.Log(LogFileName.Checkpoint(13)));

        foreach (var (path, shape) in spark)
        {
            Assert.True(ours.TryGetValue(path, out var mine), $"missing column {path}");
            Assert.Equal(shape, mine);
        }

        // Beyond Spark 3.4's set, only the clustering provider (Delta 3.1+, PROTOCOL.md Add File) is written.
        Assert.Equal(["add/clusteringProvider"], ours.Keys.Except(spark.Keys));
    }

    [Fact]
    public void Write_OlderVersionThanLastCheckpoint_LeavesLastCheckpointOnTheNewerOne()
    {
        using var table = TestTable.CopyOf("basic-with-inserts-deletes-checkpoint");

        var written = CheckpointWriter.Write(Snapshot.Load(table.Path, 5), Now);

        Assert.Equal(5, written.Version);
        Assert.True(File.Exists(table.Log(LogFileName.Checkpoint(5))));
        Assert.Equal(10, LastCheckpoint.TryRead(new LocalLogStore(table.Path))!.Version);
        Assert.Equal(5, Snapshot.Load(table.Path, 7).Segment.CheckpointVersion);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Write_EveryStruct_IsPresentOrNullAlikeInAllItsLeafColumns(bool v2)
    {
        // Readers such as Spark and DuckDB may take a struct's nullness from any one of its leaves, so all
        // leaves under a struct must agree, row by row, on whether it is there (Dremel definition levels).
        using var table = TestTable.Empty();
        RichLog.Write(table, v2Policy: v2);
        CheckpointWriter.Write(Snapshot.Load(table.Path), Now);
        var file = Directory.GetFiles(table.LogPath, "00000000000000000003.checkpoint*.parquet").Single();

        var presence = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        await using var stream = File.OpenRead(file);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var rowGroup = reader.OpenRowGroupReader(0);
        foreach (var leaf in reader.Schema.GetDataFields())
        {
            using var raw = await rowGroup.ReadRawColumnDataBaseAsync(leaf);
            var def = raw.DefinitionLevels.ToArray();
            var rep = leaf.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : new int[def.Length];
            var rowDefs = def.Where((_, slot) => rep[slot] == 0).ToArray();
            Assert.Equal(rowGroup.RowCount, rowDefs.Length);
            var segments = leaf.Path.ToString()!.Split('/');
            // Struct ancestors are at depth 1 (the action) and, for deletionVector/format, depth 2.
            for (var depth = 1; depth <= 2 && depth < segments.Length; depth++)
            {
                var prefix = string.Join('/', segments[..depth]);
                if (depth == 2 && prefix is not ("add/deletionVector" or "remove/deletionVector" or "metaData/format"))
                {
                    continue;
                }

                var present = rowDefs.Select(d => d >= depth).ToArray();
                if (presence.TryGetValue(prefix, out var expected))
                {
                    Assert.True(expected.SequenceEqual(present), $"{leaf.Path} disagrees with the other leaves of {prefix}");
                }
                else
                {
                    presence[prefix] = present;
                }
            }
        }

        Assert.Equal(1, presence["add/deletionVector"].Count(p => p));
        Assert.Equal(3, presence["add"].Count(p => p));
    }

    [Theory]
    [InlineData(0, 10, false)]
    [InlineData(9, 10, false)]
    [InlineData(10, 10, true)]
    [InlineData(20, 10, true)]
    [InlineData(21, 10, false)]
    [InlineData(3, 3, true)]
    public void ShouldCheckpoint_Version_IsTrueOnMultiplesOfTheInterval(long version, int interval, bool expected)
    {
        var properties = new TableProperties(new Dictionary<string, string> { ["delta.checkpointInterval"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(expected, CheckpointWriter.ShouldCheckpoint(version, properties));
    }

    internal static void DeleteCommitsThrough(TestTable table, long version)
    {
        for (var v = 0L; v <= version; v++)
        {
            File.Delete(table.Log($"{v:D20}.json"));
        }
    }

    private static List<string> Json(IEnumerable<DeltaAction> actions) => actions.Select(ActionJson.ToJson).Order(StringComparer.Ordinal).ToList();

    private static Dictionary<string, string> Leaves(string file)
    {
        using var stream = File.OpenRead(file);
        var schema = ParquetReader.ReadSchemaAsync(stream).GetAwaiter().GetResult();
        return schema.GetDataFields().ToDictionary(
            f => f.Path.ToString()!.Replace("/key_value", "", StringComparison.Ordinal).Replace("/list", "", StringComparison.Ordinal),
            f => $"{f.ClrType.Name} def={f.MaxDefinitionLevel} rep={f.MaxRepetitionLevel} nullable={f.IsNullable}");
    }
}
