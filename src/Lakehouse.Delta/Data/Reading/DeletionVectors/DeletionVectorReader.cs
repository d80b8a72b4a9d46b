using System.Buffers.Binary;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Data.Reading.DeletionVectors;

/// <summary>Loads the row indexes a deletion vector marks as deleted (PROTOCOL.md, Deletion Vectors).</summary>
internal static class DeletionVectorReader
{
    /// <summary>
    /// The absolute path of an on-disk deletion vector: for <c>u</c>, <c>&lt;table&gt;/&lt;prefix&gt;/deletion_vector_&lt;uuid&gt;.bin</c>
    /// where the last 20 characters are the Z85 UUID and any before them the prefix; for <c>p</c>, the path itself.
    /// </summary>
    public static string AbsolutePath(DeletionVectorDescriptor dv, string tablePath)
    {
        switch (dv.StorageType)
        {
            case "u":
                var text = dv.PathOrInlineDv;
                if (text.Length < 20)
                {
                    throw new FormatException($"The deletion vector path '{text}' is shorter than a 20-character Z85 UUID.");
                }

                var prefix = text[..^20];
                var uuid = Z85.DecodeUuid(text.AsSpan()[^20..]);
                var name = $"deletion_vector_{uuid:D}.bin";
                return prefix.Length == 0 ? Path.Combine(tablePath, name) : Path.Combine(tablePath, prefix, name);
            case "p":
                return TablePaths.ResolveDataFile(tablePath, dv.PathOrInlineDv);
            default:
                throw new InvalidOperationException($"Storage type '{dv.StorageType}' has no file path.");
        }
    }

    /// <summary>The deleted row indexes, ascending.</summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.DataFileNotFound"/> when the vector's file is missing,
    /// <see cref="DeltaErrorKind.CorruptLog"/> when it cannot be decoded.</exception>
    public static long[] Read(DeletionVectorDescriptor dv, string tablePath)
    {
        try
        {
            byte[] bitmap;
            if (dv.StorageType == "i")
            {
                // PROTOCOL.md: sizeInBytes is the raw size before Z85; the encoding pads to whole 4-byte blocks.
                bitmap = Z85.Decode(dv.PathOrInlineDv)[..dv.SizeInBytes];
            }
            else if (dv.StorageType is "u" or "p")
            {
                bitmap = ReadFromFile(dv, AbsolutePath(dv, tablePath), tablePath);
            }
            else
            {
                throw new FormatException($"Unknown deletion vector storage type '{dv.StorageType}' (expected u, i or p).");
            }

            var rows = RoaringBitmapArray.Decode(bitmap);
            if (rows.Length != dv.Cardinality)
            {
                throw new FormatException($"The deletion vector holds {rows.Length} rows but its descriptor says {dv.Cardinality}.");
            }

            return rows;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or EndOfStreamException)
        {
            throw new DeltaException(DeltaErrorKind.CorruptLog,
                $"The deletion vector '{dv.StorageType}{dv.PathOrInlineDv}' of a file in {tablePath} cannot be read: {e.Message} " +
                "Restore the table to an earlier version, or restore the deletion vector file from a backup.", tablePath, e);
        }
    }

    private static byte[] ReadFromFile(DeletionVectorDescriptor dv, string path, string tablePath)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DeltaException(DeltaErrorKind.DataFileNotFound,
                $"The deletion vector file {path} of table {tablePath} does not exist; it was probably removed by VACUUM. " +
                "Read an older version whose files still exist (time travel), or restore the table to such a version.", tablePath, e);
        }

        using (stream)
        {
            // PROTOCOL.md, Deletion Vector File Storage Format: at the offset, a big-endian size, the bitmap, then its CRC-32.
            stream.Position = dv.Offset ?? 0; // PROTOCOL.md: an absent offset means 0.
            var header = new byte[4];
            stream.ReadExactly(header);
            var size = BinaryPrimitives.ReadInt32BigEndian(header);
            if (size != dv.SizeInBytes)
            {
                throw new FormatException($"The stored size {size} at offset {stream.Position - 4} differs from the descriptor's {dv.SizeInBytes}.");
            }

            var data = new byte[size + 4];
            stream.ReadExactly(data);
            var checksum = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(size));
            if (checksum != Crc32.Compute(data.AsSpan(0, size)))
            {
                throw new FormatException("The CRC-32 checksum does not match the data.");
            }

            return data[..size];
        }
    }
}
