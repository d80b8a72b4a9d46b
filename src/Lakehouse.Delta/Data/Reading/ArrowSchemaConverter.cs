using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Schema;
using ArrowStructType = Apache.Arrow.Types.StructType;
using DeltaStructType = Lakehouse.Delta.Schema.StructType;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>
/// Maps Delta types to the Arrow types the readers produce: decimals as Decimal128, dates as Date32,
/// <c>timestamp</c> as microseconds in UTC, <c>timestamp_ntz</c> as microseconds without a zone,
/// arrays as lists with an <c>element</c> field and maps as Arrow maps. Field names are the logical names.
/// </summary>
public static class ArrowSchemaConverter
{
    /// <summary>The Arrow schema of <paramref name="schema"/>, fields in the same order.</summary>
    public static Apache.Arrow.Schema ToArrowSchema(DeltaStructType schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new Apache.Arrow.Schema(schema.Fields.Select(ToArrowField), null);
    }

    /// <summary>The Arrow field of a Delta field (logical name, converted type, same nullability).</summary>
    public static Field ToArrowField(StructField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new Field(field.Name, ToArrowType(field.Type), field.Nullable, null);
    }

    /// <summary>The Arrow type of a Delta type.</summary>
    public static IArrowType ToArrowType(DeltaType type) => type switch
    {
        PrimitiveType p => Primitive(p),
        DecimalType d => new Decimal128Type(d.Precision, d.Scale),
        DeltaStructType s => new ArrowStructType(s.Fields.Select(ToArrowField).ToList()),
        Schema.ArrayType a => new ListType(new Field("element", ToArrowType(a.ElementType), a.ContainsNull, null)),
        Schema.MapType m => new Apache.Arrow.Types.MapType(
            new Field("key", ToArrowType(m.KeyType), false, null),
            new Field("value", ToArrowType(m.ValueType), m.ValueContainsNull, null),
            keySorted: false),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown Delta type"),
    };

    private static IArrowType Primitive(PrimitiveType p) => p.Name switch
    {
        "string" => StringType.Default,
        "long" => Int64Type.Default,
        "integer" => Int32Type.Default,
        "short" => Int16Type.Default,
        "byte" => Int8Type.Default,
        "float" => FloatType.Default,
        "double" => DoubleType.Default,
        "boolean" => BooleanType.Default,
        "binary" => BinaryType.Default,
        "date" => Date32Type.Default,
        "timestamp" => new TimestampType(TimeUnit.Microsecond, "UTC"),
        "timestamp_ntz" => new TimestampType(TimeUnit.Microsecond, (string?)null),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "unknown primitive type"),
    };
}
