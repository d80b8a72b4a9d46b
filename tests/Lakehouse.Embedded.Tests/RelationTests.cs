using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>DataFrame operations through the client against the real server; expected values are computed by hand from the inputs.</summary>
public sealed class RelationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private sealed record Person(long Id, string? Name, string? Dept, double? Salary);

    private sealed record DeptRow(string Dept, string Floor);

    private static readonly Person[] People =
    [
        new(1, "ann", "eng", 100.0),
        new(2, "bob", "eng", 80.0),
        new(3, "cy", "ops", null),
        new(4, null, null, 50.0),
    ];

    [Fact]
    public async Task CreateDataFrame_Records_RoundTripsValuesAndNulls()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.CreateDataFrame(People).OrderBy(Col("Id")).CollectAsync();
        Assert.Equal(4, rows.Count);
        Assert.Equal("ann", rows[0].Get<string>("Name"));
        Assert.Null(rows[3]["Name"]);
        Assert.Null(rows[2]["Salary"]);
        Assert.Equal(50.0, rows[3].Get<double>("Salary"));
    }

    [Fact]
    public async Task OrderBy_AscendingAndDescending_UsesSparkNullOrdering()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.CreateDataFrame(People);
        var asc = await df.OrderBy(Col("Salary").Asc()).Select("Id").CollectAsync();
        var desc = await df.OrderBy(Col("Salary").Desc()).Select("Id").CollectAsync();
        // Spark: ASC puts nulls first, DESC puts nulls last.
        Assert.Equal([3L, 4L, 2L, 1L], asc.Select(r => r.Get<long>(0)));
        Assert.Equal([1L, 2L, 4L, 3L], desc.Select(r => r.Get<long>(0)));
    }

    [Fact]
    public async Task GroupByAgg_SumCountAvg_ReturnsSparkTypes()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 10).WithColumn("k", Col("id") % 2);
        var rows = await df.GroupBy("k").Agg(Sum(Col("id")).Alias("s"), Count(Col("id")).Alias("c"), Avg(Col("id")).Alias("a")).OrderBy(Col("k")).CollectAsync();
        Assert.Equal(0L, rows[0].Get<long>("k"));
        Assert.Equal(0L + 2 + 4 + 6 + 8, rows[0]["s"]);
        Assert.Equal(5L, rows[0]["c"]);
        Assert.Equal(5.0, rows[1]["a"]);
        var schema = await df.GroupBy("k").Agg(Sum(Col("id")).Alias("s")).SchemaAsync();
        Assert.Equal(Lakehouse.Spark.Protos.DataType.KindOneofCase.Long, schema.Struct.Fields[1].DataType.KindCase);
    }

    [Theory]
    [InlineData("inner", new long[] { 1, 2, 3 })]
    [InlineData("left", new long[] { 1, 2, 3, 4 })]
    [InlineData("left_semi", new long[] { 1, 2, 3 })]
    [InlineData("left_anti", new long[] { 4 })]
    public async Task Join_UsingColumn_KeepsSparkRowsPerType(string how, long[] expectedIds)
    {
        await using var spark = await server.SessionAsync();
        var people = spark.CreateDataFrame(People);
        var depts = spark.CreateDataFrame(new[] { new DeptRow("eng", "1"), new DeptRow("ops", "2"), new DeptRow("hr", "3") });
        var rows = await people.Join(depts, "Dept", how).OrderBy(Col("Id")).CollectAsync();
        Assert.Equal(expectedIds, rows.Select(r => r.Get<long>("Id")));
        if (how is "inner" or "left")
        {
            // Spark puts the USING column first.
            Assert.Equal("Dept", rows[0].Columns[0]);
        }
    }

    private sealed record Side(long? Id, long? V, long N);

    [Theory]
    [InlineData("left_semi", new long[] { 1, 2, 4 })]
    [InlineData("left_anti", new long[] { 3, 5 })]
    public async Task Join_SemiOrAntiWithNonComparisonCondition_KeepsLeftRowsByAnyMatch(string how, long[] expectedRows)
    {
        await using var spark = await server.SessionAsync();
        // Left rows are numbered by N (row 5 has a NULL key); both sides have the same column names.
        var left = spark.CreateDataFrame(new[] { new Side(1, 10, 1), new Side(2, 20, 2), new Side(3, null, 3), new Side(4, 40, 4), new Side(null, 50, 5) });
        var right = spark.CreateDataFrame(new[] { new Side(1, 5, 0), new Side(1, 15, 0), new Side(2, 25, 0), new Side(2, 30, 0), new Side(3, 1, 0), new Side(4, null, 0) });
        // Row 1 matches (1,15) only; row 2 matches twice and is kept once; row 3: NULL < 1 is NULL, not a match;
        // row 4: the OR's right side is TRUE; row 5: a NULL key matches nothing.
        var on = (Col("l.Id") == Col("r.Id")) & ((Col("l.V") < Col("r.V")) | Col("r.V").IsNull());
        var rows = await left.Alias("l").Join(right.Alias("r"), on, how).OrderBy(Col("N")).CollectAsync();
        Assert.Equal(expectedRows, rows.Select(r => r.Get<long>("N")));
        Assert.Equal(["Id", "V", "N"], rows[0].Columns);
    }

    [Fact]
    public async Task Join_FullOuterUsing_CoalescesKey()
    {
        await using var spark = await server.SessionAsync();
        var people = spark.CreateDataFrame(People).Filter(Col("Dept").IsNotNull());
        var depts = spark.CreateDataFrame(new[] { new DeptRow("eng", "1"), new DeptRow("hr", "3") });
        var rows = await people.Join(depts, "Dept", "full").OrderBy(Col("Dept"), Col("Id")).Select("Dept", "Id", "Floor").CollectAsync();
        Assert.Equal(["eng", "eng", "hr", "ops"], rows.Select(r => r.Get<string>("Dept")));
        Assert.Null(rows[2]["Id"]);
        Assert.Null(rows[3]["Floor"]);
    }

    [Fact]
    public async Task Join_OnConditionWithDuplicateNames_ResolvesByDataFrame()
    {
        await using var spark = await server.SessionAsync();
        var a = spark.Range(0, 3);
        var b = spark.Range(1, 4);
        var joined = a.Join(b, a["id"] == b["id"]);
        var rows = await joined.Select(a["id"].Alias("left_id"), b["id"].Alias("right_id")).OrderBy(Col("left_id")).CollectAsync();
        Assert.Equal([1L, 2L], rows.Select(r => r.Get<long>("left_id")));
        Assert.Equal([1L, 2L], rows.Select(r => r.Get<long>("right_id")));
        var all = await joined.CollectAsync();
        Assert.Equal(["id", "id"], all[0].Columns);
    }

    [Fact]
    public async Task WithColumnRenamedDrop_ChangeColumnsInPlace()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 2).WithColumn("x", Col("id") + 10).WithColumn("id", Col("id") * 100).WithColumnRenamed("x", "y").Drop("nope");
        var rows = await df.CollectAsync();
        Assert.Equal(["id", "y"], rows[0].Columns);
        Assert.Equal([0L, 100L], rows.Select(r => r.Get<long>("id")));
        Assert.Equal([10L, 11L], rows.Select(r => r.Get<long>("y")));
        var dropped = await df.Drop("ID").CollectAsync();
        Assert.Equal(["y"], dropped[0].Columns);
    }

    [Fact]
    public async Task LimitOffsetDistinctDropDuplicates_ReturnExpectedRows()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 10).Select((Col("id") % 3).Alias("m"), Col("id"));
        Assert.Equal(3, await df.Select("m").Distinct().CountAsync());
        Assert.Equal(3, (await df.DropDuplicates("m").CollectAsync()).Count);
        var limited = await df.OrderBy(Col("id")).Limit(2).CollectAsync();
        Assert.Equal([0L, 1L], limited.Select(r => r.Get<long>("id")));
    }

    [Fact]
    public async Task UnionAndUnionByName_MatchPositionAndNames()
    {
        await using var spark = await server.SessionAsync();
        var a = spark.Range(0, 2).Select(Col("id").Alias("a"), Lit("x").Alias("b"));
        var b = spark.Range(5, 6).Select(Lit("y").Alias("b"), Col("id").Alias("a"));
        var byName = await a.UnionByName(b).OrderBy(Col("a")).CollectAsync();
        Assert.Equal([0L, 1L, 5L], byName.Select(r => r.Get<long>("a")));
        Assert.Equal(["x", "x", "y"], byName.Select(r => r.Get<string>("b")));
        var positional = await a.Union(a).CountAsync();
        Assert.Equal(4, positional);
    }

    [Fact]
    public async Task Sql_OverTempView_ReturnsRows()
    {
        await using var spark = await server.SessionAsync();
        await spark.CreateDataFrame(People).CreateOrReplaceTempViewAsync("people");
        var df = await spark.SqlAsync("SELECT Dept, count(*) AS n FROM people WHERE Dept IS NOT NULL GROUP BY Dept ORDER BY Dept");
        var rows = await df.CollectAsync();
        Assert.Equal(["eng", "ops"], rows.Select(r => r.Get<string>("Dept")));
        Assert.Equal([2L, 1L], rows.Select(r => r.Get<long>("n")));
    }

    [Fact]
    public async Task ShowString_FormatsLikeSpark()
    {
        await using var spark = await server.SessionAsync();
        var text = await spark.CreateDataFrame(People).Select("Id", "Name").OrderBy(Col("Id")).ShowStringAsync(rows: 2);
        var expected = "+---+----+\n| Id|Name|\n+---+----+\n|  1| ann|\n|  2| bob|\n+---+----+\nonly showing top 2 rows\n";
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task SelectExpr_SqlExpressions_Evaluate()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.Range(1, 3).SelectExpr("id * 2 AS doubled", "`id` + 1").CollectAsync();
        Assert.Equal(["doubled", "`id` + 1"], rows[0].Columns);
        Assert.Equal([2L, 4L], rows.Select(r => r.Get<long>(0)));
    }

    [Fact]
    public async Task EmptyResult_StillReturnsSchema()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.Range(0, 3).Filter(Col("id") > 10).CollectAsync();
        Assert.Empty(rows);
        Assert.Equal(0, await spark.Range(0, 3).Filter(Col("id") > 10).CountAsync());
    }
}
