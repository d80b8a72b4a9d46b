using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>File listing (globs, hidden files, pathGlobFilter, recursiveFileLookup), <c>_metadata</c>, <c>input_file_name()</c> and binaryFile.</summary>
public sealed class FileSourceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Metadata_FileFields_DescribeEachRowsFile()
    {
        using var dir = new TempDirectory("embedded");
        File.WriteAllText(dir.Combine("a.json"), "{\"v\":1}\n");
        File.WriteAllText(dir.Combine("b.json"), "{\"v\":2}\n{\"v\":3}\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("v INT").Json(dir.Path)
            .Select(Col("v"), Col("_metadata.file_name"), Col("_metadata.file_path"), Col("_metadata.file_size"), Col("_metadata.file_modification_time"))
            .OrderBy(Col("v")).CollectAsync();
        Assert.Equal(["a.json", "b.json", "b.json"], rows.Select(r => r.Get<string>("file_name")));
        var b = new FileInfo(dir.Combine("b.json"));
        // Hadoop prints a local path as a URI with one slash after the scheme.
        Assert.Equal("file:" + b.FullName, rows[1]["file_path"]);
        Assert.Equal(b.Length, rows[1]["file_size"]);
        Assert.Equal(b.LastWriteTimeUtc.Ticks / 10, ((DateTimeOffset)rows[1]["file_modification_time"]!).UtcTicks / 10);
    }

    [Fact]
    public async Task Metadata_NotInStarOrSchema_UnlessReferenced()
    {
        using var dir = new TempDirectory("embedded");
        File.WriteAllText(dir.Combine("a.csv"), "1\n");
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Csv(dir.Combine("a.csv"));
        Assert.Equal(["_c0"], (await df.SchemaAsync()).Struct.Fields.Select(f => f.Name));
        var withFile = df.Filter(Col("_c0") == Lit("1")).WithColumn("x", Lit(1)).WithColumn("src", Col("_metadata.file_name"));
        Assert.Equal("a.csv", (await withFile.CollectAsync())[0]["src"]);
    }

    [Fact]
    public async Task InputFileName_ReturnsFileUri()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("t.txt");
        File.WriteAllText(file, "x\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Text(file).Select(CallFunction("input_file_name")).CollectAsync();
        Assert.Equal("file:" + file, rows[0][0]);
    }

    [Fact]
    public async Task SqlExpressionText_InputFileNameAndMetadata_Resolve()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("t.txt");
        File.WriteAllText(file, "x\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Text(file).SelectExpr("value", "input_file_name() AS f", "_metadata.file_name AS n").CollectAsync();
        Assert.Equal(("x", "file:" + file, "t.txt"), (rows[0].Get<string>("value"), rows[0].Get<string>("f"), rows[0].Get<string>("n")));
    }

    [Fact]
    public async Task BinaryFile_PathGlobFilter_ListsMatchingFilesWithContent()
    {
        using var dir = new TempDirectory("embedded");
        File.WriteAllBytes(dir.Combine("a.json"), [1, 2, 3]);
        File.WriteAllText(dir.Combine("b.csv"), "no");
        File.WriteAllText(dir.Combine("_SUCCESS"), "");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Format("binaryFile").Option("pathGlobFilter", "*.json").Load(dir.Path).CollectAsync();
        var row = Assert.Single(rows);
        Assert.Equal(["path", "modificationTime", "length", "content"], row.Columns);
        Assert.Equal("file:" + dir.Combine("a.json"), row["path"]);
        Assert.Equal(3L, row["length"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])row["content"]!);
    }

    [Fact]
    public async Task Glob_InDirectorySegment_MatchesAcrossDirectories()
    {
        using var dir = new TempDirectory("embedded");
        Directory.CreateDirectory(dir.Combine("d1"));
        Directory.CreateDirectory(dir.Combine("d2"));
        Directory.CreateDirectory(dir.Combine("e"));
        File.WriteAllText(dir.Combine("d1", "x.txt"), "1\n");
        File.WriteAllText(dir.Combine("d2", "y.txt"), "2\n");
        File.WriteAllText(dir.Combine("e", "z.txt"), "3\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Text(dir.Combine("d{1,2}", "*.txt")).OrderBy(Col("value")).CollectAsync();
        Assert.Equal(["1", "2"], rows.Select(r => r.Get<string>("value")));
    }

    [Fact]
    public async Task Directory_PartitionSubdirectory_NeedsRecursiveFileLookup()
    {
        using var dir = new TempDirectory("embedded");
        Directory.CreateDirectory(dir.Combine("day=1"));
        File.WriteAllText(dir.Combine("day=1", "x.txt"), "1\n");
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Text(dir.Path).CollectAsync());
        Assert.Equal("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", e.ErrorClass);
        var rows = await spark.Read.Option("recursiveFileLookup", true).Text(dir.Path).CollectAsync();
        Assert.Equal("1", Assert.Single(rows)["value"]);
    }

    [Fact]
    public async Task Glob_NoMatch_IsPathNotFound()
    {
        using var dir = new TempDirectory("embedded");
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Json(dir.Combine("*.json")).CollectAsync());
        Assert.Equal("PATH_NOT_FOUND", e.ErrorClass);
    }

    [Fact]
    public async Task EmptyDirectory_WithSchema_IsEmptyWithoutIsUnableToInfer()
    {
        using var dir = new TempDirectory("embedded");
        await using var spark = await server.SessionAsync();
        Assert.Equal(0, await spark.Read.Schema("a INT").Json(dir.Path).CountAsync());
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Json(dir.Path).CollectAsync());
        Assert.Equal("UNABLE_TO_INFER_SCHEMA", e.ErrorClass);
    }
}
