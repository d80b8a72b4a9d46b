using Apache.Arrow.Types;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Schema;
using MapType = Lakehouse.Delta.Schema.MapType;
using StructType = Lakehouse.Delta.Schema.StructType;

namespace Lakehouse.Delta.Tests.Reading;

public sealed class ArrowSchemaConverterTests
{
    [Theory]
    [InlineData("string", ArrowTypeId.String)]
    [InlineData("long", ArrowTypeId.Int64)]
    [InlineData("integer", ArrowTypeId.Int32)]
    [InlineData("short", ArrowTypeId.Int16)]
    [InlineData("byte", ArrowTypeId.Int8)]
    [InlineData("float", ArrowTypeId.Float)]
    [InlineData("double", ArrowTypeId.Double)]
    [InlineData("boolean", ArrowTypeId.Boolean)]
    [InlineData("binary", ArrowTypeId.Binary)]
    [InlineData("date", ArrowTypeId.Date32)]
    public void ToArrowType_Primitive_MapsToTheArrowType(string delta, ArrowTypeId expected) =>
        Assert.Equal(expected, ArrowSchemaConverter.ToArrowType(PrimitiveType.FromName(delta)!).TypeId);

    [Fact]
    public void ToArrowType_Timestamps_AreMicrosecondsUtcOrWithoutZone()
    {
        var utc = Assert.IsType<TimestampType>(ArrowSchemaConverter.ToArrowType(PrimitiveType.Timestamp));
        var ntz = Assert.IsType<TimestampType>(ArrowSchemaConverter.ToArrowType(PrimitiveType.TimestampNtz));

        Assert.Equal((TimeUnit.Microsecond, "UTC"), (utc.Unit, utc.Timezone));
        Assert.Equal((TimeUnit.Microsecond, null), (ntz.Unit, ntz.Timezone));
    }

    [Fact]
    public void ToArrowType_Decimal_KeepsPrecisionAndScale()
    {
        var d = Assert.IsType<Decimal128Type>(ArrowSchemaConverter.ToArrowType(new DecimalType(38, 18)));

        Assert.Equal((38, 18), (d.Precision, d.Scale));
    }

    [Fact]
    public void ToArrowSchema_NestedTypes_KeepNamesNullabilityAndShape()
    {
        var schema = new StructType([
            new StructField("s", new StructType([new StructField("a", PrimitiveType.Integer, Nullable: false)])),
            new StructField("l", new ArrayType(PrimitiveType.String, ContainsNull: false)),
            new StructField("m", new MapType(PrimitiveType.String, PrimitiveType.Long, ValueContainsNull: true), Nullable: false),
        ]);

        var arrow = ArrowSchemaConverter.ToArrowSchema(schema);

        var s = Assert.IsType<Apache.Arrow.Types.StructType>(arrow.FieldsList[0].DataType);
        Assert.Equal(("a", false), (s.Fields[0].Name, s.Fields[0].IsNullable));
        var l = Assert.IsType<ListType>(arrow.FieldsList[1].DataType);
        Assert.Equal((ArrowTypeId.String, false), (l.ValueDataType.TypeId, l.ValueField.IsNullable));
        var m = Assert.IsType<Apache.Arrow.Types.MapType>(arrow.FieldsList[2].DataType);
        Assert.Equal((ArrowTypeId.String, ArrowTypeId.Int64, true), (m.KeyField.DataType.TypeId, m.ValueField.DataType.TypeId, m.ValueField.IsNullable));
        Assert.False(arrow.FieldsList[2].IsNullable);
    }
}
