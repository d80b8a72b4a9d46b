using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// CSV lines are split into fields as Spark's parser splits them (docs "CSV Files": <c>sep</c>, <c>quote</c>,
/// <c>escape</c>, <c>nullValue</c>), whether the line has quotes (tokenized) or not (split at each separator).
/// </summary>
public sealed class CsvTokenizingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Csv_LinesWithAndWithoutQuotes_FieldsAsSparkSplitsThem()
    {
        using var dir = new TempDirectory("embedded");
        // Empty fields are nullValue (default ""), so null; missing trailing fields are null; the escape only acts
        // inside quotes; a separator inside quotes is text.
        var file = Write(dir, "a,,c,\n\"x,1\",y,z\n\"p\\\"q\",r,\ns\\t,u\n");
        await using var spark = await server.SessionAsync();

        var rows = await spark.Read.Schema("c0 STRING, c1 STRING, c2 STRING, c3 STRING").Csv(file).OrderBy(Col("c0")).CollectAsync();

        Assert.Equal(
            [("a", null, "c", null), ("p\"q", "r", null, null), ("s\\t", "u", null, null), ("x,1", "y", "z", null)],
            rows.Select(r => (r.Get<string>("c0"), r.Get<string>("c1"), r.Get<string>("c2"), r.Get<string>("c3"))));
    }

    [Fact]
    public async Task Csv_QuotingOffAndTabSeparator_QuotesAreTextAndTabsSplit()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "\"a\t b\"\t\n1\t2\n");
        await using var spark = await server.SessionAsync();

        var rows = await spark.Read.Schema("c0 STRING, c1 STRING").Option("sep", "\\t").Option("quote", "").Csv(file).OrderBy(Col("c0")).CollectAsync();

        Assert.Equal([("\"a", " b\""), ("1", "2")], rows.Select(r => (r.Get<string>("c0"), r.Get<string>("c1"))));
    }

    [Fact]
    public async Task Csv_TypedFieldsOnSplitLines_MalformedValuesRescued()
    {
        using var dir = new TempDirectory("embedded");
        var file = Write(dir, "1,true,2026-01-02\nx,true,2026-01-02\n3,maybe,\n");
        await using var spark = await server.SessionAsync();

        var rows = await spark.Read.Schema("n INT, b BOOLEAN, d DATE, _corrupt_record STRING").Csv(file).OrderBy(Col("_corrupt_record")).CollectAsync();

        Assert.Equal(
            [(1, (bool?)true, (DateOnly?)new DateOnly(2026, 1, 2), (string?)null), (3, null, null, "3,maybe,"), (null, true, new DateOnly(2026, 1, 2), "x,true,2026-01-02")],
            rows.Select(r => (r.Get<int?>("n"), r.Get<bool?>("b"), r.Get<DateOnly?>("d"), r.Get<string>("_corrupt_record"))));
    }

    private static string Write(TempDirectory dir, string text)
    {
        var path = dir.Combine("a.csv");
        File.WriteAllText(path, text);
        return path;
    }
}
