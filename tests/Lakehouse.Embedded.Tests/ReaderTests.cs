using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>File sources with Spark's defaults.</summary>
public sealed class ReaderTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Csv_NoHeaderNoInfer_AllStringsNamedByPosition()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.csv");
        File.WriteAllText(file, "1,x\n2,y\n");
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Csv(file);
        var rows = await df.OrderBy(Col("_c0")).CollectAsync();
        Assert.Equal(["_c0", "_c1"], rows[0].Columns);
        Assert.Equal("1", rows[0]["_c0"]);
        var schema = await df.SchemaAsync();
        Assert.All(schema.Struct.Fields, f => Assert.Equal(Lakehouse.Spark.Protos.DataType.KindOneofCase.String, f.DataType.KindCase));
    }

    [Fact]
    public async Task Csv_HeaderAndInferSchema_TypesColumns()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.csv");
        File.WriteAllText(file, "id,name\n1,x\n2,\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Option("header", true).Option("inferSchema", true).Csv(file).OrderBy(Col("id")).CollectAsync();
        Assert.Equal(1L, Convert.ToInt64(rows[0]["id"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(rows[1]["name"]);
    }

    [Fact]
    public async Task Csv_WithSchema_AppliesTypes()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.csv");
        File.WriteAllText(file, "a,b\n1,2.5\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("a INT, b DOUBLE").Option("header", true).Csv(file).CollectAsync();
        Assert.Equal(1, rows[0]["a"]);
        Assert.Equal(2.5, rows[0]["b"]);
    }

    [Fact]
    public async Task Json_Inferred_FieldsSortedStringsKept()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.json");
        File.WriteAllText(file, "{\"b\":\"2024-01-01\",\"a\":1}\n{\"b\":\"x\",\"a\":2,\"c\":1.5}\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Json(file).OrderBy(Col("a")).CollectAsync();
        // Spark's JSON inference orders fields by name and does not turn strings into dates.
        Assert.Equal(["a", "b", "c"], rows[0].Columns);
        Assert.Equal("2024-01-01", rows[0]["b"]);
        Assert.Equal(1L, rows[0]["a"]);
        Assert.Null(rows[0]["c"]);
        Assert.Equal(1.5, rows[1]["c"]);
    }

    [Fact]
    public async Task Text_Lines_ReadAsValueColumn()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.txt");
        File.WriteAllText(file, "hello, world\nsecond \"line\"\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Text(file).CollectAsync();
        Assert.Equal(["hello, world", "second \"line\""], rows.Select(r => r.Get<string>("value")));
    }

    [Fact]
    public async Task Text_CrLfAndEmptyLines_OneRowPerLineEmptyKept()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.txt");
        File.WriteAllText(file, "a\r\n\r\nb\rc\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Text(file).CollectAsync();
        // Spark's line reader ends lines at \n, \r\n or \r; an empty line is an empty string; the final terminator adds no row.
        Assert.Equal(["a", "", "b", "c"], rows.Select(r => r.Get<string>("value")));
    }
}
