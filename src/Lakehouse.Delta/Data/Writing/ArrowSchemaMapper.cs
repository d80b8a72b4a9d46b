using Apache.Arrow.Types;
using Lakehouse.Delta.Schema;
using ArrowField = Apache.Arrow.Field;
using DeltaStructField = Lakehouse.Delta.Schema.StructField;
using DeltaStructType = Lakehouse.Delta.Schema.StructType;
using DeltaMapType = Lakehouse.Delta.Schema.MapType;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>Maps Arrow schemas of incoming data to Delta types (the direction a write needs).</summary>
public static class ArrowSchemaMapper
{
    /// <summary>The Delta schema of an Arrow schema.</summary>
    /// <exception cref="DeltaException">A column's Arrow type has no Delta equivalent.</exception>
    public static DeltaStructType ToDelta(Apache.Arrow.Schema schema) => new(schema.FieldsList.Select(ToDelta));

    /// <summary>The Delta field of an Arrow field.</summary>
    public static DeltaStructField ToDelta(ArrowField field) => new(field.Name, ToDelta(field.DataType, field.Name), field.IsNullable);

    private static DeltaType ToDelta(IArrowType type, string name) => type switch
    {
        StringType => PrimitiveType.String,
        Int64Type => PrimitiveType.Long,
        Int32Type => PrimitiveType.Integer,
        Int16Type => PrimitiveType.Short,
        Int8Type => PrimitiveType.Byte,
        FloatType => PrimitiveType.Float,
        DoubleType => PrimitiveType.Double,
        BooleanType => PrimitiveType.Boolean,
        BinaryType => PrimitiveType.Binary,
        Date32Type => PrimitiveType.Date,
        TimestampType t => string.IsNullOrEmpty(t.Timezone) ? PrimitiveType.TimestampNtz : PrimitiveType.Timestamp,
        Decimal128Type d => new DecimalType(d.Precision, d.Scale),
        Apache.Arrow.Types.MapType m => new DeltaMapType(ToDelta(m.KeyField.DataType, name + ".key"), ToDelta(m.ValueField.DataType, name + ".value"), m.ValueField.IsNullable),
        ListType l => new ArrayType(ToDelta(l.ValueDataType, name + ".element"), l.ValueField.IsNullable),
        Apache.Arrow.Types.StructType s => new DeltaStructType(s.Fields.Select(ToDelta)),
        _ => throw new DeltaException(DeltaErrorKind.InvalidRequest,
            $"Column '{name}' has Arrow type {type.Name}, which has no Delta type. Cast it to a supported type (string, long, integer, short, byte, float, double, boolean, binary, date, timestamp, decimal, struct, list, map)."),
    };
}
