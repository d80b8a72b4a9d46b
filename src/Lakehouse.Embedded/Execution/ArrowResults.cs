using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Lakehouse.Embedded.Execution;

/// <summary>Arrow helpers: IPC stream encoding for ArrowBatch messages and cell values for show().</summary>
internal static class ArrowResults
{
    /// <summary>A complete Arrow IPC stream (schema, the batch, end of stream) as Spark sends in <c>ArrowBatch.data</c>.</summary>
    public static byte[] Serialize(RecordBatch batch) => Serialize(batch.Schema, batch);

    /// <summary>An Arrow IPC stream with a schema and at most one batch.</summary>
    public static byte[] Serialize(Schema schema, RecordBatch? batch)
    {
        using var ms = new MemoryStream();
        using (var writer = new ArrowStreamWriter(ms, schema, leaveOpen: true))
        {
            writer.WriteStart();
            if (batch is not null)
            {
                writer.WriteRecordBatch(batch);
            }

            writer.WriteEnd();
        }

        return ms.ToArray();
    }

    /// <summary>A one-row, one-column string batch (the result of ShowString).</summary>
    public static RecordBatch SingleString(string column, string value)
    {
        var array = new StringArray.Builder().Append(value).Build();
        var schema = new Schema.Builder().Field(f => f.Name(column).DataType(StringType.Default).Nullable(false)).Build();
        return new RecordBatch(schema, [array], 1);
    }

    /// <summary>The CLR value of a cell: null, bool, integers, float/double, decimal, string, byte[], DateOnly, DateTimeOffset (instants), DateTime (wall clock), lists as object?[], structs as Dictionary.</summary>
    public static object? Value(IArrowArray array, int i)
    {
        if (array.IsNull(i))
        {
            return null;
        }

        return array switch
        {
            BooleanArray a => a.GetValue(i),
            Int8Array a => a.GetValue(i),
            Int16Array a => a.GetValue(i),
            Int32Array a => a.GetValue(i),
            Int64Array a => a.GetValue(i),
            UInt8Array a => a.GetValue(i),
            UInt16Array a => a.GetValue(i),
            UInt32Array a => a.GetValue(i),
            UInt64Array a => a.GetValue(i),
            FloatArray a => a.GetValue(i),
            DoubleArray a => a.GetValue(i),
            Decimal128Array a => a.GetValue(i),
            StringArray a => a.GetString(i),
            LargeStringArray a => a.GetString(i),
            StringViewArray a => a.GetString(i),
            BinaryArray a => a.GetBytes(i).ToArray(),
            Date32Array a => a.GetDateOnly(i),
            Date64Array a => a.GetDateOnly(i),
            TimestampArray a when a.Data.DataType is TimestampType { Timezone: { Length: > 0 } } => a.GetTimestamp(i),
            TimestampArray a => a.GetTimestamp(i)!.Value.DateTime,
            ListArray a => Enumerable.Range(a.ValueOffsets[i], a.ValueOffsets[i + 1] - a.ValueOffsets[i]).Select(j => Value(a.Values, j)).ToArray(),
            StructArray a => ((StructType)a.Data.DataType).Fields.Select((f, k) => (f.Name, Value: Value(a.Fields[k], i))).ToDictionary(x => x.Name, x => x.Value),
            _ => throw Errors.Unsupported("result type", $"A result column of Arrow type {array.Data.DataType.Name}"),
        };
    }
}
