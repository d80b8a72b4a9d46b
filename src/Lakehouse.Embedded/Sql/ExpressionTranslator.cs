using System.Text.RegularExpressions;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Translates Spark Connect expressions to DuckDB SQL over a <see cref="Scope"/>. Anything it cannot translate with
/// Spark's semantics raises an <see cref="EmbeddedException"/> naming it.
/// </summary>
internal sealed partial class ExpressionTranslator(Scope scope, SqlSettings settings, Func<string, string?>? typeOf = null)
{
    private static readonly HashSet<string> Integral = ["byte", "short", "integer", "long"];

    public Scope Scope { get; } = scope;

    /// <summary>The session's ANSI and case-sensitivity confs.</summary>
    public SqlSettings Settings { get; } = settings;

    /// <summary>The DuckDB type of an expression over the scope, or null when it cannot be told.</summary>
    public string? TypeOf(string sql) => typeOf?.Invoke(sql);

    /// <summary>Translates an expression that may expand to several columns (<c>*</c>, <c>t.*</c>).</summary>
    public IEnumerable<SqlExpr> TranslateMany(Expression e)
    {
        if (e.ExprTypeCase == Expression.ExprTypeOneofCase.UnresolvedStar)
        {
            var target = e.UnresolvedStar.HasUnparsedTarget ? e.UnresolvedStar.UnparsedTarget : null;
            var qualifier = target is null ? null : target.EndsWith(".*", StringComparison.Ordinal) ? target[..^2].Trim('`') : target.Trim('`');
            var cols = Scope.All().Where(c => qualifier is null || string.Equals(c.Column.Qualifier, qualifier, StringComparison.OrdinalIgnoreCase)).ToList();
            if (qualifier is not null && cols.Count == 0)
            {
                throw Errors.UnresolvedColumn(target!, Scope.All().Select(c => c.Column.Name).Take(5));
            }

            return cols.Select(c => new SqlExpr(c.Sql, c.Column.Name, c.Column));
        }

        return [Translate(e)];
    }

    /// <summary>Translates one expression.</summary>
    public SqlExpr Translate(Expression e)
    {
        switch (e.ExprTypeCase)
        {
            case Expression.ExprTypeOneofCase.Literal:
                return new SqlExpr(Literals.Sql(e.Literal), Literals.Name(e.Literal));
            case Expression.ExprTypeOneofCase.UnresolvedAttribute:
                var (sql, col, name) = Scope.Resolve(e.UnresolvedAttribute.UnparsedIdentifier, e.UnresolvedAttribute.HasPlanId ? e.UnresolvedAttribute.PlanId : null);
                return new SqlExpr(sql, name, sql.StartsWith("struct_extract", StringComparison.Ordinal) ? null : col);
            case Expression.ExprTypeOneofCase.UnresolvedFunction:
                var f = e.UnresolvedFunction;
                return Functions.Translate(this, f.FunctionName, f.Arguments, f.IsDistinct);
            case Expression.ExprTypeOneofCase.CallFunction:
                return Functions.Translate(this, e.CallFunction.FunctionName, e.CallFunction.Arguments, false);
            case Expression.ExprTypeOneofCase.Alias:
                if (e.Alias.Name.Count != 1)
                {
                    throw Errors.Unsupported("multi-name alias", "An alias with several names (multi-output generator)");
                }

                var inner = Translate(e.Alias.Expr);
                return new SqlExpr(inner.Sql, e.Alias.Name[0]);
            case Expression.ExprTypeOneofCase.Cast:
                return Cast(e.Cast);
            case Expression.ExprTypeOneofCase.ExpressionString:
                return ExpressionString(e.ExpressionString.Expression);
            case Expression.ExprTypeOneofCase.Window:
                return Window(e.Window);
            case Expression.ExprTypeOneofCase.SortOrder:
                return SortOrder(e.SortOrder);
            case Expression.ExprTypeOneofCase.UnresolvedExtractValue:
                return Extract(e.UnresolvedExtractValue);
            case Expression.ExprTypeOneofCase.UnresolvedStar:
                throw Errors.Unsupported("star", "A '*' inside an expression");
            default:
                throw Errors.UnsupportedPlan("Expression." + e.ExprTypeCase);
        }
    }

