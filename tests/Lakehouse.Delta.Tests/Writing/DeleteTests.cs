using System.Text.Json.Nodes;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Writing;

public sealed class DeleteTests
{
    private static async Task<List<long>> Ids(string table)
    {
        var ids = new List<long>();
        foreach (var file in DeltaTable.ForPath(table).Snapshot().Files)
        {
            var (_, _, leaves) = await ParquetReadBack.ReadAsync(TablePaths.ResolveDataFile(table, file.Path));
            ids.AddRange(leaves["id"].Values.Cast<long>());
        }

        return ids.Order().ToList();
    }

    [Fact]
    public async Task DeleteAsync_DataColumnPredicate_RewritesFileWithOtherRows()
    {
        using var dir = new TempDirectory("delete-rows");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 10)]);
        var before = table.Snapshot().Files.Single();

        var result = await table.DeleteAsync("id >= 3 AND id < 6");

        Assert.Equal([0L, 1, 2, 6, 7, 8, 9], await Ids(dir.Path));
        var snapshot = table.Snapshot();
        var after = snapshot.Files.Single();
        Assert.NotEqual(before.Path, after.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"numRecords":7,"minValues":{"id":0,"part":"p"},"maxValues":{"id":9,"part":"p"},"nullCount":{"id":0,"part":0}}
            """), JsonNode.Parse(after.Stats!)), after.Stats);
        Assert.Equal("3", result.Metrics["numDeletedRows"]);
        Assert.Equal("7", result.Metrics["numCopiedRows"]);
        Assert.Equal("1", result.Metrics["numRemovedFiles"]);
        Assert.Equal("1", result.Metrics["numAddedFiles"]);
        var commitInfo = TestData.Commit(dir.Path, 2)[0].CommitInfo!;
        Assert.Equal("[\"id >= 3 AND id < 6\"]", commitInfo.OperationParameters!["predicate"]);
        Assert.False(commitInfo.IsBlindAppend);
    }

    [Fact]
    public async Task DeleteAsync_NoMatchingRow_FilesUntouched()
    {
        using var dir = new TempDirectory("delete-none");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 3)]);
        var before = table.Snapshot().Files.Single().Path;

        var result = await table.DeleteAsync("id > 100");

        Assert.Equal(before, table.Snapshot().Files.Single().Path);
        Assert.Equal("0", result.Metrics["numDeletedRows"]);
    }

    [Fact]
    public async Task DeleteAsync_AllRowsOfFileMatch_FileRemovedWithoutReplacement()
    {
        using var dir = new TempDirectory("delete-all-rows");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);
        await table.AppendAsync([TestData.Ids(0, 2, "a"), TestData.Ids(10, 2, "b")]);

        await table.DeleteAsync("id < 5 OR part = 'zzz'");

        Assert.Equal([10L, 11], await Ids(dir.Path));
        Assert.Equal(["b"], table.Snapshot().Files.Select(f => f.PartitionValues["part"]));
    }

    [Fact]
    public async Task DeleteAsync_NestedColumns_KeptRowsKeepTheirStructArrayAndMapValues()
    {
        using var dir = new TempDirectory("delete-nested");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = RoundTripTestsData.AllTypes();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema));
        await table.AppendAsync([batch]);

        // Row 0 has i = 3; rows 1 (all null) and 2 stay. A null i is unknown, so row 1 is kept.
        await table.DeleteAsync("i = 3");

        var file = table.Snapshot().Files.Single();
        var (_, _, leaves) = await ParquetReadBack.ReadAsync(TablePaths.ResolveDataFile(dir.Path, file.Path));
        Assert.Equal([int.MinValue], leaves["i"].Values.Cast<int>());
        Assert.Equal([0, 1], leaves["st/x"].Definitions);
        Assert.Equal([0, 1], leaves["arr/list/element"].Definitions);
        Assert.Equal([0, 0], leaves["arr/list/element"].Repetitions);
        Assert.Equal([0, 1], leaves["m/key_value/key"].Definitions);
        var stats = JsonNode.Parse(file.Stats!)!;
        Assert.Equal(2, stats["numRecords"]!.GetValue<long>());
        Assert.Equal(1, stats["nullCount"]!["arr"]!.GetValue<long>());
        Assert.Equal(2, stats["nullCount"]!["st"]!["x"]!.GetValue<long>());
        Assert.Equal("c", stats["maxValues"]!["st"]!["y"]!.GetValue<string>());
        Assert.Equal("1970-01-01T00:00:00.000Z", stats["maxValues"]!["ts"]!.GetValue<string>());
    }
}
