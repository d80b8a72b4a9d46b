using Lakehouse.Delta.Expressions;

namespace Lakehouse.Delta.Tests.Expressions;

public class PredicateParserTests
{
    private static readonly ColumnRef A = new("a");

    [Fact]
    public void Parse_ComparisonWithInteger_GivesLongLiteral() =>
        Assert.Equal(new Comparison(A, ComparisonOperator.GreaterThan, new Literal(-1L)), PredicateParser.Parse("a > -1"));

    [Fact]
    public void Parse_LiteralOnTheLeft_FlipsTheOperator() =>
        Assert.Equal(new Comparison(A, ComparisonOperator.GreaterThan, new Literal(5L)), PredicateParser.Parse("5 < a"));

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var p = PredicateParser.Parse("a = 1 OR b = 'x' AND c IS NOT NULL");
        var expected = new Or(
            new Comparison(A, ComparisonOperator.Equal, new Literal(1L)),
            new And(new Comparison(new ColumnRef("b"), ComparisonOperator.Equal, new Literal("x")), new IsNull(new ColumnRef("c"), Negated: true)));
        Assert.Equal(expected, p);
    }

    [Fact]
    public void Parse_TypedLiterals_ParseToClrTypes()
    {
        var p = (And)PredicateParser.Parse("d = DATE'2000-01-01' AND t >= TIMESTAMP '2000-01-01 08:00:00-08:00'");
        Assert.Equal(new DateOnly(2000, 1, 1), ((Comparison)p.Left).Value.Value);
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 16, 0, 0, TimeSpan.Zero), ((Comparison)p.Right).Value.Value);
    }

    [Fact]
    public void Parse_InBetweenAndQuotedNames_AreUnderstood()
    {
        Assert.Equal(new In(new ColumnRef(["my col", "x"]), [new Literal("a'b"), new Literal(1.5m)]), PredicateParser.Parse("`my col`.x IN ('a''b', 1.5)"));
        Assert.Equal(
            new Not(new And(new Comparison(A, ComparisonOperator.GreaterThanOrEqual, new Literal(1L)), new Comparison(A, ComparisonOperator.LessThanOrEqual, new Literal(2L)))),
            PredicateParser.Parse("a NOT BETWEEN 1 AND 2"));
    }

    [Theory]
    [InlineData("a >", "position 4")]
    [InlineData("a = 'open", "not closed")]
    [InlineData("a = 1 b", "unexpected 'b'")]
    [InlineData("a ~ 1", "unexpected character '~'")]
    public void Parse_Malformed_SaysWhereAndWhat(string text, string expected)
    {
        var e = Assert.Throws<DeltaException>(() => PredicateParser.Parse(text));
        Assert.Equal(DeltaErrorKind.InvalidRequest, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
