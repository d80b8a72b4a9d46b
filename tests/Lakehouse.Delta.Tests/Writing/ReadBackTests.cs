using System.Text.Json;
using Apache.Arrow;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Expressions;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Tables this library writes, read back through the library's own scan (the reading side of the round trip).</summary>
public sealed class ReadBackTests
{
    [Fact]
    public async Task Scan_TableWrittenWithEveryType_SameValuesAsWritten()
    {
        using var dir = new TempDirectory("readback");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = RoundTripTestsData.AllTypes();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema));
        await table.AppendAsync([batch]);

        var read = new List<RecordBatch>();
        await foreach (var b in new DeltaScan(table.Snapshot()).ReadBatchesAsync())
        {
            read.Add(b);
        }

        var back = Assert.Single(read);
        Assert.Equal(batch.Schema.FieldsList.Select(f => f.Name), back.Schema.FieldsList.Select(f => f.Name));
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            for (var row = 0; row < batch.Length; row++)
            {
                Assert.Equal(Json(batch.Column(c), row), Json(back.Column(c), row));
            }
        }
    }

    [Fact]
    public async Task Scan_FilterOutsideWrittenStats_FileSkipped()
    {
        using var dir = new TempDirectory("readback-skip");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 10)]);
        await table.AppendAsync([TestData.Ids(100, 10)]);

        var scan = new DeltaScan(table.Snapshot(), PredicateParser.Parse("id >= 100 AND id < 105"));

        Assert.Single(scan.Files);
    }

    [Theory]
    [MemberData(nameof(PartitionedWriteTests.PartitionColumns), MemberType = typeof(PartitionedWriteTests))]
    public async Task Scan_PartitionedByType_PartitionValuesReadBackAsWritten(string type, IArrowArray partition, string?[] serialized)
    {
        using var dir = new TempDirectory("readback-" + type);
        var batch = new RecordBatch.Builder()
            .Append("id", false, new Int64Array.Builder().Append(0).Append(1).Append(2).Build())
            .Append("p", true, partition)
            .Build();
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema), ["p"]);
        await table.AppendAsync([batch]);

        var read = new Dictionary<long, string>();
        await foreach (var b in new DeltaScan(table.Snapshot(), columns: ["id", "p"]).ReadBatchesAsync())
        {
            for (var row = 0; row < b.Length; row++)
            {
                read[((Int64Array)b.Column(0)).GetValue(row)!.Value] = Json(b.Column(1), row);
            }
        }

        Assert.Equal(serialized.Length, read.Count);
        for (var row = 0; row < batch.Length; row++)
        {
            Assert.Equal(Json(partition, row), read[row]);
        }
    }

    /// <summary>An Arrow value as JSON text, recursively for struct/list/map, so nested values compare structurally.</summary>
    private static string Json(IArrowArray array, int index) => JsonSerializer.Serialize(ToObject(array, index));

    private static object? ToObject(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        switch (array)
        {
            case StructArray s:
                return s.Fields.Select((f, i) => ToObject(f, index)).ToList();
            case MapArray m:
            {
                var start = m.ValueOffsets[index];
                var end = m.ValueOffsets[index + 1];
                return Enumerable.Range(start, end - start).Select(i => new[] { ToObject(m.Keys, i), ToObject(m.Values, i) }).ToList();
            }

            case ListArray l:
            {
                var start = l.ValueOffsets[index];
                var end = l.ValueOffsets[index + 1];
                return Enumerable.Range(start, end - start).Select(i => ToObject(l.Values, i)).ToList();
            }

            case TimestampArray t:
                return t.GetTimestamp(index)!.Value.UtcTicks;
            case BinaryArray and not StringArray:
                return Convert.ToBase64String(((BinaryArray)array).GetBytes(index).ToArray());
            case Decimal128Array d:
                return d.GetValue(index)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            default:
                return ArrowValues.Get(array, index, Schema.PrimitiveType.String)?.ToString();
        }
    }
}
