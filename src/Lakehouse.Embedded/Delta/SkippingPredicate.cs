using Lakehouse.Delta.Expressions;
using Lakehouse.Spark.Protos;
using DeltaLiteral = Lakehouse.Delta.Expressions.Literal;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// A Spark Connect condition as a Lakehouse.Delta <see cref="Predicate"/>, for file skipping only: comparisons of a
/// column with a literal, IS [NOT] NULL, IN, AND, OR, NOT. Anything else makes the whole condition unusable (null),
/// so skipping never drops a file the condition could match.
/// </summary>
internal static class SkippingPredicate
{
    /// <summary>The predicate, or null when the condition has a part this cannot express exactly.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="alias">The target's alias, stripped from qualified column names.</param>
    public static Predicate? From(Expression condition, string? alias)
    {
        if (condition.ExprTypeCase == Expression.ExprTypeOneofCase.ExpressionString)
        {
            try
            {
                return Strip(PredicateParser.Parse(condition.ExpressionString.Expression), alias);
            }
            catch (Lakehouse.Delta.DeltaException)
            {
                return null;
            }
        }

        return Convert(condition, alias);
    }

    private static Predicate? Convert(Expression e, string? alias)
    {
        if (e.ExprTypeCase != Expression.ExprTypeOneofCase.UnresolvedFunction)
        {
            return null;
        }

        var f = e.UnresolvedFunction;
        var args = f.Arguments;
        switch (f.FunctionName.ToLowerInvariant())
        {
            case "and" when args.Count == 2:
                return Convert(args[0], alias) is { } a && Convert(args[1], alias) is { } b ? new And(a, b) : null;
            case "or" when args.Count == 2:
                return Convert(args[0], alias) is { } l && Convert(args[1], alias) is { } r ? new Or(l, r) : null;
            case "not" when args.Count == 1:
                return Convert(args[0], alias) is { } inner ? new Not(inner) : null;
            case "isnull" when args.Count == 1:
                return Column(args[0], alias) is { } c1 ? new IsNull(c1) : null;
            case "isnotnull" when args.Count == 1:
                return Column(args[0], alias) is { } c2 ? new IsNull(c2, Negated: true) : null;
            case "in" when args.Count >= 2:
                var values = args.Skip(1).Select(Value).ToList();
                return Column(args[0], alias) is { } c3 && values.All(v => v is not null) ? new In(c3, values!) : null;
        }

        var op = ComparisonOperators.FromSymbol(f.FunctionName);
        if (op is not { } o || args.Count != 2)
        {
            return null;
        }

        if (Column(args[0], alias) is { } column && Value(args[1]) is { } value)
        {
            return new Comparison(column, o, value);
        }

        // literal op column: the mirrored comparison.
        return Column(args[1], alias) is { } column2 && Value(args[0]) is { } value2
            ? new Comparison(column2, o switch
            {
                ComparisonOperator.LessThan => ComparisonOperator.GreaterThan,
                ComparisonOperator.LessThanOrEqual => ComparisonOperator.GreaterThanOrEqual,
                ComparisonOperator.GreaterThan => ComparisonOperator.LessThan,
                ComparisonOperator.GreaterThanOrEqual => ComparisonOperator.LessThanOrEqual,
                _ => o,
            }, value2)
            : null;
    }

    private static ColumnRef? Column(Expression e, string? alias)
    {
        if (e.ExprTypeCase != Expression.ExprTypeOneofCase.UnresolvedAttribute)
        {
            return null;
        }

        var parts = Sql.Scope.SplitIdentifier(e.UnresolvedAttribute.UnparsedIdentifier);
        if (parts.Count == 2 && alias is not null && parts[0].Equals(alias, StringComparison.OrdinalIgnoreCase))
        {
            parts.RemoveAt(0);
        }

        return new ColumnRef(parts);
    }

    private static DeltaLiteral? Value(Expression e)
    {
        if (e.ExprTypeCase != Expression.ExprTypeOneofCase.Literal)
        {
            return null;
        }

        var l = e.Literal;
        return l.LiteralTypeCase switch
        {
            Expression.Types.Literal.LiteralTypeOneofCase.String => new DeltaLiteral(l.String),
            Expression.Types.Literal.LiteralTypeOneofCase.Integer => new DeltaLiteral((long)l.Integer),
            Expression.Types.Literal.LiteralTypeOneofCase.Long => new DeltaLiteral(l.Long),
            Expression.Types.Literal.LiteralTypeOneofCase.Short => new DeltaLiteral((long)l.Short),
            Expression.Types.Literal.LiteralTypeOneofCase.Byte => new DeltaLiteral((long)l.Byte),
            Expression.Types.Literal.LiteralTypeOneofCase.Double => new DeltaLiteral(l.Double),
            Expression.Types.Literal.LiteralTypeOneofCase.Boolean => new DeltaLiteral(l.Boolean),
            Expression.Types.Literal.LiteralTypeOneofCase.Date => new DeltaLiteral(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + l.Date)),
            _ => null,
        };
    }

    private static Predicate Strip(Predicate p, string? alias) => alias is null ? p : p switch
    {
        And a => new And(Strip(a.Left, alias), Strip(a.Right, alias)),
        Or o => new Or(Strip(o.Left, alias), Strip(o.Right, alias)),
        Not n => new Not(Strip(n.Inner, alias)),
        Comparison c => c with { Column = StripColumn(c.Column, alias) },
        IsNull n => n with { Column = StripColumn(n.Column, alias) },
        In i => i with { Column = StripColumn(i.Column, alias) },
        _ => p,
    };

    private static ColumnRef StripColumn(ColumnRef c, string alias) =>
        c.Path.Count == 2 && c.Path[0].Equals(alias, StringComparison.OrdinalIgnoreCase) ? new ColumnRef(c.Path.Skip(1).ToList()) : c;
}
