using System.Text.Json.Nodes;
using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Data.Reading.DeletionVectors;
using Lakehouse.Delta.Snapshots;
using static Lakehouse.Delta.Tests.Reading.SpecDeletionVectors;

namespace Lakehouse.Delta.Tests.Reading;

public sealed class DeletionVectorTests
{
    private static readonly JsonObject IdSchema = TestTables.Schema(("id", JsonValue.Create("long")!, null));

    [Fact]
    public void Read_InlineExampleOfProtocol_ReturnsTheRowsTheSpecLists()
    {
        // PROTOCOL.md, Deletion Vector Descriptor Schema, JSON Example 3.
        var dv = new DeletionVectorDescriptor
        {
            StorageType = "i", PathOrInlineDv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", SizeInBytes = 40, Cardinality = 6,
        };

        Assert.Equal([3L, 4, 7, 11, 18, 29], DeletionVectorReader.Read(dv, "/nowhere"));
    }

    [Fact]
    public void AbsolutePath_RelativeExampleOfProtocol_IsPrefixDirectoryAndUuidFileName()
    {
        // PROTOCOL.md, JSON Example 1: prefix "ab", UUID d2c639aa-8816-431a-aaf6-d3fe2512ff61.
        var dv = new DeletionVectorDescriptor { StorageType = "u", PathOrInlineDv = "ab^-aqEH.-t@S}K{vb[*k^", Offset = 4, SizeInBytes = 40, Cardinality = 6 };

        Assert.Equal(Path.Combine("/t", "ab", "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"), DeletionVectorReader.AbsolutePath(dv, "/t"));
    }

    [Fact]
    public void Read_BitmapWithEveryContainerKindAndTwoBuckets_ReturnsEveryRow()
    {
        var evens = Enumerable.Range(0, 5000).Select(i => (ushort)(i * 2)).ToArray();
        var bitmap = Bitmap(
            (0, [
                new Container(0, Array: [1, 5, 9]),
                new Container(1, Runs: [(100, 99), (65530, 5)]),
                new Container(2, Bitmap: evens),
            ]),
            (1, [new Container(0, Array: [7]), new Container(3, Array: [0, 65535]), new Container(4, Array: [1]), new Container(5, Array: [2])]));
        var expected = new List<long> { 1, 5, 9 };
        expected.AddRange(Enumerable.Range(100, 100).Select(i => 65536L + i));
        expected.AddRange(Enumerable.Range(65530, 6).Select(i => 65536L + i));
        expected.AddRange(evens.Select(e => 2 * 65536L + e));
        expected.AddRange(new[] { 7L, 3 * 65536L, 3 * 65536L + 65535, 4 * 65536L + 1, 5 * 65536L + 2 }.Select(v => (1L << 32) + v));

        var dv = new DeletionVectorDescriptor { StorageType = "i", PathOrInlineDv = Z85(Padded(bitmap)), SizeInBytes = bitmap.Length, Cardinality = expected.Count };

        Assert.Equal(expected, DeletionVectorReader.Read(dv, "/nowhere"));
    }

    [Fact]
    public void Read_NativeLayout_ReturnsRowsOfEveryBitmap()
    {
        var bitmap = NativeBitmap([new Container(0, Array: [2, 3])], [new Container(0, Array: [1])]);
        var dv = new DeletionVectorDescriptor { StorageType = "i", PathOrInlineDv = Z85(Padded(bitmap)), SizeInBytes = bitmap.Length, Cardinality = 3 };

        Assert.Equal([2L, 3, (1L << 32) + 1], DeletionVectorReader.Read(dv, "/nowhere"));
    }

    [Fact]
    public void ReadBatches_DeletionVectorFileAcrossRowGroups_SkipsDeletedRows()
    {
        using var dir = new TempDirectory("dv");
        var uuid = Guid.NewGuid();
        var dv = WriteTableWithDeletedRows(dir.Path, uuid, [1, 5, 9]);
        var scan = new DeltaScan(Snapshot.Load(dir.Path));

        Assert.Equal([0L, 2, 3, 4, 6, 7, 8], Ids(scan));
        Assert.Equal([1L, 5, 9], Assert.Single(scan.Files).DeletedRowIndexes());
        Assert.Equal(10, scan.Files[0].NumRecords);
        Assert.Equal(Path.Combine(dir.Path, "x7", $"deletion_vector_{uuid:D}.bin"), DeletionVectorReader.AbsolutePath(dv, dir.Path));
    }

