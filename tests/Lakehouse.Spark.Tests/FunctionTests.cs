using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;
using static Lakehouse.Spark.Tests.P;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// Each function sends Spark's SQL function name with PySpark's argument shape
/// (python/pyspark/sql/connect/functions.py: non-column parameters become literals).
/// </summary>
public sealed class FunctionTests
{
    public static TheoryData<string, Column, Expression> Cases() => new()
    {
        { "trim", Trim(Col("s")), Fn("trim", Attr("s")) },
        { "lower", Lower(Col("s")), Fn("lower", Attr("s")) },
        { "upper", Upper(Col("s")), Fn("upper", Attr("s")) },
        { "concat", Concat(Col("a"), Col("b")), Fn("concat", Attr("a"), Attr("b")) },
        { "concat_ws", ConcatWs("-", Col("a"), Col("b")), Fn("concat_ws", Str("-"), Attr("a"), Attr("b")) },
        { "substring", Substring(Col("s"), 2, 3), Fn("substring", Attr("s"), Int(2), Int(3)) },
        { "regexp_replace", RegexpReplace(Col("s"), "a+", "b"), Fn("regexp_replace", Attr("s"), Str("a+"), Str("b")) },
        { "regexp_extract", RegexpExtract(Col("s"), "(a)", 1), Fn("regexp_extract", Attr("s"), Str("(a)"), Int(1)) },
        { "split", Split(Col("s"), ","), Fn("split", Attr("s"), Str(","), Int(-1)) },
        { "length", Length(Col("s")), Fn("length", Attr("s")) },
        { "current_timestamp", CurrentTimestamp(), Fn("current_timestamp") },
        { "current_date", CurrentDate(), Fn("current_date") },
        { "to_timestamp", ToTimestamp(Col("s")), Fn("to_timestamp", Attr("s")) },
        { "to_timestamp fmt", ToTimestamp(Col("s"), "yyyy-MM-dd"), Fn("to_timestamp", Attr("s"), Str("yyyy-MM-dd")) },
        { "to_date fmt", ToDate(Col("s"), "dd/MM/yyyy"), Fn("to_date", Attr("s"), Str("dd/MM/yyyy")) },
        { "date_format", DateFormat(Col("d"), "yyyy"), Fn("date_format", Attr("d"), Str("yyyy")) },
        { "datediff", DateDiff(Col("e"), Col("s")), Fn("datediff", Attr("e"), Attr("s")) },
        { "date_add", DateAdd(Col("d"), 7), Fn("date_add", Attr("d"), Int(7)) },
        { "date_trunc", DateTrunc("month", Col("ts")), Fn("date_trunc", Str("month"), Attr("ts")) },
        { "year", Year(Col("d")), Fn("year", Attr("d")) },
        { "month", Month(Col("d")), Fn("month", Attr("d")) },
        { "dayofmonth", DayOfMonth(Col("d")), Fn("dayofmonth", Attr("d")) },
        { "hour", Hour(Col("ts")), Fn("hour", Attr("ts")) },
        { "coalesce", Coalesce(Col("a"), Lit(0)), Fn("coalesce", Attr("a"), Int(0)) },
        { "nvl", Nvl(Col("a"), Col("b")), Fn("nvl", Attr("a"), Attr("b")) },
        { "sha2", Sha2(Col("s"), 256), Fn("sha2", Attr("s"), Int(256)) },
        { "md5", Md5(Col("s")), Fn("md5", Attr("s")) },
        { "hash", Hash(Col("a"), Col("b")), Fn("hash", Attr("a"), Attr("b")) },
        { "count", Count(Col("a")), Fn("count", Attr("a")) },
        { "count star", Count("*"), Fn("count", new Expression { UnresolvedStar = new() }) },
        { "sum", Sum(Col("v")), Fn("sum", Attr("v")) },
        { "avg", Avg(Col("v")), Fn("avg", Attr("v")) },
        { "min", Min(Col("v")), Fn("min", Attr("v")) },
        { "max", Max(Col("v")), Fn("max", Attr("v")) },
        { "first", First(Col("v")), Fn("first", Attr("v"), new Expression { Literal = new() { Boolean = false } }) },
        { "last ignore nulls", Last(Col("v"), ignoreNulls: true), Fn("last", Attr("v"), new Expression { Literal = new() { Boolean = true } }) },
        { "collect_list", CollectList(Col("v")), Fn("collect_list", Attr("v")) },
        { "approx_count_distinct", ApproxCountDistinct(Col("v")), Fn("approx_count_distinct", Attr("v")) },
        { "row_number", RowNumber(), Fn("row_number") },
        { "rank", Rank(), Fn("rank") },
        { "dense_rank", DenseRank(), Fn("dense_rank") },
        { "lag", Lag(Col("v")), Fn("lag", Attr("v"), Int(1), new Expression { Literal = new() { Null = new DataType { Null = new() } } }) },
        { "lead default", Lead(Col("v"), 2, 0), Fn("lead", Attr("v"), Int(2), Int(0)) },
        { "like", Col("s").Like("a%"), Fn("like", Attr("s"), Str("a%")) },
        { "rlike", Col("s").RLike("^a"), Fn("rlike", Attr("s"), Str("^a")) },
        { "isnull", Col("s").IsNull(), Fn("isnull", Attr("s")) },
        { "negative", -Col("v"), Fn("negative", Attr("v")) },
        { "between", Col("v").Between(1, 2), Fn("and", Fn(">=", Attr("v"), Int(1)), Fn("<=", Attr("v"), Int(2))) },
        { "eqNullSafe", Col("a").EqNullSafe(Col("b")), Fn("<=>", Attr("a"), Attr("b")) },
        { "modulo", Col("a") % 2, Fn("%", Attr("a"), Int(2)) },
        { "or not", Col("a") | !Col("b"), Fn("or", Attr("a"), Fn("not", Attr("b"))) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Function_BuildsSparkNameAndArguments(string name, Column column, Expression expected)
    {
        Assert.True(expected.Equals(column.Expression), $"{name}: expected {expected}, got {column.Expression}");
    }

    [Fact]
    public void Cast_UsesDdlTypeString()
    {
        var cast = Col("a").Cast("decimal(18,2)").Expression.Cast;

        Assert.Equal(Attr("a"), cast.Expr);
        Assert.Equal("decimal(18,2)", cast.TypeStr);
    }

    [Fact]
    public void CountDistinct_SetsIsDistinct()
    {
        var f = CountDistinct(Col("a"), Col("b")).Expression.UnresolvedFunction;

        Assert.Equal("count", f.FunctionName);
        Assert.True(f.IsDistinct);
        Assert.Equal([Attr("a"), Attr("b")], f.Arguments);
    }

    [Fact]
    public void Otherwise_Twice_IsRejected()
    {
        var column = When(Col("a") > 1, 1).Otherwise(0);

        Assert.Throws<InvalidOperationException>(() => column.Otherwise(2));
        Assert.Throws<InvalidOperationException>(() => Col("a").Otherwise(2));
    }

    [Fact]
    public void Star_WithTarget_IsQualifiedStar()
    {
        Assert.Equal("o.*", Col("o.*").Expression.UnresolvedStar.UnparsedTarget);
        Assert.False(Col("*").Expression.UnresolvedStar.HasUnparsedTarget);
    }
}
