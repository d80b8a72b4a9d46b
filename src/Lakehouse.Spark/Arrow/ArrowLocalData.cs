using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Lakehouse.Spark.Arrow;

/// <summary>
/// Builds the <c>LocalRelation.data</c> payload: an Arrow IPC <em>stream</em> with its schema (brief §9.5),
/// from C# records (one column per public readable property) or from Arrow batches.
/// </summary>
internal static class ArrowLocalData
{
    internal static byte[] Serialize(Schema schema, IEnumerable<RecordBatch> batches)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true))
        {
            foreach (var batch in batches)
            {
                writer.WriteRecordBatch(batch);
            }

            writer.WriteEnd();
        }

        return stream.ToArray();
    }

    internal static RecordBatch FromRecords<T>(IReadOnlyList<T> rows)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
        if (properties.Length == 0)
        {
            throw new ArgumentException($"{typeof(T).Name} has no public readable properties to turn into columns.", nameof(rows));
        }

        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        foreach (var property in properties)
        {
            var values = rows.Select(r => property.GetValue(r)).ToList();
            var (type, array) = Column(property.PropertyType, values, property.Name);
            var nullable = !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null;
            fields.Add(new Field(property.Name, type, nullable));
            arrays.Add(array);
        }

        return new RecordBatch(new Schema(fields, null), arrays, rows.Count);
    }

    private static (IArrowType Type, IArrowArray Array) Column(Type clrType, List<object?> values, string name)
    {
        var t = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return t switch
        {
            _ when t == typeof(bool) => (BooleanType.Default, Build(new BooleanArray.Builder(), values, (b, v) => b.Append((bool)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(sbyte) => (Int8Type.Default, Build(new Int8Array.Builder(), values, (b, v) => b.Append((sbyte)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(short) => (Int16Type.Default, Build(new Int16Array.Builder(), values, (b, v) => b.Append((short)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(int) => (Int32Type.Default, Build(new Int32Array.Builder(), values, (b, v) => b.Append((int)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(long) => (Int64Type.Default, Build(new Int64Array.Builder(), values, (b, v) => b.Append((long)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(float) => (FloatType.Default, Build(new FloatArray.Builder(), values, (b, v) => b.Append((float)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(double) => (DoubleType.Default, Build(new DoubleArray.Builder(), values, (b, v) => b.Append((double)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(string) || t == typeof(Guid) =>
                (StringType.Default, Build(new StringArray.Builder(), values, (b, v) => b.Append(v.ToString()), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(byte[]) =>
                (BinaryType.Default, Build(new BinaryArray.Builder(), values, (b, v) => b.Append(((byte[])v).AsSpan()), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(DateOnly) =>
                (Date32Type.Default, Build(new Date32Array.Builder(), values, (b, v) => b.Append((DateOnly)v), b => b.AppendNull(), b => b.Build())),
            _ when t == typeof(decimal) => DecimalColumn(values),
            _ when t == typeof(DateTimeOffset) || t == typeof(DateTime) => TimestampColumn(values),
            _ => throw new ArgumentException(
                $"Property '{name}' has type {clrType.Name}, which CreateDataFrame cannot turn into an Arrow column. Use primitives, string, decimal, DateOnly, DateTime(Offset), Guid or byte[], or pass Arrow batches.",
                nameof(clrType)),
        };
    }

    // Spark infers decimal(38,18) for decimals whose precision it cannot see (PySpark does the same).
    private static (IArrowType, IArrowArray) DecimalColumn(List<object?> values)
    {
        var type = new Decimal128Type(38, 18);
        return (type, Build(new Decimal128Array.Builder(type), values, (b, v) => b.Append((decimal)v), b => b.AppendNull(), b => b.Build()));
    }

    // Spark's timestamp is an instant in microseconds, UTC; a DateTime of unspecified kind is taken as UTC.
    private static (IArrowType, IArrowArray) TimestampColumn(List<object?> values)
    {
        var type = new TimestampType(TimeUnit.Microsecond, "UTC");
        return (type, Build(new TimestampArray.Builder(type), values, (b, v) => b.Append(ToInstant(v)), b => b.AppendNull(), b => b.Build()));
    }

    private static DateTimeOffset ToInstant(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime()),
        DateTime other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc)),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a timestamp.", nameof(value)),
    };

    private static IArrowArray Build<TBuilder>(TBuilder builder, List<object?> values, Action<TBuilder, object> append, Action<TBuilder> appendNull, Func<TBuilder, IArrowArray> build)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                appendNull(builder);
            }
            else
            {
                append(builder, value);
            }
        }

        return build(builder);
    }
}
