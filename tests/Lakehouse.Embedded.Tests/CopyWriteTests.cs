using Lakehouse.Delta;
using Lakehouse.Delta.Data;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>Delta writes that DuckDB's COPY makes (first writes, appends, partitioned tables) are laid out as Spark lays
/// them out and read back.</summary>
public sealed class CopyWriteTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private sealed record Item(long Id, string? Part, int Bucket);

    [Fact]
    public async Task Save_PartitionedWithNullAndSpecialCharacters_SparkDirectoriesAndValues()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "parts");
        await using var spark = await server.SessionAsync();
        var items = new[] { new Item(1, "a/b", 1), new Item(2, null, 1), new Item(3, "x=y%", 2), new Item(4, "a/b", 2) };
        await spark.CreateDataFrame(items).Write.Format("delta").PartitionBy("Part", "Bucket").SaveAsync(path);
        await spark.CreateDataFrame(new[] { new Item(5, "a/b", 1) }).Write.Format("delta").Mode("append").SaveAsync(path);

        var snapshot = DeltaTable.ForPath(path).Snapshot();
        // PROTOCOL.md, Partitioned tables: values in partitionValues, files in Hive directories as Spark escapes them.
        var expected = items.Append(new Item(5, "a/b", 1))
            .Select(i => (i.Part, i.Bucket.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct().OrderBy(p => p.Part ?? "").ThenBy(p => p.Item2).ToList();
        var actual = snapshot.Files.Select(f => (f.PartitionValues["Part"], f.PartitionValues["Bucket"]!)).Distinct()
            .OrderBy(p => p.Item1 ?? "").ThenBy(p => p.Item2).ToList();
        Assert.Equal(expected, actual);
        foreach (var file in snapshot.Files)
        {
            var part = file.PartitionValues["Part"];
            var directory = (part is null ? "Part=" + PartitionValues.HiveDefaultPartition : "Part=" + PartitionValues.EscapePathName(part)) + "/Bucket=" + file.PartitionValues["Bucket"] + "/";
            Assert.StartsWith(directory, Uri.UnescapeDataString(file.Path), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(path, Uri.UnescapeDataString(file.Path))));
        }

        Assert.DoesNotContain(Directory.EnumerateDirectories(path), d => Path.GetFileName(d).StartsWith("_lakehouse_staging", StringComparison.Ordinal));
        var rows = await spark.Read.Delta(path).OrderBy(Col("Id")).CollectAsync();
        Assert.Equal(items.Append(new Item(5, "a/b", 1)).Select(i => (i.Id, i.Part, i.Bucket)),
            rows.Select(r => (r.Get<long>("Id"), r.Get<string>("Part"), r.Get<int>("Bucket"))));
    }

    [Fact]
    public async Task Save_EmptyResultNewTable_CreatesTableWithoutFiles()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "empty");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 10).WithColumn("p", Lit("x")).Filter(Col("id") < 0).Write.Format("delta").PartitionBy("p").SaveAsync(path);

        var snapshot = DeltaTable.ForPath(path).Snapshot();
        Assert.Equal(0, snapshot.Version);
        Assert.Empty(snapshot.Files);
        Assert.Equal(0, await spark.Read.Delta(path).CountAsync());
    }

    [Fact]
    public async Task Persist_TableChangesAfterFirstAction_LaterPlansReadTheKeptRowsUntilUnpersist()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "cached");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 3).Write.Format("delta").SaveAsync(path);
        var doubled = spark.Read.Delta(path).WithColumn("twice", Col("id") * 2);
        await doubled.PersistAsync();
        Assert.Equal(3, await doubled.CountAsync());

        await spark.Range(3, 5).Write.Format("delta").Mode("append").SaveAsync(path);

        // As on Spark: the cache holds the rows of the first action; plans built on it read them.
        Assert.Equal(3, await doubled.Filter(Col("twice") >= 0).CountAsync());
        Assert.Equal(5, await spark.Read.Delta(path).CountAsync());
        await doubled.UnpersistAsync();
        Assert.Equal(5, await doubled.CountAsync());
    }

    [Fact]
    public async Task Persist_Schema_DoesNotComputeTheRelation()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "lazy");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 2).Write.Format("delta").SaveAsync(path);
        var frame = spark.Read.Delta(path).Select(Col("id"));
        await frame.PersistAsync();
        await frame.SchemaAsync();

        await spark.Range(2, 4).Write.Format("delta").Mode("append").SaveAsync(path);

        // Marking and analysis ran nothing: the first action sees the table as it is now.
        Assert.Equal(4, await frame.CountAsync());
    }
}
