using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>Reads single Arrow values in the CLR forms of <see cref="PartitionValues.Parse"/>, for partition values and predicates.</summary>
internal static class ArrowValues
{
    public static object? Get(IArrowArray array, int index, DeltaType type)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            StringArray s => s.GetString(index),
            Int64Array a => a.GetValue(index),
            Int32Array a => a.GetValue(index),
            Int16Array a => a.GetValue(index),
            Int8Array a => a.GetValue(index),
            FloatArray a => a.GetValue(index),
            DoubleArray a => a.GetValue(index),
            BooleanArray a => a.GetValue(index),
            BinaryArray a => a.GetBytes(index).ToArray(),
            Date32Array a => DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(a.GetValue(index)!.Value)),
            TimestampArray a => Timestamp(a, index, type),
            Decimal128Array a => a.GetValue(index),
            _ => throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"Values of Arrow type {array.Data.DataType.Name} cannot be used as partition values or in predicates."),
        };
    }

    private static object Timestamp(TimestampArray array, int index, DeltaType type)
    {
        var raw = array.GetValue(index)!.Value;
        var ticks = ((TimestampType)array.Data.DataType).Unit switch
        {
            TimeUnit.Second => raw * TimeSpan.TicksPerSecond,
            TimeUnit.Millisecond => raw * TimeSpan.TicksPerMillisecond,
            TimeUnit.Microsecond => raw * 10,
            _ => raw / 100,
        };
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc);
        return type == PrimitiveType.TimestampNtz ? DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) : new DateTimeOffset(utc);
    }
}
