using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Schema;
using DeltaDecimalType = Lakehouse.Delta.Schema.DecimalType;

namespace Lakehouse.Cli.Tests;

public sealed class ArrowJsonTests
{
    [Fact]
    public void Value_Decimal128_PrintsExactlyScaleDigits()
    {
        var type = new Decimal128Type(20, 10);
        var array = new Decimal128Array.Builder(type).Append(-1.5m).Append(0.0000000001m).AppendNull().Build();
        var delta = new DeltaDecimalType(20, 10);

        Assert.Equal("-1.5000000000", ArrowJson.Value(array, 0, delta)!.GetValue<string>());
        Assert.Equal("0.0000000001", ArrowJson.Value(array, 1, delta)!.GetValue<string>());
        Assert.Null(ArrowJson.Value(array, 2, delta));
    }

    [Fact]
    public void Value_TimestampMicros_IsoWithMicrosecondsAndZoneOnlyForTimestamp()
    {
        // 2020-01-01T08:09:10.001000 = 1577866150001000 µs after the epoch.
        var array = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")).Append(DateTimeOffset.FromUnixTimeMilliseconds(1577866150001)).Build();

        Assert.Equal("2020-01-01T08:09:10.001000Z", ArrowJson.Value(array, 0, PrimitiveType.Timestamp)!.GetValue<string>());
        Assert.Equal("2020-01-01T08:09:10.001000", ArrowJson.Value(array, 0, PrimitiveType.TimestampNtz)!.GetValue<string>());
    }

    [Fact]
    public void Value_DateAndBinary_IsoDateAndBase64()
    {
        var dates = new Date32Array.Builder().Append(new DateTime(2021, 9, 8)).Build();
        var bytes = new BinaryArray.Builder().Append([0, 0]).Build();

        Assert.Equal("2021-09-08", ArrowJson.Value(dates, 0, PrimitiveType.Date)!.GetValue<string>());
        Assert.Equal("AAA=", ArrowJson.Value(bytes, 0, PrimitiveType.Binary)!.GetValue<string>());
    }

    [Fact]
    public void Value_Float_RoundTripsAsThirtyTwoBitFloat()
    {
        var array = new FloatArray.Builder().Append(0.1f).Append(float.NaN).Build();

        var node = ArrowJson.Value(array, 0, PrimitiveType.Float)!;

        Assert.Equal(0.1f, float.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("NaN", ArrowJson.Value(array, 1, PrimitiveType.Float)!.GetValue<string>());
    }

    [Fact]
    public void Value_ListOfStructs_ArrayOfObjectsInFieldOrder()
    {
        var valType = new Lakehouse.Delta.Schema.StructType([new StructField("val", PrimitiveType.Integer)]);
        var ints = new Int32Array.Builder().Append(2).Append(3).Build();
        var structs = new StructArray(new Apache.Arrow.Types.StructType([new Field("val", Int32Type.Default, true)]), 2, [ints], ArrowBuffer.Empty);
        var offsets = new ArrowBuffer.Builder<int>().Append(0).Append(2).Build();
        var list = new ListArray(new ListType(new Field("element", structs.Data.DataType, true)), 1, offsets, structs, ArrowBuffer.Empty);

        var node = ArrowJson.Value(list, 0, new Lakehouse.Delta.Schema.ArrayType(valType, true))!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"val":2},{"val":3}]"""), node), node.ToJsonString());
    }
}
