using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Parse modes of json and csv reads. Expected rows follow Spark's docs (JSON Files / CSV Files, option <c>mode</c>,
/// and the 3.0 migration note that a malformed JSON record keeps the fields that did convert).
/// </summary>
public sealed class PermissiveReadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string JsonLines = "{\"a\":1,\"b\":\"x\"}\n{\"a\":\"abc\",\"b\":\"y\"}\nnot json\n\n{\"a\":1.5,\"b\":\"z\"}\n{\"a\":2}\n";

    [Fact]
    public async Task Json_PermissiveWithCorruptColumn_KeepsRawLineAndConvertedFields()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", JsonLines);
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("a INT, b STRING, _corrupt_record STRING").Json(file).CollectAsync();
        var expected = new (int? A, string? B, string? Corrupt)[]
        {
            (1, "x", null),
            (null, "y", "{\"a\":\"abc\",\"b\":\"y\"}"),
            (null, null, "not json"),
            (null, "z", "{\"a\":1.5,\"b\":\"z\"}"),
            (2, null, null),
        };
        Assert.Equal(Sorted(expected), Sorted(rows.Select(r => (r.Get<int?>("a"), r.Get<string>("b"), r.Get<string>("_corrupt_record")))));
    }

    [Fact]
    public async Task Json_RecordLongerThanDuckDbsDefaultLineLimit_IsRead()
    {
        using var dir = new TempDirectory("embedded");
        var text = new string('x', 5 << 20); // 5 MiB: over DuckDB's default 2 MiB line limit, under the engine's 16 MiB.
        var file = Write(dir, "a.json", $"{{\"a\":1,\"b\":\"{text}\"}}\n{{\"a\":2,\"b\":\"y\"}}\n");
        await using var spark = await server.SessionAsync();

        var rows = await spark.Read.Schema("a INT, b STRING, _corrupt_record STRING").Json(file)
            .Select(Col("a"), Length(Col("b")).Alias("n"), Col("_corrupt_record")).OrderBy("a").CollectAsync();

        Assert.Equal([(1, text.Length), (2, 1)], rows.Select(r => (r.Get<int>("a"), r.Get<int>("n"))));
        Assert.All(rows, r => Assert.Null(r["_corrupt_record"]));
    }

    [Fact]
    public async Task Json_LineLongerThanTheEngineReads_FailsNamingTheLimit()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", $"{{\"b\":\"{new string('x', 17 << 20)}\"}}\n");
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Schema("b STRING, _corrupt_record STRING").Json(file).CollectAsync());

        Assert.Equal("LAKEHOUSE_EMBEDDED_LINE_TOO_LONG", e.ErrorClass);
        Assert.Contains("16 MiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_PermissiveCustomColumnName_UsesIt()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", "{\"a\":true}\n{\"a\":\"yes\"}\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("a BOOLEAN, bad STRING").Option("columnNameOfCorruptRecord", "bad").Json(file)
            .Filter(Col("bad").IsNotNull()).CollectAsync();
        var row = Assert.Single(rows);
        Assert.Null(row["a"]);
        Assert.Equal("{\"a\":\"yes\"}", row["bad"]);
    }

    [Fact]
    public async Task Json_PermissiveWithoutCorruptColumn_KeepsMalformedRowsWithNulls()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", JsonLines);
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Schema("a INT").Json(file);
        Assert.Equal(5, await df.CountAsync());
        Assert.Equal(2, await df.Filter(Col("a").IsNotNull()).CountAsync());
    }

    [Fact]
    public async Task Json_DropMalformed_KeepsOnlyWellFormedRecords()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", JsonLines);
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("a INT, b STRING").Option("mode", "DROPMALFORMED").Json(file).OrderBy(Col("a")).CollectAsync();
        Assert.Equal([(1, "x"), (2, null)], rows.Select(r => (r.Get<int>("a"), r.Get<string>("b"))));
    }

    [Fact]
    public async Task Json_FailFast_FailsWithMalformedRecordClass()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", JsonLines);
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Schema("a INT, b STRING").Option("mode", "FAILFAST").Json(file).CollectAsync());
        Assert.StartsWith("MALFORMED_RECORD_IN_PARSING", e.ErrorClass, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_InferredWithMalformedLines_AddsSortedCorruptColumn()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", "{\"b\":\"x\"}\noops\n{\"a\":1}\n");
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Json(file);
        var schema = await df.SchemaAsync();
        // Spark sorts inferred fields by name; '_' sorts before lower-case letters.
        Assert.Equal(["_corrupt_record", "a", "b"], schema.Struct.Fields.Select(f => f.Name));
        var rows = await df.OrderBy(Col("a"), Col("b")).CollectAsync();
        Assert.Equal(
            [("oops", null, null), (null, null, "x"), (null, 1L, null)],
            rows.Select(r => (r.Get<string>("_corrupt_record"), r.Get<long?>("a"), r.Get<string>("b"))));
    }

    [Fact]
    public async Task Json_TypesFollowJacksonRules_StringTakesAnyTokenIntegersNeedIntegerTokens()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", "{\"s\":5,\"l\":\"7\",\"d\":3}\n{\"s\":{\"k\":[1,2]},\"l\":9,\"d\":\"NaN\"}\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("s STRING, l BIGINT, d DOUBLE, _corrupt_record STRING").Json(file).CollectAsync();
        Assert.Equal("5", rows[0]["s"]);
        Assert.Null(rows[0]["l"]);
        Assert.Equal(3.0, rows[0]["d"]);
        Assert.NotNull(rows[0]["_corrupt_record"]);
        Assert.Equal("{\"k\":[1,2]}", rows[1]["s"]);
        Assert.Equal(9L, rows[1]["l"]);
        Assert.True(double.IsNaN(rows[1].Get<double>("d")));
        Assert.Null(rows[1]["_corrupt_record"]);
    }

    [Fact]
    public async Task Json_MultiLineArray_OneRowPerElement()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", "[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("a INT, _corrupt_record STRING").Option("multiLine", true).Json(file).OrderBy(Col("a")).CollectAsync();
        Assert.Equal([1, 2], rows.Select(r => r.Get<int>("a")));
        Assert.All(rows, r => Assert.Null(r["_corrupt_record"]));
    }

    [Fact]
    public async Task Json_NestedFields_AValueThatDoesNotFitNullsItsFieldAndMarksTheRecord()
    {
        using var dir = new TempDirectory("embedded");
        var ok = "{\"id\":1,\"items\":[{\"sku\":\"a\",\"qty\":2},{\"sku\":\"b\",\"qty\":null}],\"tags\":{\"x\":1}}";
        var badQty = "{\"id\":2,\"items\":[{\"sku\":\"c\",\"qty\":\"many\"}],\"tags\":{\"y\":2}}";
        var notArray = "{\"id\":3,\"items\":{\"sku\":\"d\"}}";
        var file = Write(dir, "a.json", string.Join("\n", ok, badQty, notArray) + "\n");
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Schema("id INT, items ARRAY<STRUCT<sku: STRING, qty: INT>>, tags MAP<STRING, INT>, _corrupt_record STRING").Json(file);
        var rows = await df.Select(Col("id"), CallFunction("size", Col("items")).Alias("n"), Col("items").GetItem(1).GetItem("sku").Alias("sku1"),
            Col("tags").GetItem("x").Alias("x"), Col("_corrupt_record")).OrderBy(Col("id")).CollectAsync();
        // size(NULL) is -1 in Spark's legacy default and NULL otherwise; only compare non-null sizes here.
        Assert.Equal((1, 2, "b", 1, (string?)null), (rows[0].Get<int>("id"), rows[0].Get<int>("n"), rows[0].Get<string>("sku1"), rows[0].Get<int>("x"), rows[0].Get<string>("_corrupt_record")));
        Assert.Equal((2, badQty), (rows[1].Get<int>("id"), rows[1].Get<string>("_corrupt_record")));
        Assert.Null(rows[1]["sku1"]);
        Assert.Equal((3, notArray), (rows[2].Get<int>("id"), rows[2].Get<string>("_corrupt_record")));
        Assert.Null(rows[2]["sku1"]);
        var itemsOfBad = await df.Filter(Col("id") == Lit(2)).Select(Col("items").IsNull().Alias("none"), Col("tags").GetItem("y").Alias("y")).CollectAsync();
        Assert.Equal((true, 2), (itemsOfBad[0].Get<bool>("none"), itemsOfBad[0].Get<int>("y")));
    }

    [Fact]
    public async Task Json_InferredNestedWithMalformedLines_StructSortedCorruptAdded()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", "{\"a\":{\"z\":1,\"b\":\"x\"}}\n{oops\n");
        await using var spark = await server.SessionAsync();
        var schema = await spark.Read.Json(file).SchemaAsync();
        Assert.Equal(["_corrupt_record", "a"], schema.Struct.Fields.Select(f => f.Name));
        Assert.Equal(["b", "z"], schema.Struct.Fields[1].DataType.Struct.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task Csv_PermissiveWithCorruptColumn_TypeErrorsAreMalformedTokenCountsAreNot()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.csv", "id,name\n1,x\nabc,y\n2\n3,\"q,r\",extra\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("id INT, name STRING, _corrupt_record STRING").Option("header", true).Csv(file).CollectAsync();
        var expected = new (int? Id, string? Name, string? Corrupt)[] { (1, "x", null), (null, "y", "abc,y"), (2, null, null), (3, "q,r", null) };
        Assert.Equal(Sorted(expected), Sorted(rows.Select(r => (r.Get<int?>("id"), r.Get<string>("name"), r.Get<string>("_corrupt_record")))));
    }

    [Fact]
    public async Task Csv_DecimalTokenForInt_IsMalformedNotRounded()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.csv", "1.5\n7\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Schema("n INT").Option("mode", "DROPMALFORMED").Csv(file).CollectAsync();
        Assert.Equal([7], rows.Select(r => r.Get<int>("n")));
    }

    [Fact]
    public async Task Csv_FailFast_FailsWithMalformedRecordClass()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.csv", "1\nx\n");
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Schema("n INT").Option("mode", "FAILFAST").Csv(file).CollectAsync());
        Assert.StartsWith("MALFORMED_RECORD_IN_PARSING", e.ErrorClass, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_QuotesAndEscapes_SparkDefaults()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.csv", ",a\n\"x,\\\"y\\\"\",\n");
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Csv(file).CollectAsync();
        Assert.Equal(["_c0", "_c1"], rows[0].Columns);
        Assert.Equal((null, "a"), (rows[0].Get<string>("_c0"), rows[0].Get<string>("_c1")));
        Assert.Equal(("x,\"y\"", null), (rows[1].Get<string>("_c0"), rows[1].Get<string>("_c1")));
    }

    [Fact]
    public async Task Read_CorruptColumnNotString_IsInvalidCorruptRecordType()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "a.json", "{}\n");
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Schema("a INT, _corrupt_record INT").Json(file).CollectAsync());
        Assert.Equal("INVALID_CORRUPT_RECORD_TYPE", e.ErrorClass);
    }

    private static List<T> Sorted<T>(IEnumerable<T> rows) => rows.OrderBy(r => r?.ToString(), StringComparer.Ordinal).ToList();

    private static string Write(TempDirectory dir, string name, string text)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
