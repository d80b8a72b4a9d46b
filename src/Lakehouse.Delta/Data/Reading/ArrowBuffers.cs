using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>Low-level helpers that build Arrow array data straight from buffers (Arrow columnar format).</summary>
internal static class ArrowBuffers
{
    /// <summary>Microseconds between 0001-01-01 and the Unix epoch.</summary>
    public static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Day number of 1970-01-01.</summary>
    public static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>A validity bitmap (bit set = valid) and its null count; an empty buffer when nothing is null.</summary>
    public static (ArrowBuffer Buffer, int NullCount) Validity(ReadOnlySpan<bool> valid)
    {
        var nulls = 0;
        foreach (var v in valid)
        {
            if (!v)
            {
                nulls++;
            }
        }

        if (nulls == 0)
        {
            return (ArrowBuffer.Empty, 0);
        }

        var bits = new byte[BitUtility.ByteCount(valid.Length)];
        for (var i = 0; i < valid.Length; i++)
        {
            if (valid[i])
            {
                BitUtility.SetBit(bits, i);
            }
        }

        return (new ArrowBuffer(bits), nulls);
    }

    /// <summary>Fixed-width values: <paramref name="get"/> maps a source index to the value; negative indexes are null slots.</summary>
    public static ArrayData Fixed<T>(IArrowType type, ReadOnlySpan<int> index, Func<int, T> get)
        where T : unmanaged
    {
        var n = index.Length;
        var bytes = new byte[n * Marshal.SizeOf<T>()];
        var values = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        var valid = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (index[i] >= 0)
            {
                values[i] = get(index[i]);
                valid[i] = true;
            }
        }

        var (validity, nulls) = Validity(valid);
        return new ArrayData(type, n, nulls, 0, [validity, new ArrowBuffer(bytes)], []);
    }

    /// <summary>Booleans, bit-packed.</summary>
    public static ArrayData Booleans(ReadOnlySpan<int> index, Func<int, bool> get)
    {
        var n = index.Length;
        var bits = new byte[BitUtility.ByteCount(n)];
        var valid = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (index[i] >= 0)
            {
                valid[i] = true;
                if (get(index[i]))
                {
                    BitUtility.SetBit(bits, i);
                }
            }
        }

        var (validity, nulls) = Validity(valid);
        return new ArrayData(BooleanType.Default, n, nulls, 0, [validity, new ArrowBuffer(bits)], []);
    }

    /// <summary>Variable-length values (UTF-8 strings or binary): <paramref name="write"/> appends the bytes of a source value.</summary>
    public static ArrayData Variable(IArrowType type, ReadOnlySpan<int> index, Action<int, ArrayBufferWriter> write)
    {
        var n = index.Length;
        var offsets = new int[n + 1];
        var data = new ArrayBufferWriter();
        var valid = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (index[i] >= 0)
            {
                valid[i] = true;
                write(index[i], data);
            }

            offsets[i + 1] = data.Length;
        }

        var (validity, nulls) = Validity(valid);
        return new ArrayData(type, n, nulls, 0, [validity, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data.ToArray())], []);
    }

    /// <summary>UTF-8 strings from .NET characters, sized in one pass and encoded in a second (the hot path of string columns).</summary>
    public static ArrayData Utf8(IArrowType type, ReadOnlySpan<int> index, ReadOnlyMemory<char>[] chars)
    {
        var n = index.Length;
        var offsets = new int[n + 1];
        var valid = new bool[n];
        var total = 0;
        for (var i = 0; i < n; i++)
        {
            if (index[i] >= 0)
            {
                valid[i] = true;
                total += Encoding.UTF8.GetByteCount(chars[index[i]].Span);
            }

            offsets[i + 1] = total;
        }

        var data = new byte[total];
        for (var i = 0; i < n; i++)
        {
            if (index[i] >= 0)
            {
                Encoding.UTF8.GetBytes(chars[index[i]].Span, data.AsSpan(offsets[i]));
            }
        }

        var (validity, nulls) = Validity(valid);
        return new ArrayData(type, n, nulls, 0, [validity, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data)], []);
    }

    /// <summary>Writes <paramref name="unscaled"/> as a 16-byte little-endian two's complement Decimal128 value.</summary>
    public static void WriteDecimal128(BigInteger unscaled, Span<byte> destination)
    {
        destination.Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
        if (!unscaled.TryWriteBytes(destination, out _, isUnsigned: false, isBigEndian: false))
        {
            throw new OverflowException($"The decimal {unscaled} does not fit 128 bits.");
        }
    }

    /// <summary>Decimal128 values from unscaled integers at the target scale.</summary>
    public static ArrayData Decimals(Decimal128Type type, ReadOnlySpan<int> index, Func<int, BigInteger> unscaled)
    {
        var n = index.Length;
        var bytes = new byte[n * 16];
        var valid = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (index[i] >= 0)
            {
                valid[i] = true;
                WriteDecimal128(unscaled(index[i]), bytes.AsSpan(i * 16, 16));
            }
        }

        var (validity, nulls) = Validity(valid);
        return new ArrayData(type, n, nulls, 0, [validity, new ArrowBuffer(bytes)], []);
    }

    /// <summary>Microseconds since the epoch of a tick count (floor division, so instants before 1970 stay exact).</summary>
    public static long TicksToMicros(long ticks) => Math.DivRem(ticks - EpochTicks, 10, out var rem) - (rem < 0 ? 1 : 0);

    /// <summary>Rescales an unscaled decimal from <paramref name="fromScale"/> to <paramref name="toScale"/> (rounding half up when narrowing).</summary>
    public static BigInteger Rescale(BigInteger unscaled, int fromScale, int toScale)
    {
        if (fromScale == toScale)
        {
            return unscaled;
        }

        if (toScale > fromScale)
        {
            return unscaled * BigInteger.Pow(10, toScale - fromScale);
        }

        var divisor = BigInteger.Pow(10, fromScale - toScale);
        var q = BigInteger.DivRem(unscaled, divisor, out var r);
        return BigInteger.Abs(r) * 2 >= divisor ? q + unscaled.Sign : q;
    }

    /// <summary>The unscaled integer of <paramref name="value"/> at <paramref name="scale"/> (System.Decimal is a 96-bit integer and a power-of-ten scale).</summary>
    public static BigInteger Unscaled(decimal value, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var unscaled = bits[3] < 0 ? -magnitude : magnitude;
        return Rescale(unscaled, (bits[3] >> 16) & 0xFF, scale);
    }
}
