using System.Text.Json.Nodes;
using Apache.Arrow;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>
/// Nested values whose nulls sit at different depths. The Parquet files are written with explicit definition and
/// repetition levels worked out by hand from the Parquet format's Dremel encoding, so the expectation does not come
/// from any reader.
/// </summary>
public sealed class NestedReadingTests
{
    [Fact]
    public async Task ReadBatches_ListWithNullListEmptyListAndNullElement_KeepsEachDistinct()
    {
        using var dir = new TempDirectory("nested");
        var element = new DataField<int?>("element");
        var list = new ListField("l", element);
        // Rows: [1, null, 2], null, [], [3]. Max definition 3 (optional list, repeated group, optional element), max repetition 1.
        await WriteAsync(Path.Combine(dir.Path, "a.parquet"), new ParquetSchema(list), async group =>
            await group.WriteAllPartsAsync<int>(element, new[] { 1, 2, 3 }, new[] { 3, 2, 3, 0, 1, 3 }, new[] { 0, 1, 1, 0, 0, 0 }, default));
        var type = new JsonObject { ["type"] = "array", ["elementType"] = "integer", ["containsNull"] = true };
        Commit(dir.Path, ("l", type));

        var column = (ListArray)Assert.Single(new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches()).Column("l");
        var values = (Int32Array)column.Values;

        Assert.Equal(4, column.Length);
        Assert.Equal([1, null, 2], Range(column, 0).Select(i => values.GetValue(i)));
        Assert.True(column.IsNull(1));
        Assert.False(column.IsNull(2));
        Assert.Empty(Range(column, 2));
        Assert.Equal([3], Range(column, 3).Select(i => values.GetValue(i)));
    }

    [Fact]
    public async Task ReadBatches_StructNullVersusStructWithNullField_KeepsEachDistinct()
    {
        using var dir = new TempDirectory("nested");
        var a = new DataField<int?>("a");
        // Rows: {a: 1}, null, {a: null}. Max definition 2 (optional struct, optional field).
        await WriteAsync(Path.Combine(dir.Path, "a.parquet"), new ParquetSchema(new StructField("s", a)), async group =>
            await group.WriteAllPartsAsync<int>(a, new[] { 1 }, new[] { 2, 0, 1 }, null, default));
        var type = new JsonObject
        {
            ["type"] = "struct",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "a", ["type"] = "integer", ["nullable"] = true, ["metadata"] = new JsonObject() }),
        };
        Commit(dir.Path, ("s", type));

        var column = (StructArray)Assert.Single(new DeltaScan(Snapshot.Load(dir.Path)).ReadBatches()).Column("s");
        var field = (Int32Array)column.Fields[0];

        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(column.IsNull));
        Assert.Equal(1, field.GetValue(0));
        Assert.True(field.IsNull(2));
    }

    private static IEnumerable<int> Range(ListArray list, int row) =>
        Enumerable.Range(list.ValueOffsets[row], list.ValueOffsets[row + 1] - list.ValueOffsets[row]);

    private static void Commit(string table, (string Name, JsonNode Type) column) =>
        TestTables.Commit(table, 0, TestTables.Protocol(), TestTables.Metadata(TestTables.Schema((column.Name, column.Type, null))), TestTables.Add("a.parquet"));

    private static async Task WriteAsync(string path, ParquetSchema schema, Func<ParquetRowGroupWriter, Task> write)
    {
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        await write(group);
    }
}
