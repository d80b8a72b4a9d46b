using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Delta;

/// <summary>A condition as commitInfo shows it: the SQL text of an expression string, else a rendering of the expression tree.</summary>
internal static class ConditionDisplay
{
    public static string Of(Expression e) => e.ExprTypeCase switch
    {
        Expression.ExprTypeOneofCase.ExpressionString => e.ExpressionString.Expression,
        Expression.ExprTypeOneofCase.UnresolvedAttribute => e.UnresolvedAttribute.UnparsedIdentifier,
        Expression.ExprTypeOneofCase.Literal => Literal(e.Literal),
        Expression.ExprTypeOneofCase.UnresolvedFunction when e.UnresolvedFunction.Arguments.Count == 2 && IsOperator(e.UnresolvedFunction.FunctionName) =>
            $"({Of(e.UnresolvedFunction.Arguments[0])} {Operator(e.UnresolvedFunction.FunctionName)} {Of(e.UnresolvedFunction.Arguments[1])})",
        Expression.ExprTypeOneofCase.UnresolvedFunction =>
            $"{e.UnresolvedFunction.FunctionName}({string.Join(", ", e.UnresolvedFunction.Arguments.Select(Of))})",
        Expression.ExprTypeOneofCase.Alias => Of(e.Alias.Expr),
        _ => e.ExprTypeCase.ToString(),
    };

    private static bool IsOperator(string name) => name is "==" or "!=" or "<" or "<=" or ">" or ">=" or "<=>" or "and" or "or" or "+" or "-" or "*" or "/" or "%";

    private static string Operator(string name) => name switch
    {
        "==" => "=",
        "and" => "AND",
        "or" => "OR",
        _ => name,
    };

    private static string Literal(Expression.Types.Literal l) => l.LiteralTypeCase switch
    {
        Expression.Types.Literal.LiteralTypeOneofCase.String => "'" + l.String.Replace("'", "\\'", StringComparison.Ordinal) + "'",
        Expression.Types.Literal.LiteralTypeOneofCase.Null => "NULL",
        Expression.Types.Literal.LiteralTypeOneofCase.Boolean => l.Boolean ? "true" : "false",
        Expression.Types.Literal.LiteralTypeOneofCase.Integer => l.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Expression.Types.Literal.LiteralTypeOneofCase.Long => l.Long.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Expression.Types.Literal.LiteralTypeOneofCase.Double => l.Double.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => l.LiteralTypeCase.ToString(),
    };
}
