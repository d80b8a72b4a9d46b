using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// JSON lines of every shape a PERMISSIVE read meets: an object line is parsed on the engine's fast path, anything
/// else (arrays, scalars, leading blanks, invalid text) on the general one; both must give Spark's rows. Expected rows
/// follow Spark's docs (JSON Files, option <c>mode</c>) and Jackson's rules for converting tokens.
/// </summary>
public sealed class JsonRecordShapeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Schema = "s STRING, n INT, t STRING, _corrupt_record STRING";

    [Fact]
    public async Task Json_StringAndTypedFieldsInterleaved_EachFieldGetsItsOwnValue()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "{\"t\":\"third\",\"n\":2,\"s\":\"first\"}\n{\"s\":\"x\",\"n\":\"7\",\"t\":true}\n");
        await using var spark = await server.SessionAsync();

        var rows = await Read(spark, file);

        Assert.Equal(("first", 2, "third", (string?)null), rows[0]);
        // "7" is a string token: an int field does not take it (Jackson), so only n is null and the record is rescued;
        // true is any token for a string field, kept as its JSON text.
        Assert.Equal(("x", (int?)null, "true", "{\"s\":\"x\",\"n\":\"7\",\"t\":true}"), rows[1]);
    }

    [Fact]
    public async Task Json_ArrayLine_OneRecordPerElementAndANonObjectElementIsMalformedWithTheWholeLine()
    {
        using var dir = new TempDirectory("embedded");
        const string mixed = "[{\"s\":\"c\",\"n\":3}, 5]";
        var file = Write(dir, "[{\"s\":\"a\",\"n\":1},{\"s\":\"b\",\"n\":2}]\n" + mixed + "\n");
        await using var spark = await server.SessionAsync();

        var rows = await Read(spark, file);

        Assert.Equal(
            [(null, null, null, mixed), ("a", 1, null, null), ("b", 2, null, null), ("c", 3, null, null)],
            rows);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{\"s\":\"cut")]
    [InlineData("not json")]
    public async Task Json_LineThatIsNotAnObject_IsMalformedWithItsText(string line)
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "{\"s\":\"ok\",\"n\":1}\n" + line + "\n");
        await using var spark = await server.SessionAsync();

        var rows = await Read(spark, file);

        Assert.Equal([(null, null, null, line), ("ok", 1, null, null)], rows);
    }

    [Fact]
    public async Task Json_BlankLinesLeadingBlanksCrLfAndByteOrderMark_ReadAsSparkReadsLines()
    {
        using var dir = new TempDirectory("embedded");
        var path = dir.Combine("a.json");
        // A UTF-8 byte order mark, CRLF line ends, blank and whitespace-only lines (skipped), an indented object (a record).
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("{\"s\":\"a\",\"n\":1}\r\n\r\n \t \r\n  {\"s\":\"b\",\"n\":2}\r\noops\r\n\n")]);
        await using var spark = await server.SessionAsync();

        var rows = await Read(spark, path);

        Assert.Equal([(null, null, null, "oops"), ("a", 1, null, null), ("b", 2, null, null)], rows);
    }

    [Fact]
    public async Task Json_NestedValuesAndNumbersForStringFields_KeptAsCompactJsonText()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "{\"s\": { \"k\" : [1, 2.50, \"x\"] }, \"n\": 1, \"t\": 1.50}\n{\"s\":null,\"n\":null,\"t\":[]}\n");
        await using var spark = await server.SessionAsync();

        var rows = await Read(spark, file);

        // Spark copies a non-string token through Jackson's generator: objects and arrays compact, a float as a Java double.
        Assert.Equal([(null, null, "[]", null), ("{\"k\":[1,2.5,\"x\"]}", 1, "1.5", null)], rows);
    }

    [Fact]
    public async Task Json_MemberNamesWithPointerCharacters_AreMatchedExactly()
    {
        using var dir = new TempDirectory("embedded");
        // Decoys: a nested a.b (what an unescaped pointer /a/b would reach), other case, the escaped spelling itself.
        var file = Write(dir, "{\"a\":{\"b\":\"nested\"},\"A/B\":\"other case\",\"c~0d\":\"escaped\",\"a/b\":\"slash\",\"c~d\":\"tilde\",\"~1\":\"both\"}\n");
        await using var spark = await server.SessionAsync();

        var rows = await spark.Read.Schema("`a/b` STRING, `c~d` STRING, `~1` STRING, _corrupt_record STRING").Json(file).CollectAsync();

        var row = Assert.Single(rows);
        Assert.Equal(("slash", "tilde", "both", (string?)null), (row.Get<string>(0), row.Get<string>(1), row.Get<string>(2), row.Get<string>(3)));
    }

    [Fact]
    public async Task Json_DuplicateKeys_AnObjectLineReadsAsTheSameObjectInsideAnArray()
    {
        using var dir = new TempDirectory("embedded");
        const string record = "{\"s\":\"first\",\"n\":1,\"s\":\"second\",\"n\":2}";
        var alone = Write(dir, record + "\n", "alone.json");
        var inArray = Write(dir, "[" + record + "]\n", "array.json");
        await using var spark = await server.SessionAsync();

        var fast = await Read(spark, alone);
        var general = await Read(spark, inArray);

        // Which duplicate wins is the engine's JSON reader's choice (docs/embedded-engine.md); both paths must agree.
        Assert.Equal(general, fast);
        Assert.Null(Assert.Single(fast).Corrupt);
    }

    [Fact]
    public async Task Json_DropMalformedAndFailFast_ApplyToArraysAndScalarsToo()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "[{\"s\":\"a\",\"n\":1}, 2]\n{\"s\":\"b\",\"n\":\"x\"}\n{\"s\":\"c\",\"n\":3}\n");
        await using var spark = await server.SessionAsync();

        var kept = await spark.Read.Schema("s STRING, n INT").Option("mode", "DROPMALFORMED").Json(file).OrderBy(Col("s")).CollectAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Schema("s STRING, n INT").Option("mode", "FAILFAST").Json(file).CollectAsync());

        Assert.Equal([("a", 1), ("c", 3)], kept.Select(r => (r.Get<string>("s"), r.Get<int>("n"))));
        Assert.StartsWith("MALFORMED_RECORD_IN_PARSING", e.ErrorClass, StringComparison.Ordinal);
    }

    private static async Task<List<(string? S, int? N, string? T, string? Corrupt)>> Read(SparkSession spark, string file)
    {
        var rows = await spark.Read.Schema(Schema).Json(file).OrderBy(Col("s"), Col("_corrupt_record")).CollectAsync();
        return rows.Select(r => (r.Get<string>("s"), r.Get<int?>("n"), r.Get<string>("t"), r.Get<string>("_corrupt_record"))).ToList();
    }

    private static string Write(TempDirectory dir, string text, string name = "a.json")
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
