using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading.DeletionVectors;
using Lakehouse.Delta.Data.Reading.Skipping;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Writes deletion vectors (PROTOCOL.md, Deletion Vectors): each set of deleted row indexes goes to its own file
/// <c>deletion_vector_&lt;uuid&gt;.bin</c> in the table directory, referenced by a path-relative (<c>u</c>) descriptor.
/// Inline (<c>i</c>) vectors are not written: every checkpoint and log replay would carry their bytes, and Delta
/// itself writes files unless told otherwise.
/// </summary>
public static class DeletionVectorWriter
{
    /// <summary>The format version byte that starts a deletion vector file.</summary>
    private const byte FileFormatVersion = 1;

    /// <summary>
    /// Writes one deletion vector file holding <paramref name="rowIndexes"/> and returns its descriptor
    /// (<c>u</c>, offset 1: right after the version byte).
    /// </summary>
    /// <param name="tablePath">The table directory.</param>
    /// <param name="rowIndexes">0-based row positions in the data file; order and duplicates do not matter; at least one.</param>
    /// <param name="prefix">An optional random prefix: the file goes in that subdirectory and the prefix leads the
    /// descriptor's path (PROTOCOL.md, Deletion Vector Descriptor Schema). Letters and digits only.</param>
    /// <exception cref="ArgumentException">No rows, a negative row, or a prefix with other characters.</exception>
    public static DeletionVectorDescriptor Write(string tablePath, IEnumerable<long> rowIndexes, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(rowIndexes);
        if (!prefix.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"The deletion vector prefix '{prefix}' may hold ASCII letters and digits only.", nameof(prefix));
        }

        var rows = RoaringBitmapArray.SortedDistinct(rowIndexes);
        if (rows.Length == 0)
        {
            throw new ArgumentException("A deletion vector needs at least one row; a file without deleted rows has no vector.", nameof(rowIndexes));
        }

        return WriteSorted(tablePath, rows, prefix);
    }

    /// <summary><see cref="Write"/> for at least one row, in ascending order without duplicates.</summary>
    private static DeletionVectorDescriptor WriteSorted(string tablePath, long[] rows, string prefix)
    {
        var bitmap = RoaringBitmapArray.EncodeSorted(rows);
        // PROTOCOL.md, Deletion Vector File Storage Format: version byte, then per vector its big-endian size, the
        // bitmap and the bitmap's big-endian CRC-32.
        var bytes = new byte[1 + 4 + bitmap.Length + 4];
        bytes[0] = FileFormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), bitmap.Length);
        bitmap.CopyTo(bytes, 5);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5 + bitmap.Length), Crc32.Compute(bitmap));

        var descriptor = new DeletionVectorDescriptor
        {
            StorageType = "u",
            PathOrInlineDv = prefix + Z85.EncodeUuid(Guid.NewGuid()),
            Offset = 1,
            SizeInBytes = bitmap.Length,
            Cardinality = rows.Length,
        };
        var path = DeletionVectorReader.AbsolutePath(descriptor, tablePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Not synced to disk, like the data files: only the commit file is (LocalLogStore), and a vector is no more
        // durable than the data file it belongs to. A sync costs 3-12 ms per file on our VM, paid once per touched file.
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(bytes);
        }

        return descriptor;
    }

    /// <summary>
    /// Marks rows of a data file as deleted: the union of its current deletion vector (if any) and
    /// <paramref name="rowIndexes"/> becomes a new vector. The result's <c>remove</c> (the file with its old vector) and
    /// <c>add</c> (same path, new vector, <c>dataChange</c> true) go into one commit, as PROTOCOL.md requires for
    /// replacing a file's vector. When the union covers every row of the file, no vector is written and the result
    /// only removes the file. Returns null when every row was already deleted (nothing changes).
    /// </summary>
    /// <param name="tablePath">The table directory.</param>
    /// <param name="file">The file's current <c>add</c> from the snapshot the caller read; its stats must hold <c>numRecords</c>.</param>
    /// <param name="rowIndexes">Positions of the rows to delete, each in [0, numRecords).</param>
    /// <param name="deletionTimestamp">The tombstone's timestamp, milliseconds since the epoch.</param>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.InvalidRequest"/> when the file has no <c>numRecords</c>
    /// statistic or a row is out of range; the errors of reading the current vector.</exception>
    public static DeletionVectorUpdate? MarkDeleted(string tablePath, AddFile file, IEnumerable<long> rowIndexes, long deletionTimestamp)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(rowIndexes);
        // PROTOCOL.md, Per-file Statistics: a file with a deletion vector must carry an accurate numRecords.
        var numRecords = FileStats.Parse(file.Stats)?.NumRecords ?? throw new DeltaException(DeltaErrorKind.InvalidRequest,
            $"The data file '{file.Path}' has no numRecords statistic, which a file with a deletion vector must have. " +
            "Rewrite the file (OPTIMIZE, or delete without deletion vectors) and retry.", tablePath);
        var existing = file.DeletionVector is { } old ? DeletionVectorReader.Read(old, tablePath) : [];
        var union = RoaringBitmapArray.SortedDistinct(existing.Concat(rowIndexes));
        if (union.Length > 0 && (union[0] < 0 || union[^1] >= numRecords))
        {
            var row = union[0] < 0 ? union[0] : union[^1];
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"Row {row} is outside the data file '{file.Path}', which has {numRecords} rows.", tablePath);
        }

        var added = union.Length - existing.Length;
        if (added == 0)
        {
            return null;
        }

        var remove = RemoveFile.For(file, deletionTimestamp);
        if (union.Length == numRecords)
        {
            return new DeletionVectorUpdate(remove, null, added, file.DeletionVector is not null);
        }

        var vector = WriteSorted(tablePath, union, "");
        var add = file with { DeletionVector = vector, DataChange = true, Stats = WideBounds(file.Stats!) };
        return new DeletionVectorUpdate(remove, add, added, file.DeletionVector is not null);
    }

    /// <summary>
    /// PROTOCOL.md, Per-file Statistics: the min/max of the file's rows still bound its remaining rows but may no longer
    /// be attained, so the statistics say their bounds are wide; numRecords stays the physical count.
    /// </summary>
    private static string WideBounds(string stats)
    {
        var node = JsonNode.Parse(stats)!.AsObject();
        node["tightBounds"] = false;
        return node.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}

/// <summary>What marking rows of one file as deleted commits.</summary>
/// <param name="Remove">The file with its previous deletion vector (if any).</param>
/// <param name="Add">The file with its new deletion vector, or null when every row is deleted and the file leaves the table.</param>
/// <param name="DeletedRows">Rows this update deletes that were not deleted before.</param>
/// <param name="ReplacesVector">True when the file had a deletion vector before.</param>
public sealed record DeletionVectorUpdate(RemoveFile Remove, AddFile? Add, long DeletedRows, bool ReplacesVector)
{
    /// <summary>The absolute path of the new vector's file, or null when none was written.</summary>
    public string? VectorFile(string tablePath) => Add?.DeletionVector is { } dv ? DeletionVectorReader.AbsolutePath(dv, tablePath) : null;

    /// <summary>Adds the remove and the add to <paramref name="transaction"/>. A concurrent commit that also removes the file
    /// (another vector update, a rewrite) then conflicts with it (ConcurrentDeleteDelete).</summary>
    public void ApplyTo(Transactions.Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        transaction.Remove(Remove);
        if (Add is { } add)
        {
            transaction.Add(add);
        }
    }
}
