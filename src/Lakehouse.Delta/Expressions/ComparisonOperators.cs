namespace Lakehouse.Delta.Expressions;

/// <summary>The SQL spellings of the comparison operators, shared by every parser of predicates.</summary>
internal static class ComparisonOperators
{
    /// <summary>The operator <paramref name="symbol"/> spells (<c>=</c>, <c>==</c>, <c>&lt;&gt;</c>, <c>!=</c>,
    /// <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;=&gt;</c>); null for anything else.</summary>
    public static ComparisonOperator? FromSymbol(string symbol) => symbol switch
    {
        "=" or "==" => ComparisonOperator.Equal,
        "<>" or "!=" => ComparisonOperator.NotEqual,
        "<" => ComparisonOperator.LessThan,
        "<=" => ComparisonOperator.LessThanOrEqual,
        ">" => ComparisonOperator.GreaterThan,
        ">=" => ComparisonOperator.GreaterThanOrEqual,
        "<=>" => ComparisonOperator.NullSafeEqual,
        _ => null,
    };
}
