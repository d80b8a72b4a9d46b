using System.Buffers.Binary;

namespace Lakehouse.Delta.Data.Reading.DeletionVectors;

/// <summary>
/// Decodes (and, in RoaringBitmapArray.Encode.cs, encodes) Delta's <c>RoaringBitmapArray</c> (PROTOCOL.md, Deletion Vector Format): a little-endian magic number
/// 1681511377, then a 64-bit Roaring bitmap in the "portable" serialization — a bucket count, and per bucket the
/// high 32 bits (key) followed by a standard 32-bit Roaring bitmap of the low 32 bits (RoaringFormatSpec).
/// The native layout (magic 1681511376) is read too.
/// </summary>
internal static partial class RoaringBitmapArray
{
    /// <summary>The magic number that starts the format.</summary>
    public const int MagicNumber = 1681511377;

    /// <summary>The magic number of the older native layout, which Delta readers still accept.</summary>
    public const int NativeMagicNumber = 1681511376;

    private const ushort SerialCookieNoRunContainer = 12346;
    private const ushort SerialCookie = 12347;
    private const int NoOffsetThreshold = 4;
    private const int MaxArrayContainerCardinality = 4096;

    /// <summary>The row indexes in <paramref name="data"/>, ascending.</summary>
    /// <exception cref="FormatException">The bytes are not a valid RoaringBitmapArray.</exception>
    public static long[] Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var result = new List<long>();
            var magic = BinaryPrimitives.ReadInt32LittleEndian(data);
            if (magic == MagicNumber)
            {
                DecodePortable(data[4..], result);
            }
            else if (magic == NativeMagicNumber)
            {
                DecodeNative(data[4..], bigEndianHeader: false, result);
            }
            else if (BinaryPrimitives.ReadInt32BigEndian(data) == NativeMagicNumber)
            {
                // The inline example of PROTOCOL.md (Deletion Vector Descriptor Schema, JSON Example 3) carries
                // the native layout with its header integers big-endian; the bitmaps themselves are standard.
                DecodeNative(data[4..], bigEndianHeader: true, result);
            }
            else
            {
                throw new FormatException($"The deletion vector starts with {magic}, not the magic number {MagicNumber}.");
            }

            return result.ToArray();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException("The deletion vector is truncated.", e);
        }
    }

    /// <summary>The portable 64-bit layout: a bucket count, then per bucket its key (the high 32 bits) and a 32-bit bitmap.</summary>
    private static void DecodePortable(ReadOnlySpan<byte> data, List<long> result)
    {
        var buckets = BinaryPrimitives.ReadInt64LittleEndian(data);
        var position = 8;
        for (long b = 0; b < buckets; b++)
        {
            var high = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[position..]) << 32;
            position += 4;
            position += Decode32(data[position..], low => result.Add(high | low));
        }
    }

    /// <summary>Delta's native layout: a bitmap count, then per bitmap (the i-th holds high bits i) its size and a 32-bit bitmap.</summary>
    private static void DecodeNative(ReadOnlySpan<byte> data, bool bigEndianHeader, List<long> result)
    {
        int Int(ReadOnlySpan<byte> s) => bigEndianHeader ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s);
        var count = Int(data);
        var position = 4;
        for (long i = 0; i < count; i++)
        {
            var size = Int(data[position..]);
            position += 4;
            var high = i << 32;
            Decode32(data.Slice(position, size), low => result.Add(high | low));
            position += size;
        }
    }

    /// <summary>Decodes one 32-bit Roaring bitmap, reporting each value; returns the number of bytes it occupies.</summary>
    private static int Decode32(ReadOnlySpan<byte> data, Action<uint> add)
    {
        var cookie = BinaryPrimitives.ReadUInt32LittleEndian(data);
        int containers;
        var position = 4;
        ReadOnlySpan<byte> runFlags = default;
        bool hasRuns;
        if ((cookie & 0xFFFF) == SerialCookie)
        {
            hasRuns = true;
            containers = (int)(cookie >> 16) + 1;
            runFlags = data.Slice(position, (containers + 7) / 8);
            position += runFlags.Length;
        }
        else if (cookie == SerialCookieNoRunContainer)
        {
            hasRuns = false;
            containers = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += 4;
        }
        else
        {
            throw new FormatException($"Unknown Roaring bitmap cookie {cookie}.");
        }

        var keys = new ushort[containers];
        var cardinalities = new int[containers];
        for (var c = 0; c < containers; c++)
        {
            keys[c] = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
            cardinalities[c] = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]) + 1;
            position += 4;
        }

        if (!hasRuns || containers >= NoOffsetThreshold)
        {
            // The offset header only helps random access; containers follow one another, so it is skipped.
            position += 4 * containers;
        }

        for (var c = 0; c < containers; c++)
        {
            var high = (uint)keys[c] << 16;
            if (hasRuns && (runFlags[c / 8] & (1 << (c % 8))) != 0)
            {
                int runs = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
                position += 2;
                for (var r = 0; r < runs; r++)
                {
                    uint start = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
                    uint length = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]);
                    position += 4;
                    for (var v = start; v <= start + length; v++)
                    {
                        add(high | v);
                    }
                }
            }
            else if (cardinalities[c] <= MaxArrayContainerCardinality)
            {
                for (var i = 0; i < cardinalities[c]; i++)
                {
                    add(high | BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2 * i)..]));
                }

                position += 2 * cardinalities[c];
            }
            else
            {
                for (var word = 0; word < 1024; word++)
                {
                    var bits = BinaryPrimitives.ReadUInt64LittleEndian(data[(position + 8 * word)..]);
                    while (bits != 0)
                    {
                        var bit = System.Numerics.BitOperations.TrailingZeroCount(bits);
                        add(high | (uint)(word * 64 + bit));
                        bits &= bits - 1;
                    }
                }

                position += 8192;
            }
        }

        return position;
    }
}
