using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Delta.Sql;

/// <summary>
/// Writes a column expression as Spark SQL text, for servers without Delta Connect. Covers what conditions
/// and assignments use: column references (a plan id bound to the target or source becomes that side's
/// qualifier), literals, operators and function calls, CASE WHEN, casts, field/element access, stars and
/// SQL expression strings (kept verbatim, in parentheses). Every compound is parenthesised, so the text
/// never depends on operator precedence.
/// </summary>
internal sealed class SqlExpressions
{
    private static readonly Dictionary<string, string> Infix = new(StringComparer.Ordinal)
    {
        ["=="] = "=", ["<=>"] = "<=>", ["!="] = "<>", ["<>"] = "<>", ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=",
        ["+"] = "+", ["-"] = "-", ["*"] = "*", ["/"] = "/", ["%"] = "%", ["&"] = "&", ["|"] = "|", ["^"] = "^",
        ["and"] = "AND", ["or"] = "OR", ["like"] = "LIKE", ["ilike"] = "ILIKE", ["rlike"] = "RLIKE",
    };

    private readonly IReadOnlyDictionary<long, string?> _qualifiers;

    /// <param name="qualifiers">
    /// Plan id → the SQL qualifier of the relation it belongs to (null: that relation has no alias, so its
    /// columns stay unqualified). Attributes bound to any other plan id cannot be rendered.
    /// </param>
    internal SqlExpressions(IReadOnlyDictionary<long, string?> qualifiers) => _qualifiers = qualifiers;

    /// <summary>A renderer for expressions without plan-bound columns.</summary>
    internal static SqlExpressions Unbound { get; } = new(new Dictionary<long, string?>());

    /// <exception cref="ArgumentException">The expression (or a part of it) has no SQL rendering here.</exception>
    internal string Render(Column column) => Render(column.Expression);

    /// <exception cref="ArgumentException">The expression (or a part of it) has no SQL rendering here.</exception>
    internal string Render(Expression expression) => expression.ExprTypeCase switch
    {
        Expression.ExprTypeOneofCase.Literal => SqlLiterals.Render(expression.Literal),
        Expression.ExprTypeOneofCase.UnresolvedAttribute => Attribute(expression.UnresolvedAttribute),
        Expression.ExprTypeOneofCase.UnresolvedFunction => Function(
            expression.UnresolvedFunction.FunctionName, expression.UnresolvedFunction.Arguments, expression.UnresolvedFunction.IsDistinct),
        Expression.ExprTypeOneofCase.CallFunction => Function(expression.CallFunction.FunctionName, expression.CallFunction.Arguments, false),
        Expression.ExprTypeOneofCase.ExpressionString => "(" + expression.ExpressionString.Expression + ")",
        Expression.ExprTypeOneofCase.UnresolvedStar => expression.UnresolvedStar.HasUnparsedTarget ? expression.UnresolvedStar.UnparsedTarget : "*",
        // A name only labels a value; conditions and assignments have no place for it.
        Expression.ExprTypeOneofCase.Alias => Render(expression.Alias.Expr),
        Expression.ExprTypeOneofCase.Cast => Cast(expression.Cast),
        Expression.ExprTypeOneofCase.UnresolvedExtractValue =>
            Render(expression.UnresolvedExtractValue.Child) + "[" + Render(expression.UnresolvedExtractValue.Extraction) + "]",
        _ => throw Unsupported(expression.ExprTypeCase.ToString()),
    };

    private static ArgumentException Unsupported(string what) => new(
        $"The {what} expression cannot be written as Spark SQL, which a server without Delta Connect (Spark 3.5, or lakehouse.delta.api=sql) needs. " +
        "Write this condition or value as a SQL string (Functions.Expr(\"…\") or the string overload), or use a Spark 4 server with Delta Connect.");

    private string Attribute(Expression.Types.UnresolvedAttribute attribute)
    {
        var name = SqlIdentifiers.QuoteMultipart(attribute.UnparsedIdentifier);
        if (!attribute.HasPlanId)
        {
            return name;
        }

        if (!_qualifiers.TryGetValue(attribute.PlanId, out var qualifier))
        {
            throw new ArgumentException(
                $"The column '{attribute.UnparsedIdentifier}' belongs to a DataFrame that is neither the Delta table nor the merge source, so it cannot be used here. " +
                "Refer to the column by name (with the table or source alias, e.g. \"t.id\") instead.");
        }

        return qualifier is null ? name : SqlIdentifiers.Quote(qualifier) + "." + name;
    }

    private string Function(string name, IReadOnlyList<Expression> arguments, bool distinct)
    {
        var args = arguments.Select(Render).ToList();
        if (!distinct && args.Count == 2 && Infix.TryGetValue(name, out var op))
        {
            return $"({args[0]} {op} {args[1]})";
        }

        if (!distinct && args.Count == 1)
        {
            switch (name)
            {
                case "not": return $"(NOT {args[0]})";
                // A space after the sign: "--" would start a SQL comment.
                case "negative": return $"(- {args[0]})";
                case "~": return $"(~ {args[0]})";
                case "isnull": return $"({args[0]} IS NULL)";
                case "isnotnull": return $"({args[0]} IS NOT NULL)";
            }
        }

        if (!distinct && name == "in" && args.Count >= 2)
        {
            return $"({args[0]} IN ({string.Join(", ", args.Skip(1))}))";
        }

        if (!distinct && name == "when" && args.Count >= 2)
        {
            return CaseWhen(args);
        }

        return FunctionName(name) + "(" + (distinct ? "DISTINCT " : "") + string.Join(", ", args) + ")";
    }

    private static string CaseWhen(List<string> args)
    {
        // Functions.When/Otherwise: condition, value pairs, then an optional ELSE value (odd count).
        var text = new System.Text.StringBuilder("(CASE");
        var i = 0;
        for (; i + 1 < args.Count; i += 2)
        {
            text.Append(" WHEN ").Append(args[i]).Append(" THEN ").Append(args[i + 1]);
        }

        if (i < args.Count)
        {
            text.Append(" ELSE ").Append(args[i]);
        }

        return text.Append(" END)").ToString();
    }

    private static string FunctionName(string name)
    {
        if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0]))
        {
            return name;
        }

        if (name.Length == 0 || !name.Any(char.IsAsciiLetter))
        {
            throw Unsupported($"'{name}' function");
        }

        return SqlIdentifiers.QuoteMultipart(name);
    }

    private string Cast(Expression.Types.Cast cast)
    {
        var type = cast.CastToTypeCase == Expression.Types.Cast.CastToTypeOneofCase.TypeStr ? cast.TypeStr : SqlTypes.Render(cast.Type);
        var keyword = cast.EvalMode == Expression.Types.Cast.Types.EvalMode.Try ? "TRY_CAST" : "CAST";
        return $"{keyword}({Render(cast.Expr)} AS {type})";
    }
}
