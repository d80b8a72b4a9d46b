using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>Functions whose DuckDB counterparts differ from Spark's; expected values follow Spark's documented behaviour.</summary>
public sealed class FunctionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<object?> EvalAsync(SparkSession spark, Column c) =>
        (await spark.Range(0, 1).Select(c.Alias("v")).CollectAsync())[0]["v"];

    [Fact]
    public async Task Substring_SparkPositions_MatchSpark()
    {
        await using var spark = await server.SessionAsync();
        // Spark: substring('hello', 0, 2) = 'he' (0 acts as 1); negative positions count from the end.
        Assert.Equal("he", await EvalAsync(spark, Substring(Lit("hello"), 0, 2)));
        Assert.Equal("el", await EvalAsync(spark, Substring(Lit("hello"), 2, 2)));
        Assert.Equal("ll", await EvalAsync(spark, Substring(Lit("hello"), -3, 2)));
        Assert.Equal("", await EvalAsync(spark, Substring(Lit("hello"), 2, 0)));
    }

    [Fact]
    public async Task Division_Integers_IsDouble()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(3.5, await EvalAsync(spark, Lit(7) / Lit(2)));
        // Spark's div truncates toward zero and returns bigint.
        Assert.Equal(3L, await EvalAsync(spark, CallFunction("div", Lit(7), Lit(2))));
        Assert.Equal(-3L, await EvalAsync(spark, CallFunction("div", Lit(-7), Lit(2))));
        Assert.Equal(3L, Convert.ToInt64(await EvalAsync(spark, Expr("7 div 2")), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Concat_WithNull_IsNull_ConcatWs_SkipsNull()
    {
        await using var spark = await server.SessionAsync();
        Assert.Null(await EvalAsync(spark, Concat(Lit("a"), Lit(null).Cast("string"))));
        Assert.Equal("a-b", await EvalAsync(spark, ConcatWs("-", Lit("a"), Lit(null).Cast("string"), Lit("b"))));
    }

    [Fact]
    public async Task StringFunctions_ReturnSparkResults()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal("abc", await EvalAsync(spark, Trim(Lit("  abc "))));
        Assert.Equal("ABC", await EvalAsync(spark, Upper(Lit("abc"))));
        Assert.Equal(3, await EvalAsync(spark, Length(Lit("abc"))));
        Assert.Equal("a-X-X", await EvalAsync(spark, RegexpReplace(Lit("a-1-22"), "[0-9]+", "X")));
        Assert.Equal("22", await EvalAsync(spark, RegexpExtract(Lit("a-1-22"), "([0-9]+)$", 1)));
        Assert.Equal("b-a", await EvalAsync(spark, RegexpReplace(Lit("a-b"), "(\\w)-(\\w)", "$2-$1")));
        var split = (object?[])(await EvalAsync(spark, Split(Lit("a,b,,c"), ",")))!;
        Assert.Equal(["a", "b", "", "c"], split);
    }

    [Fact]
    public async Task WhenOtherwiseIsInLikeRLike_Evaluate()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.Range(0, 4)
            .Select(
                Col("id"),
                When(Col("id") == 0, "zero").When(Col("id") == 1, "one").Otherwise("many").Alias("w"),
                Col("id").IsIn(1, 3).Alias("in"),
                Lit("apple").Like("a%").Alias("like"),
                Lit("apple").RLike("pl+").Alias("rlike"))
            .OrderBy(Col("id")).CollectAsync();
        Assert.Equal(["zero", "one", "many", "many"], rows.Select(r => r.Get<string>("w")));
        Assert.Equal([false, true, false, true], rows.Select(r => r.Get<bool>("in")));
        Assert.True(rows[0].Get<bool>("like"));
        Assert.True(rows[0].Get<bool>("rlike"));
    }

    [Fact]
    public async Task DayOfWeekAndLikeEscape_FollowSpark()
    {
        await using var spark = await server.SessionAsync();
        // Spark docs (dayofweek): 1 = Sunday … 7 = Saturday. 2024-01-07 was a Sunday, 2024-01-13 a Saturday.
        Assert.Equal(1, await EvalAsync(spark, CallFunction("dayofweek", ToDate(Lit("2024-01-07")))));
        Assert.Equal(7, await EvalAsync(spark, CallFunction("dayofweek", ToDate(Lit("2024-01-13")))));
        // Spark's LIKE escapes with a backslash by default (SPARK-28083): "\_" is a literal underscore.
        Assert.Equal(true, await EvalAsync(spark, Lit("a_b").Like("a\\_b")));
        Assert.Equal(false, await EvalAsync(spark, Lit("axb").Like("a\\_b")));
    }

    [Fact]
    public async Task DateFunctions_ReturnSparkResults()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(new DateOnly(2024, 3, 1), await EvalAsync(spark, DateAdd(ToDate(Lit("2024-02-29")), 1)));
        Assert.Equal(10, await EvalAsync(spark, DateDiff(ToDate(Lit("2024-01-11")), ToDate(Lit("2024-01-01")))));
        Assert.Equal("2024/01/05 13:04", await EvalAsync(spark, DateFormat(ToTimestamp(Lit("2024-01-05 13:04:05")), "yyyy/MM/dd HH:mm")));
        Assert.Equal(2024, await EvalAsync(spark, Year(ToDate(Lit("2024-07-01")))));
        Assert.Equal(7, await EvalAsync(spark, Month(ToDate(Lit("2024-07-01")))));
        Assert.Equal(13, await EvalAsync(spark, Hour(ToTimestamp(Lit("2024-01-05 13:04:05")))));
        Assert.Equal(new DateOnly(2024, 1, 31), await EvalAsync(spark, ToDate(Lit("31/01/2024"), "dd/MM/yyyy")));
        var ts = await EvalAsync(spark, ToTimestamp(Lit("2024-01-05 13:04:05")));
        Assert.Equal(new DateTimeOffset(2024, 1, 5, 13, 4, 5, TimeSpan.Zero), ts);
    }

    [Fact]
    public async Task Hashing_Md5Sha2_MatchIndependentDigests()
    {
        await using var spark = await server.SessionAsync();
        var expectedMd5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("abc"u8));
        var expectedSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("abc"u8));
        Assert.Equal(expectedMd5, await EvalAsync(spark, Md5(Lit("abc"))));
        Assert.Equal(expectedSha, await EvalAsync(spark, Sha2(Lit("abc"), 256)));
    }

    [Fact]
    public async Task NullHandling_CoalesceNvl_PickFirstNonNull()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal("x", await EvalAsync(spark, Coalesce(Lit(null).Cast("string"), Lit("x"), Lit("y"))));
        Assert.Equal("y", await EvalAsync(spark, Nvl(Lit(null).Cast("string"), Lit("y"))));
    }

    [Fact]
    public async Task WindowFunctions_RankingAndLagAndRunningSum()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 6).Select((Col("id") % 2).Alias("k"), (Col("id") / 2).Cast("long").Alias("v"));
        var w = Window.PartitionBy("k").OrderBy("v");
        var rows = await df.Select(
                Col("k"), Col("v"),
                RowNumber().Over(w).Alias("rn"),
                Rank().Over(w).Alias("rk"),
                Lag(Col("v"), 1).Over(w).Alias("prev"),
                Sum(Col("v")).Over(w.RowsBetween(Window.UnboundedPreceding, Window.CurrentRow)).Alias("running"))
            .OrderBy(Col("k"), Col("v")).CollectAsync();
        // k=0 rows have v = 0,1,2 (ids 0,2,4 / 2); k=1 rows have v = 0,1,2 (ids 1,3,5 / 2 truncated).
        Assert.Equal([1, 2, 3, 1, 2, 3], rows.Select(r => r.Get<int>("rn")));
        Assert.Null(rows[0]["prev"]);
        Assert.Equal(0L, rows[1]["prev"]);
        Assert.Equal([0L, 1L, 3L, 0L, 1L, 3L], rows.Select(r => r.Get<long>("running")));
    }

    [Fact]
    public async Task Aggregates_CountDistinctCollectListFirst()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 6).Select((Col("id") % 3).Alias("m"));
        var row = (await df.Agg(CountDistinct(Col("m")).Alias("d"), Max(Col("m")).Alias("mx"), Min(Col("m")).Alias("mn"), ApproxCountDistinct(Col("m")).Alias("a")).CollectAsync())[0];
        Assert.Equal(3L, row["d"]);
        Assert.Equal(2L, row["mx"]);
        Assert.Equal(0L, row["mn"]);
        Assert.Equal(3L, row["a"]);
        var list = (object?[])(await df.Filter(Col("m") == 1).Agg(CollectList(Col("m")).Alias("l")).CollectAsync())[0]["l"]!;
        Assert.Equal([1L, 1L], list);
    }

    [Fact]
    public async Task Cast_StringToInt_AnsiFailsWithSparkClass()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(42, await EvalAsync(spark, Lit("42").Cast("int")));
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => EvalAsync(spark, Lit("x").Cast("int")));
        Assert.Equal("CAST_INVALID_INPUT", e.ErrorClass);
    }
}