    /// <summary>A sort key with Spark's default null ordering: NULLS FIRST for ascending, NULLS LAST for descending.</summary>
    public SqlExpr SortOrder(Expression.Types.SortOrder so)
    {
        var child = Translate(so.Child);
        var desc = so.Direction == Expression.Types.SortOrder.Types.SortDirection.Descending;
        var nullsFirst = so.NullOrdering switch
        {
            Expression.Types.SortOrder.Types.NullOrdering.SortNullsFirst => true,
            Expression.Types.SortOrder.Types.NullOrdering.SortNullsLast => false,
            _ => !desc,
        };
        return new SqlExpr(
            $"{child.Sql} {(desc ? "DESC" : "ASC")} NULLS {(nullsFirst ? "FIRST" : "LAST")}",
            $"{child.Name} {(desc ? "DESC" : "ASC")} NULLS {(nullsFirst ? "FIRST" : "LAST")}");
    }

    /// <summary>A sort key from an expression that may or may not be a SortOrder.</summary>
    public SqlExpr SortKey(Expression e) =>
        e.ExprTypeCase == Expression.ExprTypeOneofCase.SortOrder
            ? SortOrder(e.SortOrder)
            : SortOrder(new Expression.Types.SortOrder { Child = e, Direction = Expression.Types.SortOrder.Types.SortDirection.Ascending });

    private SqlExpr Cast(Expression.Types.Cast c)
    {
        var inner = Translate(c.Expr);
        var target = c.CastToTypeCase == Expression.Types.Cast.CastToTypeOneofCase.Type
            ? Types.FromProto(c.Type)
            : SparkDdl.ParseType(c.TypeStr);
        if (target is null)
        {
            return new SqlExpr("NULL", inner.Name);
        }

        // ANSI (spark.sql.ansi.enabled, Spark 4's default): an invalid cast fails; TRY and LEGACY give NULL instead.
        var ansi = c.EvalMode switch
        {
            Expression.Types.Cast.Types.EvalMode.Try or Expression.Types.Cast.Types.EvalMode.Legacy => false,
            Expression.Types.Cast.Types.EvalMode.Ansi => true,
            _ => Settings.Ansi,
        };
        var name = $"CAST({inner.Name} AS {Types.SparkSqlName(target)})";
        // Only casts to integral types and to string differ from DuckDB's by source type; asking DuckDB for the type
        // of the input costs a DESCRIBE of the whole input query, so the other casts do without it.
        var sourceType = target is Lakehouse.Delta.Schema.PrimitiveType { Name: var targetName } && (Integral.Contains(targetName) || targetName == "string")
            ? typeOf?.Invoke(inner.Sql)
            : null;
        if (Casts.Special(inner.Sql, sourceType, target, ansi, c.EvalMode == Expression.Types.Cast.Types.EvalMode.Try) is { } special)
        {
            return new SqlExpr(special, name);
        }

        var source = inner.Sql;
        if (target is Lakehouse.Delta.Schema.PrimitiveType p && Integral.Contains(p.Name)
            && (sourceType is "FLOAT" or "DOUBLE" || sourceType?.StartsWith("DECIMAL", StringComparison.Ordinal) == true))
        {
            // Spark truncates fractions when casting to an integral type; DuckDB rounds.
            source = $"trunc({source})";
        }

        return new SqlExpr($"{(ansi ? "CAST" : "TRY_CAST")}({source} AS {Types.ToDuckDb(target)})", name);
    }

    private SqlExpr Extract(Expression.Types.UnresolvedExtractValue x)
    {
        var child = Translate(x.Child);
        var key = x.Extraction;
        if (key.ExprTypeCase != Expression.ExprTypeOneofCase.Literal)
        {
            throw Errors.Unsupported("extract value", "Extracting a value by a non-literal key");
        }

        var type = typeOf?.Invoke(child.Sql);
        if (type?.StartsWith("MAP(", StringComparison.Ordinal) == true)
        {
            // Spark's map[key]: the value, or NULL for a missing key.
            return new SqlExpr($"{child.Sql}[{Literals.Sql(key.Literal)}]", $"{child.Name}[{Literals.Name(key.Literal)}]");
        }

        if (key.Literal.LiteralTypeCase == Expression.Types.Literal.LiteralTypeOneofCase.String)
        {
            return new SqlExpr($"struct_extract({child.Sql}, {SqlText.Str(key.Literal.String)})", key.Literal.String);
        }

        if (Literals.IsIntegral(key.Literal))
        {
            // Spark's array[i] is 0-based; DuckDB lists are 1-based and count negative indexes from the end. Spark: an
            // index out of bounds is NULL, or INVALID_ARRAY_INDEX under ANSI.
            var i = Literals.AsLong(key.Literal);
            return new SqlExpr(Functions.ArrayIndex(child.Sql, SqlText.Int(i), Settings.Ansi), $"{child.Name}[{i}]");
        }

        throw Errors.Unsupported("extract value", "Extracting a value by a key that is not a string or integer literal");
    }

