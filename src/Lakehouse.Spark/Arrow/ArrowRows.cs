using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Spark.Arrow;

/// <summary>Reads Arrow record batches into <see cref="Row"/>s (types as documented on <see cref="Row"/>).</summary>
internal static class ArrowRows
{
    internal static IEnumerable<Row> Read(RecordBatch batch)
    {
        var names = batch.Schema.FieldsList.Select(f => f.Name).ToArray();
        for (var r = 0; r < batch.Length; r++)
        {
            var values = new object?[batch.ColumnCount];
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                values[c] = Value(batch.Column(c), r);
            }

            yield return new Row(names, values);
        }
    }

    internal static object? Value(IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            BooleanArray a => a.GetValue(index),
            Int8Array a => a.GetValue(index),
            Int16Array a => a.GetValue(index),
            Int32Array a => a.GetValue(index),
            Int64Array a => a.GetValue(index),
            FloatArray a => a.GetValue(index),
            DoubleArray a => a.GetValue(index),
            Decimal128Array a => a.GetValue(index),
            StringArray a => a.GetString(index),
            LargeStringArray a => a.GetString(index),
            BinaryArray a => a.GetBytes(index).ToArray(),
            Date32Array a => a.GetDateOnly(index),
            Date64Array a => a.GetDateOnly(index),
            // Spark sends timestamp as timestamp[us, tz=session zone] and timestamp_ntz without a zone.
            TimestampArray a when string.IsNullOrEmpty(((TimestampType)a.Data.DataType).Timezone) =>
                DateTime.SpecifyKind(a.GetTimestamp(index)!.Value.UtcDateTime, DateTimeKind.Unspecified),
            TimestampArray a => a.GetTimestamp(index)!.Value.ToUniversalTime(),
            ListArray a => List(a.GetSlicedValues(index)),
            StructArray a => Struct(a, index),
            NullArray => null,
            _ => throw new NotSupportedException(
                $"Arrow type {array.Data.DataType.Name} is not converted to .NET rows; read it with ToArrowAsync instead."),
        };
    }

    private static object?[] List(IArrowArray values)
    {
        var result = new object?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = Value(values, i);
        }

        return result;
    }

    private static Row Struct(StructArray array, int index)
    {
        var type = (StructType)array.Data.DataType;
        var values = new object?[array.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(array.Fields[i], index);
        }

        return new Row(type.Fields.Select(f => f.Name).ToArray(), values);
    }
}