    [Fact]
    public void ReadBatches_InlineDeletionVector_SkipsDeletedRows()
    {
        using var dir = new TempDirectory("dv");
        var bitmap = Bitmap((0, [new Container(0, Array: [0, 4])]));
        TestTables.WriteLongs(Path.Combine(dir.Path, "data.parquet"), "id", [0, 1, 2, 3, 4]);
        TestTables.Commit(dir.Path, 0,
            TestTables.Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]),
            TestTables.Metadata(IdSchema),
            TestTables.Add("data.parquet", stats: """{"numRecords":5}""", deletionVector: new JsonObject
            {
                ["storageType"] = "i", ["pathOrInlineDv"] = Z85(Padded(bitmap)), ["sizeInBytes"] = bitmap.Length, ["cardinality"] = 2,
            }));

        Assert.Equal([1L, 2, 3], Ids(new DeltaScan(Snapshot.Load(dir.Path))));
    }

    [Fact]
    public void ReadBatches_DeletionVectorFileMissing_ThrowsDataFileNotFound()
    {
        using var dir = new TempDirectory("dv");
        WriteTableWithDeletedRows(dir.Path, Guid.NewGuid(), [1]);
        foreach (var file in Directory.GetFiles(Path.Combine(dir.Path, "x7")))
        {
            System.IO.File.Delete(file);
        }

        var e = Assert.Throws<DeltaException>(() => Ids(new DeltaScan(Snapshot.Load(dir.Path))));
        Assert.Equal(DeltaErrorKind.DataFileNotFound, e.Kind);
        Assert.Contains("deletion_vector_", e.Message);
    }

    [Fact]
    public void ReadBatches_DeletionVectorChecksumWrong_ThrowsCorruptLog()
    {
        using var dir = new TempDirectory("dv");
        WriteTableWithDeletedRows(dir.Path, Guid.NewGuid(), [1]);
        var file = Directory.GetFiles(Path.Combine(dir.Path, "x7")).Single();
        var bytes = System.IO.File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        System.IO.File.WriteAllBytes(file, bytes);

        var e = Assert.Throws<DeltaException>(() => Ids(new DeltaScan(Snapshot.Load(dir.Path))));
        Assert.Equal(DeltaErrorKind.CorruptLog, e.Kind);
        Assert.Contains("checksum", e.Message);
    }

    /// <summary>A table with one file of ids 0..9 in two row groups and an on-disk DV (prefix "x7") deleting <paramref name="deleted"/>.</summary>
    private static DeletionVectorDescriptor WriteTableWithDeletedRows(string table, Guid uuid, ushort[] deleted)
    {
        TestTables.WriteLongs(Path.Combine(table, "part-0.parquet"), "id", [0, 1, 2, 3, 4], [5, 6, 7, 8, 9]);
        var bitmap = Bitmap((0, [new Container(0, Array: deleted)]));
        Directory.CreateDirectory(Path.Combine(table, "x7"));
        System.IO.File.WriteAllBytes(Path.Combine(table, "x7", $"deletion_vector_{uuid:D}.bin"), DvFile(bitmap));
        var pathOrInline = "x7" + Z85(uuid.ToByteArray(bigEndian: true));
        TestTables.Commit(table, 0,
            TestTables.Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]),
            TestTables.Metadata(IdSchema),
            TestTables.Add("part-0.parquet", stats: """{"numRecords":10}""", deletionVector: new JsonObject
            {
                ["storageType"] = "u", ["pathOrInlineDv"] = pathOrInline, ["offset"] = 1, ["sizeInBytes"] = bitmap.Length, ["cardinality"] = deleted.Length,
            }));
        return new DeletionVectorDescriptor { StorageType = "u", PathOrInlineDv = pathOrInline, Offset = 1, SizeInBytes = bitmap.Length, Cardinality = deleted.Length };
    }

    private static byte[] Padded(byte[] data) => data.Length % 4 == 0 ? data : [.. data, .. new byte[4 - data.Length % 4]];

    internal static List<long?> Ids(DeltaScan scan) =>
        scan.ReadBatches().SelectMany(b => ((Int64Array)b.Column("id")).Select(v => v)).ToList();
}
