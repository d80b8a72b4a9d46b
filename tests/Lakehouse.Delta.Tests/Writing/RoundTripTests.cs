using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Data.Writing;

namespace Lakehouse.Delta.Tests.Writing;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Append_EveryTypeWithNulls_ParquetHoldsValuesAndDremelLevels()
    {
        using var dir = new TempDirectory("roundtrip");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = RoundTripTestsData.AllTypes();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema));

        await table.AppendAsync([batch]);

        var add = Assert.Single(table.Snapshot().Files);
        Assert.Matches(@"^part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\.snappy\.parquet$", add.Path);
        var (_, meta, leaves) = await ParquetReadBack.ReadAsync(Path.Combine(dir.Path, add.Path));
        Assert.All(meta.RowGroups[0].Columns, c => Assert.Equal(Parquet.Meta.CompressionCodec.SNAPPY, c.MetaData!.Codec));
        Assert.Equal([(sbyte)1, sbyte.MinValue], leaves["b"].Values.Cast<sbyte>());
        Assert.Equal([1, 0, 1], leaves["b"].Definitions);
        Assert.Equal([(short)2, short.MaxValue], leaves["s"].Values.Cast<short>());
        Assert.Equal([3, int.MinValue], leaves["i"].Values.Cast<int>());
        Assert.Equal([4L, long.MaxValue], leaves["l"].Values.Cast<long>());
        Assert.Equal([1.5f, -0.25f], leaves["f"].Values.Cast<float>());
        Assert.Equal([2.5, 1e10], leaves["d"].Values.Cast<double>());
        Assert.Equal([true, false], leaves["bool"].Values.Cast<bool>());
        Assert.Equal(["héllo", RoundTripTestsData.LongString], leaves["str"].Values.Cast<ReadOnlyMemory<char>>().Select(m => m.ToString()));
        Assert.Equal([new byte[] { 1, 2 }, []], leaves["bin"].Values.Cast<ReadOnlyMemory<byte>>().Select(m => m.ToArray()));
        Assert.Equal([new DateTime(2024, 2, 29), new DateTime(1969, 12, 31)], leaves["date"].Values.Cast<DateTime>().Select(d => d.Date));
        Assert.Equal([new DateTime(2024, 1, 1, 10, 20, 30).AddTicks(1_234_560), DateTime.UnixEpoch], leaves["ts"].Values.Cast<DateTime>().Select(d => new DateTime(d.Ticks)));
        Assert.Equal([12.34m, -0.50m], leaves["dec"].Values.Cast<decimal>());

        // Dremel levels by hand: st optional(1) > x optional(2); arr optional(1) > list repeated(2) > element optional(3);
        // m optional(1) > key_value repeated(2) > key required, value optional(3).
        Assert.Equal([5], leaves["st/x"].Values.Cast<int>());
        Assert.Equal([2, 0, 1], leaves["st/x"].Definitions);
        Assert.Equal([2, 0, 2], leaves["st/y"].Definitions);
        Assert.Equal([1], leaves["arr/list/element"].Values.Cast<int>());
        Assert.Equal([3, 2, 0, 1], leaves["arr/list/element"].Definitions);
        Assert.Equal([0, 1, 0, 0], leaves["arr/list/element"].Repetitions);
        Assert.Equal(["a", "b"], leaves["m/key_value/key"].Values.Cast<ReadOnlyMemory<char>>().Select(m => m.ToString()));
        Assert.Equal([2, 2, 0, 1], leaves["m/key_value/key"].Definitions);
        Assert.Equal([0, 1, 0, 0], leaves["m/key_value/key"].Repetitions);
        Assert.Equal([1L], leaves["m/key_value/value"].Values.Cast<long>());
        Assert.Equal([3, 2, 0, 1], leaves["m/key_value/value"].Definitions);
    }

    [Fact]
    public async Task Append_EveryType_ParquetTypesAreSparks()
    {
        using var dir = new TempDirectory("types");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = RoundTripTestsData.AllTypes();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema));
        await table.AppendAsync([batch]);

        var (_, meta, _) = await ParquetReadBack.ReadAsync(Path.Combine(dir.Path, table.Snapshot().Files.Single().Path));
        var elements = meta.Schema.ToDictionary(e => e.Name);
        Assert.Equal((Parquet.Meta.Type.INT32, 8), (elements["b"].Type!.Value, (int)elements["b"].LogicalType!.INTEGER!.BitWidth));
        Assert.Equal((Parquet.Meta.Type.INT32, 16), (elements["s"].Type!.Value, (int)elements["s"].LogicalType!.INTEGER!.BitWidth));
        Assert.Equal(Parquet.Meta.Type.INT64, elements["l"].Type);
        Assert.Equal(Parquet.Meta.Type.FLOAT, elements["f"].Type);
        Assert.Equal(Parquet.Meta.Type.BOOLEAN, elements["bool"].Type);
        Assert.NotNull(elements["str"].LogicalType!.STRING);
        Assert.Equal(Parquet.Meta.Type.BYTE_ARRAY, elements["bin"].Type);
        Assert.Null(elements["bin"].LogicalType);
        Assert.Equal((Parquet.Meta.Type.INT32, Parquet.Meta.ConvertedType.DATE), (elements["date"].Type!.Value, elements["date"].ConvertedType!.Value));
        Assert.Equal(Parquet.Meta.Type.INT64, elements["ts"].Type);
        Assert.True(elements["ts"].LogicalType!.TIMESTAMP!.IsAdjustedToUTC);
        Assert.NotNull(elements["ts"].LogicalType!.TIMESTAMP!.Unit.MICROS);
        Assert.Equal(Parquet.Meta.Type.INT64, elements["dec"].Type); // precision 10: INT64, as Spark
        Assert.Equal(Parquet.Meta.FieldRepetitionType.REPEATED, elements["list"].RepetitionType);
        Assert.Equal(Parquet.Meta.FieldRepetitionType.REPEATED, elements["key_value"].RepetitionType);
    }

    [Fact]
    public async Task Append_EveryType_StatsAsSparkWritesThem()
    {
        using var dir = new TempDirectory("stats");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = RoundTripTestsData.AllTypes();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema));
        await table.AppendAsync([batch]);

        // By hand from PROTOCOL.md "Per-file Statistics" and Delta's rules: no min/max for boolean, binary, arrays and maps;
        // strings cut to 32 characters (max + U+FFFD); timestamps in milliseconds with offset; nested objects for structs.
        var expected = JsonNode.Parse($$$"""
            {"numRecords":3,
             "minValues":{"b":-128,"s":2,"i":-2147483648,"l":4,"f":-0.25,"d":2.5,"str":"héllo","date":"1969-12-31",
                          "ts":"1970-01-01T00:00:00.000Z","dec":-0.50,"st":{"x":5,"y":"a"}},
             "maxValues":{"b":1,"s":32767,"i":3,"l":9223372036854775807,"f":1.5,"d":1.0E10,"str":"{{{new string('z', 32)}}}\uFFFD","date":"2024-02-29",
                          "ts":"2024-01-01T10:20:30.123Z","dec":12.34,"st":{"x":5,"y":"c"}},
             "nullCount":{"b":1,"s":1,"i":1,"l":1,"f":1,"d":1,"bool":1,"str":1,"bin":1,"date":1,"ts":1,"dec":1,
                          "st":{"x":2,"y":1},"arr":1,"m":1}}
            """);
        var stats = table.Snapshot().Files.Single().Stats!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(stats)), stats);
        Assert.Contains("\"d\":1.0E10", stats);
        Assert.Contains("\"dec\":-0.50", stats);
        Assert.StartsWith("{\"numRecords\":3,\"minValues\":{", stats);
    }

    [Fact]
    public async Task Append_NumIndexedColsTwo_StatsForFirstTwoLeavesOnly()
    {
        using var dir = new TempDirectory("indexed");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = RoundTripTestsData.AllTypes();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema), properties: new Dictionary<string, string> { ["delta.dataSkippingNumIndexedCols"] = "2" });
        await table.AppendAsync([batch]);

        var stats = JsonNode.Parse(table.Snapshot().Files.Single().Stats!)!;
        Assert.Equal(["b", "s"], stats["nullCount"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public async Task Append_DecimalAbove28Digits_FixedLengthBytesAndStats()
    {
        using var dir = new TempDirectory("big-decimal");
        var table = DeltaTable.ForPath(dir.Path);
        var batch = new RecordBatch.Builder()
            .Append("dec", true, new Decimal128Array.Builder(new Decimal128Type(38, 2)).Append(12345.67m).Append(-0.01m).AppendNull().Build())
            .Build();
        table.Create(ArrowSchemaMapper.ToDelta(batch.Schema));

        await table.AppendAsync([batch]);

        var file = table.Snapshot().Files.Single();
        var (_, meta, _) = await ParquetReadBack.ReadAsync(Path.Combine(dir.Path, file.Path));
        var element = meta.Schema.Single(e => e.Name == "dec");
        // Spark: FIXED_LEN_BYTE_ARRAY of the fewest bytes that hold 38 digits (16).
        Assert.Equal((Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY, 16), (element.Type!.Value, element.TypeLength!.Value));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"numRecords":3,"minValues":{"dec":-0.01},"maxValues":{"dec":12345.67},"nullCount":{"dec":1}}"""),
            JsonNode.Parse(file.Stats!)), file.Stats);
    }
}
