using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Parquet reads planned from the footer cache (columns known without a DESCRIBE, <c>union_by_name</c> only when files
/// differ), and <c>key=value</c> directories that Spark does not turn into partition columns.
/// </summary>
public sealed class ParquetSourceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Parquet_FilesWithDifferentColumns_UnionByNameWithNulls()
    {
        using var dir = new TempDirectory("embedded");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 2).WithColumn("x", Lit("a")).Write.Format("parquet").SaveAsync(dir.Combine("one"));
        await spark.Range(5, 6).WithColumn("y", Lit(2.5)).Write.Format("parquet").SaveAsync(dir.Combine("two"));

        var df = spark.Read.Parquet(dir.Path);
        var rows = await df.OrderBy(Col("id")).CollectAsync();
        Assert.Equal(["id", "x", "y"], (await df.SchemaAsync()).Struct.Fields.Select(f => f.Name));
        Assert.Equal([0L, 1L, 5L], rows.Select(r => r.Get<long>("id")));
        Assert.Equal(["a", "a", null], rows.Select(r => r["x"]));
        Assert.Equal([null, null, 2.5], rows.Select(r => r["y"]));
    }

    [Fact]
    public async Task Parquet_SameSchema_FilterAndGroupByGiveExactResults()
    {
        using var dir = new TempDirectory("embedded");
        await using var spark = await server.SessionAsync();
        // Two files of one schema: k = id % 3, v = id % 7 for id in [0, 100).
        await spark.Range(0, 50).Select(Col("id"), (Col("id") % 3).Alias("k"), (Col("id") % 7).Cast("int").Alias("v")).Write.Format("parquet").SaveAsync(dir.Combine("a"));
        await spark.Range(50, 100).Select(Col("id"), (Col("id") % 3).Alias("k"), (Col("id") % 7).Cast("int").Alias("v")).Write.Format("parquet").SaveAsync(dir.Combine("b"));

        var rows = await spark.Read.Parquet(dir.Path).Filter(Col("v") > 3).GroupBy("k").Agg(Count(Lit(1)).Alias("n"), Sum(Col("id")).Alias("s")).OrderBy(Col("k")).CollectAsync();

        var expected = Enumerable.Range(0, 100).Where(i => i % 7 > 3).GroupBy(i => i % 3).OrderBy(g => g.Key)
            .Select(g => ((long)g.Key, (long)g.Count(), (long)g.Sum())).ToList();
        Assert.Equal(expected, rows.Select(r => (r.Get<long>("k"), r.Get<long>("n"), r.Get<long>("s"))));
    }

    [Fact]
    public async Task Parquet_FileRewrittenWithOtherColumns_ReadsTheNewFooter()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("t.parquet");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 3).Write.Format("parquet").SaveAsync(dir.Combine("w1"));
        File.Copy(SinglePart(dir.Combine("w1")), file);
        Assert.Equal(["id"], (await spark.Read.Parquet(file).SchemaAsync()).Struct.Fields.Select(f => f.Name));

        await spark.Range(0, 3).WithColumn("extra", Lit("z")).Write.Format("parquet").SaveAsync(dir.Combine("w2"));
        File.Copy(SinglePart(dir.Combine("w2")), file, overwrite: true);
        var rows = await spark.Read.Parquet(file).CollectAsync();
        Assert.Equal(["id", "extra"], rows[0].Columns);
        Assert.All(rows, r => Assert.Equal("z", r["extra"]));
    }

    public static TheoryData<string> Formats => new() { "parquet", "csv", "json" };

    // Spark infers partition columns only from key=value directories below the path it is given; a file path, a
    // key=value directory given itself, and recursiveFileLookup=true read the files' own columns only.
    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Read_FilesUnderKeyValueDirectory_GetNoPartitionColumn(string format)
    {
        using var dir = new TempDirectory("embedded");
        var part = dir.Combine("day=1");
        Directory.CreateDirectory(part);
        var file = Path.Combine(part, "f." + format);
        await using var spark = await server.SessionAsync();
        if (format == "parquet")
        {
            await spark.Range(7, 8).Write.Format("parquet").SaveAsync(dir.Combine("w"));
            File.Copy(SinglePart(dir.Combine("w")), file);
            Directory.Delete(dir.Combine("w"), recursive: true);
        }
        else
        {
            File.WriteAllText(file, format == "csv" ? "id\n7\n" : "{\"id\":7}\n");
        }

        DataFrameReader Reader() => format == "csv" ? spark.Read.Format(format).Option("header", true) : spark.Read.Format(format);
        foreach (var df in new[] { Reader().Load(file), Reader().Load(part), Reader().Option("recursiveFileLookup", true).Load(dir.Path) })
        {
            var row = Assert.Single(await df.CollectAsync());
            Assert.Equal(["id"], row.Columns);
            Assert.Equal("7", Convert.ToString(row["id"], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static string SinglePart(string directory) =>
        Assert.Single(Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories));
}
