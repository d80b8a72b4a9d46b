using System.Buffers.Binary;
using System.IO.Compression;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>
/// Builds deletion vectors byte for byte from PROTOCOL.md (Deletion Vector Format, Deletion Vector File Storage
/// Format) and the RoaringFormatSpec, independently of the library's decoder.
/// </summary>
internal static class SpecDeletionVectors
{
    private const string Z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    /// <summary>A 32-bit Roaring container: an array of values, a list of (start, lengthMinusOne) runs, or a bitmap of values.</summary>
    public sealed record Container(ushort Key, ushort[]? Array = null, (ushort Start, ushort LengthMinusOne)[]? Runs = null, ushort[]? Bitmap = null)
    {
        public int Cardinality => Array?.Length ?? Bitmap?.Length ?? Runs!.Sum(r => r.LengthMinusOne + 1);
    }

    /// <summary>Magic number, bucket count, then per bucket its high 32 bits and a 32-bit Roaring bitmap.</summary>
    public static byte[] Bitmap(params (uint High, Container[] Containers)[] buckets)
    {
        var output = new MemoryStream();
        var w = new BinaryWriter(output); // little-endian, as the format requires
        w.Write(1681511377);
        w.Write((long)buckets.Length);
        foreach (var (high, containers) in buckets)
        {
            w.Write(high);
            WriteRoaring32(w, containers);
        }

        return output.ToArray();
    }

    /// <summary>Delta's native layout: magic 1681511376, a bitmap count, then per bitmap (the i-th holds high bits i) its size and bytes.</summary>
    public static byte[] NativeBitmap(params Container[][] bitmaps)
    {
        var output = new MemoryStream();
        var w = new BinaryWriter(output);
        w.Write(1681511376);
        w.Write(bitmaps.Length);
        foreach (var containers in bitmaps)
        {
            var one = new MemoryStream();
            WriteRoaring32(new BinaryWriter(one), containers);
            w.Write((int)one.Length);
            w.Write(one.ToArray());
        }

        return output.ToArray();
    }

    private static void WriteRoaring32(BinaryWriter w, Container[] containers)
    {
        // RoaringFormatSpec: container offsets count from the first byte of this 32-bit bitmap.
        var start = w.BaseStream.Position;
        var hasRuns = containers.Any(c => c.Runs is not null);
        if (hasRuns)
        {
            w.Write((uint)(12347 | ((containers.Length - 1) << 16)));
            var flags = new byte[(containers.Length + 7) / 8];
            for (var i = 0; i < containers.Length; i++)
            {
                if (containers[i].Runs is not null)
                {
                    flags[i / 8] |= (byte)(1 << (i % 8));
                }
            }

            w.Write(flags);
        }
        else
        {
            w.Write(12346u);
            w.Write(containers.Length);
        }

        foreach (var c in containers)
        {
            w.Write(c.Key);
            w.Write((ushort)(c.Cardinality - 1));
        }

        var bodies = containers.Select(Body).ToList();
        if (!hasRuns || containers.Length >= 4)
        {
            var offset = (int)(w.BaseStream.Position - start) + 4 * containers.Length;
            foreach (var body in bodies)
            {
                w.Write(offset);
                offset += body.Length;
            }
        }

        foreach (var body in bodies)
        {
            w.Write(body);
        }
    }

    private static byte[] Body(Container c)
    {
        var output = new MemoryStream();
        var w = new BinaryWriter(output);
        if (c.Runs is { } runs)
        {
            w.Write((ushort)runs.Length);
            foreach (var (start, length) in runs)
            {
                w.Write(start);
                w.Write(length);
            }
        }
        else if (c.Array is { } values)
        {
            foreach (var v in values)
            {
                w.Write(v);
            }
        }
        else
        {
            var words = new ulong[1024];
            foreach (var v in c.Bitmap!)
            {
                words[v / 64] |= 1UL << (v % 64);
            }

            foreach (var word in words)
            {
                w.Write(word);
            }
        }

        return output.ToArray();
    }

    /// <summary>A deletion vector file: version byte 1, then big-endian size, the bitmap and its big-endian CRC-32.</summary>
    public static byte[] DvFile(byte[] bitmap)
    {
        var bytes = new byte[1 + 4 + bitmap.Length + 4];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), bitmap.Length);
        bitmap.CopyTo(bytes, 5);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5 + bitmap.Length), Crc32(bitmap));
        return bytes;
    }

    /// <summary>Z85 of data whose length is a multiple of 4 (ZeroMQ RFC 32).</summary>
    public static string Z85(byte[] data)
    {
        var chars = new char[data.Length / 4 * 5];
        for (var block = 0; block < data.Length / 4; block++)
        {
            ulong value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(block * 4));
            for (var i = 4; i >= 0; i--)
            {
                chars[block * 5 + i] = Z85Alphabet[(int)(value % 85)];
                value /= 85;
            }
        }

        return new string(chars);
    }

    /// <summary>The CRC-32 of <paramref name="data"/>, taken from a gzip trailer (RFC 1952) rather than computed here.</summary>
    private static uint Crc32(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        var bytes = output.ToArray();
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
    }
}
