using System.Text.Json.Nodes;
using Apache.Arrow;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;
using Parquet.Schema;

namespace Lakehouse.Delta.Tests.Reading;

public sealed class ParquetReadingTests
{
    [Fact]
    public void ReadBatches_FileWithThreeRowGroups_YieldsOneBatchPerRowGroup()
    {
        using var dir = new TempDirectory("read");
        TestTables.WriteLongs(Path.Combine(dir.Path, "a.parquet"), "id", [1, 2], [3, null, 5], [6]);
        TestTables.Commit(dir.Path, 0, TestTables.Protocol(), TestTables.Metadata(Schema("id")), TestTables.Add("a.parquet"));

        var batches = new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches().ToList();

        Assert.Equal([2, 3, 1], batches.Select(b => b.Length));
        Assert.Equal([1L, 2, 3, null, 5, 6], batches.SelectMany(b => (Int64Array)b.Column(0)));
    }

    [Fact]
    public void ReadBatches_ColumnMappingByName_ReadsPhysicalColumnsUnderLogicalNames()
    {
        using var dir = new TempDirectory("read");
        TestTables.WriteLongs(Path.Combine(dir.Path, "a.parquet"), "col-5f1c", [7, 8]);
        var schema = TestTables.Schema(("amount", JsonValue.Create("long")!, Mapping(1, "col-5f1c")));
        TestTables.Commit(dir.Path, 0,
            TestTables.Protocol(2, 5),
            TestTables.Metadata(schema, configuration: new() { ["delta.columnMapping.mode"] = "name", ["delta.columnMapping.maxColumnId"] = "1" }),
            TestTables.Add("a.parquet"));

        var scan = new DeltaScan(Snapshot.Load(dir.Path));

        Assert.Equal("amount", scan.ArrowSchema.FieldsList[0].Name);
        Assert.Equal([7L, 8], scan.ReadBatches().SelectMany(b => (Int64Array)b.Column("amount")));
        Assert.Equal("amount", scan.Files[0].PhysicalToLogical["col-5f1c"]);
    }

    [Fact]
    public void ReadBatches_ColumnMappingById_MatchesParquetFieldIdsWhatevertheNames()
    {
        using var dir = new TempDirectory("read");
        TestTables.WriteLongs(Path.Combine(dir.Path, "a.parquet"), new DataField<long?>("renamed-later") { FieldId = 3 }, [42]);
        var schema = TestTables.Schema(("total", JsonValue.Create("long")!, Mapping(3, "col-other")));
        TestTables.Commit(dir.Path, 0,
            TestTables.Protocol(2, 5),
            TestTables.Metadata(schema, configuration: new() { ["delta.columnMapping.mode"] = "id", ["delta.columnMapping.maxColumnId"] = "3" }),
            TestTables.Add("a.parquet"));

        Assert.Equal([42L], new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches().SelectMany(b => (Int64Array)b.Column("total")));
    }

    [Fact]
    public async Task ReadBatches_IntegerFileUnderLongColumn_WidensTheValues()
    {
        using var dir = new TempDirectory("read");
        var field = new DataField<int?>("n");
        await using (var stream = File.Create(Path.Combine(dir.Path, "a.parquet")))
        await using (var writer = await Parquet.ParquetWriter.CreateAsync(new ParquetSchema(field), stream))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<int>(field, new int?[] { int.MinValue, null, 7 });
        }

        TestTables.Commit(dir.Path, 0, TestTables.Protocol(), TestTables.Metadata(Schema("n")), TestTables.Add("a.parquet"));

        Assert.Equal([int.MinValue, null, 7L], new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches().SelectMany(b => (Int64Array)b.Column("n")));
    }

    [Fact]
    public void ReadBatches_Projection_ReturnsOnlyTheColumnsInTheirOrder()
    {
        using var dir = new TempDirectory("read");
        TestTables.WriteLongs(Path.Combine(dir.Path, "p=x", "a.parquet"), "id", [1, 2]);
        TestTables.Commit(dir.Path, 0,
            TestTables.Protocol(),
            TestTables.Metadata(TestTables.Schema(("id", JsonValue.Create("long")!, null), ("p", JsonValue.Create("string")!, null), ("extra", JsonValue.Create("integer")!, null)), ["p"]),
            TestTables.Add("p=x/a.parquet", new() { ["p"] = "x" }));

        var batch = Assert.Single(new DeltaScan(Snapshot.Load(dir.Path), columns: ["p", "extra"]).ReadBatches());

        Assert.Equal(["p", "extra"], batch.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(["x", "x"], Enumerable.Range(0, 2).Select(i => ((StringArray)batch.Column(0)).GetString(i)));
        Assert.Equal(2, batch.Column(1).NullCount);
    }

    [Fact]
    public void ReadBatches_DataFileMissing_ThrowsDataFileNotFoundThatSaysWhatToDo()
    {
        using var dir = new TempDirectory("read");
        TestTables.Commit(dir.Path, 0, TestTables.Protocol(), TestTables.Metadata(Schema("id")), TestTables.Add("gone.parquet"));

        var e = Assert.Throws<DeltaException>(() => new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches().ToList());

        Assert.Equal(DeltaErrorKind.DataFileNotFound, e.Kind);
        Assert.Contains("gone.parquet", e.Message);
        Assert.Contains("VACUUM", e.Message);
        Assert.Contains("RESTORE", e.Message);
    }

    [Fact]
    public void ReadBatches_NullAndEscapedPartitionValues_ComeFromTheLog()
    {
        using var dir = new TempDirectory("read");
        TestTables.WriteLongs(Path.Combine(dir.Path, "a.parquet"), "id", [1]);
        TestTables.WriteLongs(Path.Combine(dir.Path, "b.parquet"), "id", [2]);
        TestTables.Commit(dir.Path, 0,
            TestTables.Protocol(),
            TestTables.Metadata(TestTables.Schema(("id", JsonValue.Create("long")!, null), ("d", JsonValue.Create("date")!, null), ("s", JsonValue.Create("string")!, null)), ["d", "s"]),
            TestTables.Add("a.parquet", new() { ["d"] = "2024-02-29", ["s"] = "a/b=c%" }),
            TestTables.Add("b.parquet", new() { ["d"] = null, ["s"] = null }));

        var rows = new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches()
            .SelectMany(b => Enumerable.Range(0, b.Length).Select(i => (
                Id: ((Int64Array)b.Column("id")).GetValue(i),
                Date: ((Date32Array)b.Column("d")).GetDateOnly(i),
                S: ((StringArray)b.Column("s")).GetString(i))))
            .OrderBy(r => r.Id).ToList();

        Assert.Equal((1L, new DateOnly(2024, 2, 29), "a/b=c%"), (rows[0].Id!.Value, rows[0].Date!.Value, rows[0].S));
        Assert.Null(rows[1].Date);
        Assert.Null(rows[1].S);
    }

    private static JsonObject Schema(string longColumn) => TestTables.Schema((longColumn, JsonValue.Create("long")!, null));

    private static JsonObject Mapping(int id, string physical) => new()
    {
        ["delta.columnMapping.id"] = id,
        ["delta.columnMapping.physicalName"] = physical,
    };
}
