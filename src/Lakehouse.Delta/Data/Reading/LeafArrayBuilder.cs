using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Parquet.Data;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>Turns the values of a Parquet leaf column into an Arrow array of the table's (logical) type.</summary>
internal static class LeafArrayBuilder
{
    /// <summary>
    /// Builds the array for the slots whose first level entries are <paramref name="entries"/>: a slot is null unless its
    /// entry carries a value. Physical values are widened to the target type where Delta allows it (integers, float → double).
    /// </summary>
    public static ArrayData Build(LeafColumn leaf, ReadOnlySpan<int> entries, IArrowType type)
    {
        var index = new int[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            index[i] = leaf.HasValue(entries[i]) ? leaf.ValueIndex(entries[i]) : -1;
        }

        var values = leaf.Values;
        return type switch
        {
            Int8Type => ArrowBuffers.Fixed(type, index, i => (sbyte)Integer(values, i)),
            Int16Type => ArrowBuffers.Fixed(type, index, i => (short)Integer(values, i)),
            Int32Type => values is int[] ints ? ArrowBuffers.Fixed(type, index, i => ints[i]) : ArrowBuffers.Fixed(type, index, i => (int)Integer(values, i)),
            Int64Type => values is long[] longs ? ArrowBuffers.Fixed(type, index, i => longs[i]) : ArrowBuffers.Fixed(type, index, i => Integer(values, i)),
            FloatType when values is float[] floats => ArrowBuffers.Fixed(type, index, i => floats[i]),
            DoubleType => values switch
            {
                double[] doubles => ArrowBuffers.Fixed(type, index, i => doubles[i]),
                float[] floats => ArrowBuffers.Fixed(type, index, i => (double)floats[i]),
                _ => ArrowBuffers.Fixed(type, index, i => (double)Integer(values, i)),
            },
            BooleanType when values is bool[] bools => ArrowBuffers.Booleans(index, i => bools[i]),
            StringType or BinaryType => values switch
            {
                ReadOnlyMemory<char>[] chars => ArrowBuffers.Utf8(type, index, chars),
                ReadOnlyMemory<byte>[] bytes => ArrowBuffers.Variable(type, index, (i, w) => w.Write(bytes[i].Span)),
                _ => throw Mismatch(leaf, type),
            },
            Date32Type => values switch
            {
                DateOnly[] dates => ArrowBuffers.Fixed(type, index, i => dates[i].DayNumber - ArrowBuffers.EpochDayNumber),
                DateTime[] times => ArrowBuffers.Fixed(type, index, i => DateOnly.FromDateTime(times[i]).DayNumber - ArrowBuffers.EpochDayNumber),
                int[] days => ArrowBuffers.Fixed(type, index, i => days[i]),
                _ => throw Mismatch(leaf, type),
            },
            // Parquet.Net hands timestamps out as DateTime whose ticks are the stored instant (UTC) or local
            // date-time (ntz); the DateTimeKind it sets is not used, so the machine's zone never shifts values.
            TimestampType => values switch
            {
                DateTime[] times => ArrowBuffers.Fixed(type, index, i => ArrowBuffers.TicksToMicros(times[i].Ticks)),
                DateTimeOffset[] offsets => ArrowBuffers.Fixed(type, index, i => ArrowBuffers.TicksToMicros(offsets[i].UtcTicks)),
                DateOnly[] dates => ArrowBuffers.Fixed(type, index, i => ((long)(dates[i].DayNumber - ArrowBuffers.EpochDayNumber)) * 86_400_000_000L),
                long[] micros => ArrowBuffers.Fixed(type, index, i => micros[i]),
                _ => throw Mismatch(leaf, type),
            },
            Decimal128Type d => values switch
            {
                BigDecimal[] big => ArrowBuffers.Decimals(d, index, i => ArrowBuffers.Rescale(big[i].UnscaledValue, big[i].Scale, d.Scale)),
                decimal[] dec => ArrowBuffers.Decimals(d, index, i => ArrowBuffers.Unscaled(dec[i], d.Scale)),
                _ => ArrowBuffers.Decimals(d, index, i => ArrowBuffers.Rescale(Integer(values, i), 0, d.Scale)),
            },
            _ => throw Mismatch(leaf, type),
        };
    }

    private static long Integer(System.Array values, int i) => values switch
    {
        int[] a => a[i],
        long[] a => a[i],
        short[] a => a[i],
        sbyte[] a => a[i],
        byte[] a => a[i],
        ushort[] a => a[i],
        uint[] a => a[i],
        ulong[] a => checked((long)a[i]),
        _ => throw new InvalidOperationException($"A {values.GetType().GetElementType()?.Name} column cannot be read as an integer."),
    };

    private static DeltaException Mismatch(LeafColumn leaf, IArrowType type) =>
        new(DeltaErrorKind.InvalidRequest,
            $"The Parquet column '{leaf.Field.Path}' holds {leaf.Values.GetType().GetElementType()?.Name} values, which cannot be read as {type.Name}. " +
            "The data file does not match the table schema; rewrite it or read the table with the engine that wrote it.");

}