    private SqlExpr Window(Expression.Types.Window w)
    {
        var fn = Translate(w.WindowFunction);
        var parts = new List<string>();
        if (w.PartitionSpec.Count > 0)
        {
            parts.Add("PARTITION BY " + string.Join(", ", w.PartitionSpec.Select(p => Translate(p).Sql)));
        }

        if (w.OrderSpec.Count > 0)
        {
            parts.Add("ORDER BY " + string.Join(", ", w.OrderSpec.Select(o => SortOrder(o).Sql)));
        }

        if (w.FrameSpec is { } frame && frame.FrameType != Expression.Types.Window.Types.WindowFrame.Types.FrameType.Undefined)
        {
            var kind = frame.FrameType == Expression.Types.Window.Types.WindowFrame.Types.FrameType.Row ? "ROWS" : "RANGE";
            parts.Add($"{kind} BETWEEN {Boundary(frame.Lower, true)} AND {Boundary(frame.Upper, false)}");
        }

        var over = string.Join(" ", parts);
        var sql = fn.Sql;
        string windowed;
        if (Functions.IntegerRankingFunctions.Contains(WindowFunctionName(w.WindowFunction)))
        {
            // Spark's ranking functions return int; DuckDB's return bigint.
            windowed = $"CAST({sql} OVER ({over}) AS INTEGER)";
        }
        else if (sql.Contains(Functions.WindowSlot, StringComparison.Ordinal))
        {
            // An expression over several aggregates (e.g. the exact avg of decimals): each takes the window.
            windowed = sql.Replace(Functions.WindowSlot, $" OVER ({over})", StringComparison.Ordinal);
        }
        else if (CastAggregate().Match(sql) is { Success: true } cast)
        {
            // An aggregate whose result is cast to Spark's type (e.g. avg of decimals): the window goes inside the cast.
            windowed = $"CAST({cast.Groups[1].Value} OVER ({over}) AS {cast.Groups[2].Value})";
        }
        else
        {
            windowed = $"{sql} OVER ({over})";
        }

        return new SqlExpr(windowed, $"{fn.Name} OVER ({over})");
    }

    private static string WindowFunctionName(Expression e) =>
        e.ExprTypeCase == Expression.ExprTypeOneofCase.UnresolvedFunction ? e.UnresolvedFunction.FunctionName.ToLowerInvariant() : "";

    private string Boundary(Expression.Types.Window.Types.WindowFrame.Types.FrameBoundary? b, bool lower)
    {
        if (b is null || b.BoundaryCase == Expression.Types.Window.Types.WindowFrame.Types.FrameBoundary.BoundaryOneofCase.Unbounded)
        {
            return lower ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING";
        }

        if (b.BoundaryCase == Expression.Types.Window.Types.WindowFrame.Types.FrameBoundary.BoundaryOneofCase.CurrentRow)
        {
            return "CURRENT ROW";
        }

        var v = b.Value;
        if (v.ExprTypeCase == Expression.ExprTypeOneofCase.Literal && Literals.IsIntegral(v.Literal))
        {
            var n = Literals.AsLong(v.Literal);
            return n == 0 ? "CURRENT ROW" : n < 0 ? $"{-n} PRECEDING" : $"{n} FOLLOWING";
        }

        throw Errors.Unsupported("window frame", "A window frame boundary that is not an integer literal");
    }

    private SqlExpr ExpressionString(string text)
    {
        var m = TrailingAlias().Match(text);
        var body = m.Success ? text[..m.Index] : text;
        var name = m.Success ? m.Groups[1].Value.Trim('`') : SparkNameOf(body);
        var sql = SparkSqlRewriter.RewriteExpression(body, Settings, Scope);
        // Names in the text are resolved by DuckDB against the physical names, which equal the visible names
        // unless a join produced duplicates (those need df["col"] or an alias).
        var source = Scope.All().FirstOrDefault(c => c.Column.Name.Equals(body.Trim().Trim('`'), StringComparison.OrdinalIgnoreCase));
        return new SqlExpr("(" + sql + ")", name, source.Column);
    }

    private static string SparkNameOf(string body)
    {
        var t = body.Trim();
        return t.StartsWith('`') && t.EndsWith('`') ? t[1..^1] : t;
    }

    [GeneratedRegex(@"^CAST\(([a-z_]+\(.*\)) AS ([A-Z]+(?:\(\d+,\d+\))?)\)$", RegexOptions.Singleline)]
    private static partial Regex CastAggregate();

    [GeneratedRegex(@"\s+AS\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingAlias();
}
