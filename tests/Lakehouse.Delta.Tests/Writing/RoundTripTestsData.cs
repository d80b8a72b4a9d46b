using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>The all-types batch the round-trip and delete tests share.</summary>
internal static class RoundTripTestsData
{
    public static readonly string LongString = new('z', 40);

    /// <summary>Three rows over every primitive type and struct/array/map: values, all nulls, edge values.</summary>
    public static RecordBatch AllTypes()
    {
        var structType = new StructType([new Field("x", Int32Type.Default, true), new Field("y", StringType.Default, true)]);
        var x = new Int32Array.Builder().Append(5).AppendNull().AppendNull().Build();
        var y = new StringArray.Builder().Append("a").AppendNull().Append("c").Build();
        var structValidity = new ArrowBuffer.BitmapBuilder().Append(true).Append(false).Append(true).Build();
        var st = new StructArray(structType, 3, [x, y], structValidity, 1);

        var list = new ListArray.Builder(Int32Type.Default);
        var items = (Int32Array.Builder)list.ValueBuilder;
        list.Append(); items.Append(1); items.AppendNull();
        list.AppendNull();
        list.Append();

        var map = new MapArray.Builder(new MapType(StringType.Default, Int64Type.Default));
        var keys = (StringArray.Builder)map.KeyBuilder;
        var values = (Int64Array.Builder)map.ValueBuilder;
        map.Append(); keys.Append("a"); values.Append(1); keys.Append("b"); values.AppendNull();
        map.AppendNull();
        map.Append();

        return new RecordBatch.Builder()
            .Append("b", true, new Int8Array.Builder().Append(1).AppendNull().Append(sbyte.MinValue).Build())
            .Append("s", true, new Int16Array.Builder().Append(2).AppendNull().Append(short.MaxValue).Build())
            .Append("i", true, new Int32Array.Builder().Append(3).AppendNull().Append(int.MinValue).Build())
            .Append("l", true, new Int64Array.Builder().Append(4).AppendNull().Append(long.MaxValue).Build())
            .Append("f", true, new FloatArray.Builder().Append(1.5f).AppendNull().Append(-0.25f).Build())
            .Append("d", true, new DoubleArray.Builder().Append(2.5).AppendNull().Append(1e10).Build())
            .Append("bool", true, new BooleanArray.Builder().Append(true).AppendNull().Append(false).Build())
            .Append("str", true, new StringArray.Builder().Append("héllo").AppendNull().Append(LongString).Build())
            .Append("bin", true, new BinaryArray.Builder().Append([1, 2]).AppendNull().Append(ReadOnlySpan<byte>.Empty).Build())
            .Append("date", true, new Date32Array.Builder().Append(new DateOnly(2024, 2, 29)).AppendNull().Append(new DateOnly(1969, 12, 31)).Build())
            .Append("ts", true, new TimestampArray.Builder(TestData.UtcMicros)
                .Append(new DateTimeOffset(2024, 1, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(1_234_560)).AppendNull().Append(DateTimeOffset.UnixEpoch).Build())
            .Append("dec", true, new Decimal128Array.Builder(new Decimal128Type(10, 2)).Append(12.34m).AppendNull().Append(-0.50m).Build())
            .Append("st", true, st)
            .Append("arr", true, list.Build())
            .Append("m", true, map.Build())
            .Build();
    }
}
