using System.Buffers.Binary;
using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;
using DeltaLakeTable = Lakehouse.Delta.DeltaTable;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Reading Delta tables whose files carry deletion vectors (PROTOCOL.md, Deletion Vectors) through the engine. The
/// files are written by Lakehouse.Delta's writer, which keeps the rows in the order given, so a row's position in its
/// file is known (id = file base + position) and the expected rows follow from the positions deleted, not from a reader.
/// </summary>
public sealed class DeletionVectorReadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long, false),
        new StructField("part", PrimitiveType.String),
        new StructField("amount", PrimitiveType.Long),
    ]);

    /// <summary>One file per entry of <paramref name="sizes"/>; file i holds ids i * 1000 + position, amount = id * 2,
    /// part = "p" + (i % 2). Returns the files' paths in the order written.</summary>
    private static async Task<List<string>> CreateAsync(string path, int[] sizes, bool partitioned = false)
    {
        var table = DeltaLakeTable.ForPath(path);
        table.Create(Schema, partitioned ? ["part"] : null, new Dictionary<string, string> { ["delta.enableDeletionVectors"] = "true" });
        var files = new List<string>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var before = table.Snapshot().Files.Select(f => f.Path).ToHashSet();
            await table.AppendAsync([Batch(i, sizes[i])]);
            files.Add(table.Snapshot().Files.Single(f => !before.Contains(f.Path)).Path);
        }

        return files;
    }

    private static RecordBatch Batch(int file, int rows)
    {
        var ids = new Int64Array.Builder();
        var parts = new StringArray.Builder();
        var amounts = new Int64Array.Builder();
        for (var p = 0; p < rows; p++)
        {
            ids.Append(file * 1000L + p);
            parts.Append("p" + (file % 2));
            amounts.Append((file * 1000L + p) * 2);
        }

        return new RecordBatch.Builder().Append("id", false, ids.Build()).Append("part", true, parts.Build()).Append("amount", true, amounts.Build()).Build();
    }

    /// <summary>Puts a deletion vector on each named file in one commit (replacing the file's add, as PROTOCOL.md asks).
    /// Unlike DML, a vector may name every row of its file here, as a writer is allowed to leave it.</summary>
    private static void Delete(string path, Dictionary<string, long[]> positions)
    {
        var table = DeltaLakeTable.ForPath(path);
        var snapshot = table.Snapshot();
        var txn = Transaction.Start(snapshot, "DELETE");
        foreach (var (file, rows) in positions)
        {
            var add = snapshot.Files.Single(f => f.Path == file);
            txn.Remove(RemoveFile.For(add, 1000));
            txn.Add(add with { DeletionVector = DeletionVectorWriter.Write(path, rows), DataChange = true });
        }

        txn.Commit();
    }

    private static async Task<List<long>> IdsAsync(DataFrame df) =>
        [.. (await df.CollectAsync()).Select(r => r.Get<long>("id")).Order()];

    private static List<long> Ids(int[] sizes, Dictionary<int, long[]> deleted) =>
        [.. sizes.SelectMany((n, i) => Enumerable.Range(0, n).Where(p => !deleted.GetValueOrDefault(i, []).Contains(p)).Select(p => i * 1000L + p)).Order()];

    [Fact]
    public async Task Read_VectorsOnSeveralFilesAndOneWithout_RowsAtDeletedPositionsAreGone()
    {
        using var dir = new TempDirectory("dv-read");
        var path = dir.Combine("t");
        int[] sizes = [500, 300, 400, 200];
        var files = await CreateAsync(path, sizes);
        var random = new Random(7);
        var deleted = new Dictionary<int, long[]>
        {
            [0] = [.. Enumerable.Range(0, 25).Select(_ => (long)random.Next(500)).Distinct()],
            [1] = [0, 299],
            [3] = [.. Enumerable.Range(0, 200).Where(p => p % 3 == 0).Select(p => (long)p)],
        };
        Delete(path, deleted.ToDictionary(d => files[d.Key], d => d.Value));
        await using var spark = await server.SessionAsync();

        var df = spark.Read.Format("delta").Load(path);

        Assert.Equal(Ids(sizes, deleted), await IdsAsync(df));
        var expected = Ids(sizes, deleted);
        var agg = (await df.Filter(Col("id") % 2 == 0).Agg(Count(Lit(1)).Alias("n"), Sum(Col("amount")).Alias("s")).CollectAsync()).Single();
        Assert.Equal(expected.Count(id => id % 2 == 0), agg.Get<long>("n"));
        Assert.Equal(expected.Where(id => id % 2 == 0).Sum(id => id * 2), agg.Get<long>("s"));
    }

    [Fact]
    public async Task Read_VectorDeletingEveryRowOfAFile_FileContributesNothing()
    {
        using var dir = new TempDirectory("dv-read");
        var path = dir.Combine("t");
        int[] sizes = [50, 60];
        var files = await CreateAsync(path, sizes);
        var deleted = new Dictionary<int, long[]> { [0] = [.. Enumerable.Range(0, 50).Select(p => (long)p)], [1] = [59] };
        Delete(path, deleted.ToDictionary(d => files[d.Key], d => d.Value));
        await using var spark = await server.SessionAsync();

        Assert.Equal(Ids(sizes, deleted), await IdsAsync(spark.Read.Format("delta").Load(path)));
        Assert.Equal(59, Ids(sizes, deleted).Count);
    }

    [Fact]
    public async Task Read_EmptyVector_EveryRowRead()
    {
        using var dir = new TempDirectory("dv-read");
        var path = dir.Combine("t");
        int[] sizes = [40, 30];
        var files = await CreateAsync(path, sizes);
        Delete(path, new() { [files[0]] = [3] });
        var vectorFile = Assert.Single(Directory.GetFiles(path, "deletion_vector_*.bin", SearchOption.AllDirectories));
        // Rewrite the first file's vector as an empty bitmap (PROTOCOL.md, Deletion Vector Format: the 64-bit
        // RoaringBitmapArray with no bitmaps), with a descriptor of cardinality 0, as a writer may leave it.
        var table = DeltaLakeTable.ForPath(path);
        var snapshot = table.Snapshot();
        var add = snapshot.Files.Single(f => f.Path == files[0]);
        var empty = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(empty, 1681511377);
        var bytes = new byte[1 + 4 + empty.Length + 4];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), empty.Length);
        empty.CopyTo(bytes, 5);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5 + empty.Length), Crc32(empty));
        File.WriteAllBytes(vectorFile, bytes);
        var txn = Transaction.Start(snapshot, "DELETE");
        txn.Remove(RemoveFile.For(add, 1000));
        txn.Add(add with { DeletionVector = add.DeletionVector! with { SizeInBytes = empty.Length, Cardinality = 0 } });
        txn.Commit();
        Delete(path, new() { [files[1]] = [4] });
        await using var spark = await server.SessionAsync();

        Assert.Equal(Ids(sizes, new() { [1] = [4] }), await IdsAsync(spark.Read.Format("delta").Load(path)));
    }

    [Fact]
    public async Task Read_PartitionedWithVectors_PartitionValuesAndDeletionsPerFile()
    {
        using var dir = new TempDirectory("dv-read");
        var path = dir.Combine("t");
        int[] sizes = [100, 80, 90];
        var files = await CreateAsync(path, sizes, partitioned: true);
        var deleted = new Dictionary<int, long[]> { [0] = [1, 2, 99], [2] = [0, 45] };
        Delete(path, deleted.ToDictionary(d => files[d.Key], d => d.Value));
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Format("delta").Load(path);

        var rows = await df.CollectAsync();
        var expected = Ids(sizes, deleted);
        Assert.Equal(expected, rows.Select(r => r.Get<long>("id")).Order().ToList());
        Assert.All(rows, r => Assert.Equal("p" + (r.Get<long>("id") / 1000 % 2), r.Get<string>("part")));
        Assert.Equal(expected.Where(id => id / 1000 % 2 == 0).ToList(), await IdsAsync(df.Filter(Col("part") == "p0")));
    }

    [Fact]
    public async Task Read_OneColumnWithFilter_PrunedScanStillDropsDeletedRows()
    {
        using var dir = new TempDirectory("dv-read");
        var path = dir.Combine("t");
        int[] sizes = [300, 300];
        var files = await CreateAsync(path, sizes);
        var deleted = new Dictionary<int, long[]> { [0] = [10, 11, 250], [1] = [0, 150, 299] };
        Delete(path, deleted.ToDictionary(d => files[d.Key], d => d.Value));
        await using var spark = await server.SessionAsync();

        var amounts = await spark.Read.Format("delta").Load(path).Filter(Col("amount") >= 400).Select("amount").CollectAsync();

        Assert.Equal(Ids(sizes, deleted).Select(id => id * 2).Where(a => a >= 400).ToList(), amounts.Select(r => r.Get<long>("amount")).Order().ToList());
    }

    [Fact]
    public async Task Delete_AfterVectorsOnSeveralFiles_PositionsStillNameTheRightRows()
    {
        using var dir = new TempDirectory("dv-read");
        var path = dir.Combine("t");
        int[] sizes = [100, 100, 100];
        var files = await CreateAsync(path, sizes);
        Delete(path, new() { [files[0]] = [5], [files[2]] = [7] });
        await using var spark = await server.SessionAsync();

        // DELETE through the engine reads row positions through the same scan; they must be the file's own positions.
        Assert.Equal(30, await DeltaPlans.AffectedAsync(spark, DeltaPlans.DeleteFrom(path, "t.id % 10 = 6")));

        var deleted = new Dictionary<int, long[]>
        {
            [0] = [5, .. Enumerable.Range(0, 100).Where(p => p % 10 == 6).Select(p => (long)p)],
            [1] = [.. Enumerable.Range(0, 100).Where(p => p % 10 == 6).Select(p => (long)p)],
            [2] = [7, .. Enumerable.Range(0, 100).Where(p => p % 10 == 6).Select(p => (long)p)],
        };
        Assert.Equal(Ids(sizes, deleted), await IdsAsync(spark.Read.Format("delta").Load(path)));
        var snapshot = DeltaLakeTable.ForPath(path).Snapshot();
        Assert.Equal([11L, 10L, 11L], files.Select(f => snapshot.Files.Single(a => a.Path == f).DeletionVector!.Cardinality));
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as the deletion vector file stores it.</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
