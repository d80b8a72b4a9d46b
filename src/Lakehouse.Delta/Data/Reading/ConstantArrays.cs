using System.Numerics;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>Arrow arrays that repeat one value: partition columns, whose value lives in the log, not in the file.</summary>
internal static class ConstantArrays
{
    /// <summary>
    /// <paramref name="length"/> copies of <paramref name="value"/> (a typed partition value: integers, bool, float, double,
    /// string, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, <see cref="DateTime"/>, decimal, byte[]; null for null).
    /// </summary>
    public static ArrayData Create(IArrowType type, object? value, int length)
    {
        if (value is null)
        {
            return NullArrays.Create(type, length);
        }

        var index = new int[length];
        return type switch
        {
            Int8Type => ArrowBuffers.Fixed(type, index, _ => Convert.ToSByte(value, System.Globalization.CultureInfo.InvariantCulture)),
            Int16Type => ArrowBuffers.Fixed(type, index, _ => Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture)),
            Int32Type => ArrowBuffers.Fixed(type, index, _ => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)),
            Int64Type => ArrowBuffers.Fixed(type, index, _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            FloatType => ArrowBuffers.Fixed(type, index, _ => Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture)),
            DoubleType => ArrowBuffers.Fixed(type, index, _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
            BooleanType => ArrowBuffers.Booleans(index, _ => (bool)value),
            StringType => Bytes(type, index, Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!)),
            BinaryType => Bytes(type, index, value as byte[] ?? Encoding.UTF8.GetBytes(value.ToString()!)),
            Date32Type => ArrowBuffers.Fixed(type, index, _ => Days(value)),
            TimestampType => ArrowBuffers.Fixed(type, index, _ => Micros(value)),
            Decimal128Type d => ArrowBuffers.Decimals(d, index, _ => Unscaled(value, d.Scale)),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "partition columns must have a primitive type"),
        };
    }

    private static ArrayData Bytes(IArrowType type, int[] index, byte[] bytes) => ArrowBuffers.Variable(type, index, (_, w) => w.Write(bytes));

    private static int Days(object value) => value switch
    {
        DateOnly d => d.DayNumber - ArrowBuffers.EpochDayNumber,
        DateTime t => DateOnly.FromDateTime(t).DayNumber - ArrowBuffers.EpochDayNumber,
        _ => throw new ArgumentException($"{value.GetType().Name} is not a date value.", nameof(value)),
    };

    private static long Micros(object value) => value switch
    {
        DateTimeOffset o => ArrowBuffers.TicksToMicros(o.UtcTicks),
        DateTime t => ArrowBuffers.TicksToMicros(t.Ticks),
        DateOnly d => (long)(d.DayNumber - ArrowBuffers.EpochDayNumber) * 86_400_000_000L,
        _ => throw new ArgumentException($"{value.GetType().Name} is not a timestamp value.", nameof(value)),
    };

    private static BigInteger Unscaled(object value, int scale) =>
        ArrowBuffers.Unscaled(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture), scale);
}
