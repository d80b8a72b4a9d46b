using System.Buffers.Binary;

namespace Lakehouse.Delta.Data.Reading.DeletionVectors;

internal static partial class RoaringBitmapArray
{
    private const int BitmapContainerBytes = 8192;

    /// <summary>
    /// Serializes row indexes as Delta's RoaringBitmapArray: the magic number, then the portable 64-bit layout
    /// (PROTOCOL.md, Deletion Vector Format). Each 16-bit container takes the smallest of its three encodings (array,
    /// bitmap, runs), the choice RoaringBitmap's <c>runOptimize</c> makes; array wins ties with runs, as it does there.
    /// </summary>
    /// <param name="rows">Row indexes, each in [0, 2^63); duplicates and order do not matter.</param>
    /// <exception cref="ArgumentOutOfRangeException">A row index is negative.</exception>
    public static byte[] Encode(IEnumerable<long> rows) => EncodeSorted(SortedDistinct(rows));

    /// <summary>The rows in ascending order without duplicates.</summary>
    public static long[] SortedDistinct(IEnumerable<long> rows)
    {
        var sorted = rows.ToArray();
        Array.Sort(sorted);
        var count = sorted.Length == 0 ? 0 : 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[count - 1])
            {
                sorted[count++] = sorted[i];
            }
        }

        return count == sorted.Length ? sorted : sorted[..count];
    }

    /// <summary>As <see cref="Encode"/>, for rows already in ascending order without duplicates.</summary>
    public static byte[] EncodeSorted(long[] sorted)
    {
        if (sorted.Length > 0 && sorted[0] < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sorted), sorted[0], "Row indexes of a deletion vector cannot be negative.");
        }

        var output = new MemoryStream();
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(word, MagicNumber);
        output.Write(word[..4]);
        var buckets = new List<(uint High, ArraySegment<long> Rows)>();
        for (var start = 0; start < sorted.Length;)
        {
            var high = (uint)(sorted[start] >> 32);
            var end = start;
            while (end < sorted.Length && (uint)(sorted[end] >> 32) == high)
            {
                end++;
            }

            buckets.Add((high, new ArraySegment<long>(sorted, start, end - start)));
            start = end;
        }

        BinaryPrimitives.WriteInt64LittleEndian(word, buckets.Count);
        output.Write(word);
        foreach (var (high, bucket) in buckets)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, high);
            output.Write(word[..4]);
            Encode32(output, bucket);
        }

        return output.ToArray();
    }

    /// <summary>One 32-bit Roaring bitmap in the standard serialization (RoaringFormatSpec) of the low 32 bits of <paramref name="rows"/>.</summary>
    private static void Encode32(Stream output, ArraySegment<long> rows)
    {
        var containers = new List<(ushort Key, int Cardinality, byte[] Body, bool IsRun)>();
        for (var start = 0; start < rows.Count;)
        {
            var key = (ushort)((uint)rows[start] >> 16);
            var end = start;
            while (end < rows.Count && (ushort)((uint)rows[end] >> 16) == key)
            {
                end++;
            }

            var lows = new ushort[end - start];
            for (var i = 0; i < lows.Length; i++)
            {
                lows[i] = (ushort)rows[start + i];
            }

            var (body, isRun) = Container(lows);
            containers.Add((key, lows.Length, body, isRun));
            start = end;
        }

        var hasRuns = containers.Any(c => c.IsRun);
        var header = new MemoryStream();
        var w = new BinaryWriter(header); // little-endian, as the format requires
        if (hasRuns)
        {
            w.Write((uint)(SerialCookie | ((containers.Count - 1) << 16)));
            var flags = new byte[(containers.Count + 7) / 8];
            for (var c = 0; c < containers.Count; c++)
            {
                if (containers[c].IsRun)
                {
                    flags[c / 8] |= (byte)(1 << (c % 8));
                }
            }

            w.Write(flags);
        }
        else
        {
            w.Write((uint)SerialCookieNoRunContainer);
            w.Write(containers.Count);
        }

        foreach (var c in containers)
        {
            w.Write(c.Key);
            w.Write((ushort)(c.Cardinality - 1));
        }

        if (!hasRuns || containers.Count >= NoOffsetThreshold)
        {
            // Offsets count from the start of this 32-bit bitmap.
            var offset = (int)header.Length + 4 * containers.Count;
            foreach (var c in containers)
            {
                w.Write(offset);
                offset += c.Body.Length;
            }
        }

        foreach (var c in containers)
        {
            w.Write(c.Body);
        }

        w.Flush();
        header.Position = 0;
        header.CopyTo(output);
    }

    /// <summary>The smallest encoding of one container's sorted, distinct low 16 bits.</summary>
    private static (byte[] Body, bool IsRun) Container(ushort[] values)
    {
        var runs = new List<(ushort Start, ushort LengthMinusOne)>();
        for (var i = 0; i < values.Length;)
        {
            var j = i;
            while (j + 1 < values.Length && values[j + 1] == values[j] + 1)
            {
                j++;
            }

            runs.Add((values[i], (ushort)(values[j] - values[i])));
            i = j + 1;
        }

        var runBytes = 2 + 4 * runs.Count;
        var plainBytes = values.Length <= MaxArrayContainerCardinality ? 2 * values.Length : BitmapContainerBytes;
        var body = new byte[Math.Min(runBytes, plainBytes)];
        if (runBytes < plainBytes)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)runs.Count);
            for (var r = 0; r < runs.Count; r++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2 + 4 * r), runs[r].Start);
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4 + 4 * r), runs[r].LengthMinusOne);
            }

            return (body, true);
        }

        if (values.Length <= MaxArrayContainerCardinality)
        {
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2 * i), values[i]);
            }

            return (body, false);
        }

        var words = new ulong[BitmapContainerBytes / 8];
        foreach (var v in values)
        {
            words[v / 64] |= 1UL << (v % 64);
        }

        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(8 * i), words[i]);
        }

        return (body, false);
    }
}
