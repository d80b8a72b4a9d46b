using Lakehouse.Delta.Data.Reading.DeletionVectors;
using Lakehouse.Delta.Data.Writing;
using static Lakehouse.Delta.Tests.Reading.SpecDeletionVectors;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>
/// The serialization of deletion vectors, byte for byte against <see cref="Reading.SpecDeletionVectors"/> (built from
/// PROTOCOL.md's Deletion Vector Format and the RoaringFormatSpec), and back through the library's reader.
/// </summary>
public sealed class DeletionVectorEncodingTests
{
    [Fact]
    public void Encode_FewScatteredRows_IsOneArrayContainer()
    {
        Assert.Equal(Bitmap((0, [new Container(0, Array: [1, 5, 9])])), RoaringBitmapArray.Encode([9, 1, 5, 5]));
    }

    [Fact]
    public void Encode_ThreeConsecutiveRows_PrefersArrayOnTie()
    {
        // Array: 3 × 2 bytes; runs: 2 + 4 bytes. RoaringBitmap converts to runs only when strictly smaller.
        Assert.Equal(Bitmap((0, [new Container(0, Array: [4, 5, 6])])), RoaringBitmapArray.Encode([4, 5, 6]));
    }

    [Fact]
    public void Encode_EveryContainerKindAndTwoBuckets_MatchesSpecLayoutWithOffsets()
    {
        var evens = Enumerable.Range(0, 5000).Select(i => (ushort)(i * 2)).ToArray();
        var rows = new List<long> { 1, 5, 9 };
        rows.AddRange(Enumerable.Range(100, 100).Select(i => 65536L + i));
        rows.AddRange(evens.Select(e => 2 * 65536L + e));
        rows.Add(3 * 65536L + 7);
        rows.Add((1L << 32) + 3);
        var expected = Bitmap(
            (0, [
                new Container(0, Array: [1, 5, 9]),
                new Container(1, Runs: [(100, 99)]),
                new Container(2, Bitmap: evens),
                new Container(3, Array: [7]),
            ]),
            (1, [new Container(0, Array: [3])]));

        var encoded = RoaringBitmapArray.Encode(rows);

        Assert.Equal(expected, encoded);
        Assert.Equal(rows.Order(), RoaringBitmapArray.Decode(encoded));
    }

    [Fact]
    public void Encode_FullContainer_IsOneRun()
    {
        Assert.Equal(Bitmap((0, [new Container(0, Runs: [(0, 65535)])])), RoaringBitmapArray.Encode(Enumerable.Range(0, 65536).Select(i => (long)i)));
    }

    [Fact]
    public void Encode_NoRows_IsMagicAndZeroBuckets()
    {
        Assert.Equal([0xD1, 0xD3, 0x39, 0x64, 0, 0, 0, 0, 0, 0, 0, 0], RoaringBitmapArray.Encode([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Encode_RandomSets_RoundTripThroughDecoder(int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 20_000).Select(_ => random.Next(4) switch
        {
            0 => random.NextInt64(0, 70_000),
            1 => 200_000 + random.NextInt64(0, 3_000),
            2 => (5L << 32) + random.NextInt64(0, 100),
            _ => random.NextInt64(0, long.MaxValue),
        }).ToList();

        Assert.Equal(rows.Distinct().Order(), RoaringBitmapArray.Decode(RoaringBitmapArray.Encode(rows)));
    }

    [Fact]
    public void Z85Encode_RfcTestVector_IsHelloWorld()
    {
        // ZeroMQ RFC 32: 86 4F D2 6F B5 59 F7 5B encodes as "HelloWorld".
        Assert.Equal("HelloWorld", Lakehouse.Delta.Data.Reading.DeletionVectors.Z85.Encode([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]));
    }

    [Fact]
    public void Z85EncodeUuid_ProtocolExample_MatchesDescriptorPath()
    {
        // PROTOCOL.md, Deletion Vector Descriptor Schema, JSON Example 1: "ab" prefix + the Z85 of this UUID.
        Assert.Equal("^-aqEH.-t@S}K{vb[*k^", Lakehouse.Delta.Data.Reading.DeletionVectors.Z85.EncodeUuid(Guid.Parse("d2c639aa-8816-431a-aaf6-d3fe2512ff61")));
    }

    [Fact]
    public void Write_Rows_FileIsVersionSizeBitmapCrcAndDescriptorPointsAtIt()
    {
        using var dir = new TempDirectory("dv-write");

        var dv = DeletionVectorWriter.Write(dir.Path, [9, 1, 5], prefix: "q3");

        var path = DeletionVectorReader.AbsolutePath(dv, dir.Path);
        Assert.Equal(Path.Combine(dir.Path, "q3"), Path.GetDirectoryName(path));
        Assert.Matches("^deletion_vector_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.bin$", Path.GetFileName(path));
        var bitmap = Bitmap((0, [new Container(0, Array: [1, 5, 9])]));
        Assert.Equal(DvFile(bitmap), File.ReadAllBytes(path));
        Assert.Equal(("u", 1, bitmap.Length, 3L), (dv.StorageType, dv.Offset, dv.SizeInBytes, dv.Cardinality));
        Assert.Equal(22, dv.PathOrInlineDv.Length);
        Assert.Equal([1L, 5, 9], DeletionVectorReader.Read(dv, dir.Path));
    }

    [Fact]
    public void Write_NoRowsOrBadPrefix_Throws()
    {
        using var dir = new TempDirectory("dv-write");

        Assert.Throws<ArgumentException>(() => DeletionVectorWriter.Write(dir.Path, []));
        Assert.Throws<ArgumentException>(() => DeletionVectorWriter.Write(dir.Path, [1], prefix: "../x"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }
}
