using Lakehouse.Spark.Delta.Sql;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// Column → Spark SQL text for servers without Delta Connect. Expected literals follow the Spark SQL
/// reference ("Literals": typed suffixes Y/S/L/D/BD, X'…' binary, DATE/TIMESTAMP/TIMESTAMP_NTZ/INTERVAL
/// literals, backslash escapes in strings); the values are computed here independently of Literals.cs.
/// </summary>
public sealed class SqlRenderingTests
{
    public static TheoryData<object?, string> LiteralCases() => new()
    {
        { null, "NULL" },
        { true, "TRUE" },
        { (sbyte)-128, "-128Y" },
        { (short)300, "300S" },
        { 42, "42" },
        { long.MinValue, "-9223372036854775808L" },
        { 1.5, "1.5D" },
        { 1e20, "1E+20D" },
        { double.NaN, "CAST('NaN' AS DOUBLE)" },
        { double.NegativeInfinity, "CAST('-Infinity' AS DOUBLE)" },
        { 0.25f, "CAST('0.25' AS FLOAT)" },
        { 12.50m, "12.50BD" },
        { -0.05m, "-0.05BD" },
        { "it's", @"'it\'s'" },
        { "C:\\dir\nnext\ttab", @"'C:\\dir\nnext\ttab'" },
        { "\u0001", @"'\u0001'" },
        { "ünïcode", "'ünïcode'" },
        { new byte[] { 0xCA, 0xFE }, "X'CAFE'" },
        // 19 782 days after 1970-01-01.
        { new DateOnly(2024, 2, 29), "DATE '2024-02-29'" },
        { new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.FromHours(2)), "TIMESTAMP '2024-05-01 10:30:00.000000Z'" },
        { new DateTime(2024, 5, 1, 12, 30, 0, 123, DateTimeKind.Unspecified).AddTicks(4560), "TIMESTAMP_NTZ '2024-05-01 12:30:00.123456'" },
        { new TimeSpan(1, 2, 3, 4, 5), "INTERVAL '1 02:03:04.005000' DAY TO SECOND" },
        { -TimeSpan.FromSeconds(90), "INTERVAL '-0 00:01:30.000000' DAY TO SECOND" },
        { new[] { 1, 2 }, "ARRAY(1, 2)" },
        { new Dictionary<string, long> { ["a"] = 1 }, "MAP('a', 1L)" },
    };

    [Theory]
    [MemberData(nameof(LiteralCases))]
    public void Render_Literal_IsSparkSqlLiteral(object? value, string expected) =>
        Assert.Equal(expected, SqlExpressions.Unbound.Render(Lit(value)));

    [Fact]
    public void Render_TypedAndEmptyLiterals_CastToTheirType()
    {
        var typedNull = new Expression { Literal = new() { Null = new DataType { Decimal = new() { Precision = 18, Scale = 2 } } } };
        var emptyArray = new Expression { Literal = new() { Array = new() { ElementType = new DataType { String = new() } } } };
        var yearMonth = new Expression { Literal = new() { YearMonthInterval = -14 } };

        Assert.Equal("CAST(NULL AS DECIMAL(18,2))", SqlExpressions.Unbound.Render(typedNull));
        Assert.Equal("CAST(ARRAY() AS ARRAY<STRING>)", SqlExpressions.Unbound.Render(emptyArray));
        Assert.Equal("INTERVAL '-1-2' YEAR TO MONTH", SqlExpressions.Unbound.Render(yearMonth));
    }

    [Fact]
    public void Render_OperatorsAndFunctions_AreParenthesised()
    {
        var column = (Col("a") + 1) * 2 > Col("b") & !Col("c").IsNull() | Col("d").IsIn("x", "y");

        Assert.Equal("((((`a` + 1) * 2) > `b`) AND (NOT (`c` IS NULL))) OR (`d` IN ('x', 'y'))", Trim(SqlExpressions.Unbound.Render(column)));
    }

    [Fact]
    public void Render_NegationOfNegativeLiteral_NeverWritesACommentMarker()
    {
        var text = SqlExpressions.Unbound.Render(-Lit(-5));

        Assert.Equal("(- -5)", text);
        Assert.DoesNotContain("--", text);
    }

    [Fact]
    public void Render_CaseWhenCastAndAccess_UseSqlForms()
    {
        Assert.Equal("(CASE WHEN (`x` > 0) THEN 'pos' ELSE 'neg' END)", SqlExpressions.Unbound.Render(When(Col("x") > 0, "pos").Otherwise("neg")));
        Assert.Equal("CAST(`x` AS decimal(18,2))", SqlExpressions.Unbound.Render(Col("x").Cast("decimal(18,2)")));
        Assert.Equal("`m`['k']", SqlExpressions.Unbound.Render(Col("m").GetItem("k")));
        Assert.Equal("coalesce(`a`, 0)", SqlExpressions.Unbound.Render(Coalesce(Col("a"), Lit(0))));
        Assert.Equal("count(DISTINCT `a`)", SqlExpressions.Unbound.Render(CountDistinct(Col("a"))));
        Assert.Equal("(a + 1)", SqlExpressions.Unbound.Render(Expr("a + 1")));
        Assert.Equal("`t`.`id`", SqlExpressions.Unbound.Render(Col("t.id").Alias("id2")));
    }

    [Fact]
    public void Render_WindowExpression_ThrowsWithAdvice()
    {
        var column = RowNumber().Over(Window.OrderBy("id"));

        var error = Assert.Throws<ArgumentException>(() => SqlExpressions.Unbound.Render(column));

        Assert.Contains("Functions.Expr", error.Message);
    }

    [Fact]
    public void Render_ColumnOfAnotherDataFrame_Throws()
    {
        var spark = P.OfflineSession();
        var other = spark.Table("x");

        var error = Assert.Throws<ArgumentException>(() => SqlExpressions.Unbound.Render(other["id"]));

        Assert.Contains("neither the Delta table nor the merge source", error.Message);
    }

    [Theory]
    [InlineData("silver.orders", "`silver`.`orders`")]
    [InlineData("`my db`.`t.x`", "`my db`.`t.x`")]
    [InlineData("`a``b`", "`a``b`")]
    [InlineData("plain", "`plain`")]
    public void QuoteMultipart_Names_QuotesEveryPart(string name, string expected) =>
        Assert.Equal(expected, SqlIdentifiers.QuoteMultipart(name));

    [Theory]
    [InlineData("a..b")]
    [InlineData("`open")]
    [InlineData("a`b")]
    [InlineData("`a`b")]
    public void QuoteMultipart_Malformed_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => SqlIdentifiers.QuoteMultipart(name));

    private static string Trim(string text) => text.StartsWith('(') && text.EndsWith(')') ? text[1..^1] : text;
}
