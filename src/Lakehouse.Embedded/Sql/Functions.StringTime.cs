using System.Text.RegularExpressions;
using Google.Protobuf.Collections;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>String, date/time and hashing functions whose DuckDB counterparts differ from Spark's.</summary>
internal static partial class Functions
{
    private static SqlExpr? StringAndTime(string name, RepeatedField<Expression> raw, List<SqlExpr> a)
    {
        string N(string fn) => $"{fn}({string.Join(", ", a.Select(x => x.Name))})";
        switch (name)
        {
            case "substring" or "substr":
                return new SqlExpr(Substring(a[0].Sql, a[1].Sql, a.Count > 2 ? a[2].Sql : null), a.Count > 2 ? N(name) : $"{name}({a[0].Name}, {a[1].Name}, 2147483647)");
            case "regexp_replace":
                // Java replacement syntax ($1) to RE2's (\1); Spark replaces every match.
                return new SqlExpr(RegexpReplace(a[0].Sql, a[1].Sql, JavaReplacement(raw[2], a[2])), N(name));
            case "regexp_extract":
                return new SqlExpr($"regexp_extract({a[0].Sql}, {a[1].Sql}, {(a.Count > 2 ? a[2].Sql : "1")})", N(name));
            case "split":
                if (a.Count > 2 && !(raw[2].ExprTypeCase == Expression.ExprTypeOneofCase.Literal && Literals.IsIntegral(raw[2].Literal) && Literals.AsLong(raw[2].Literal) <= 0))
                {
                    throw Errors.Unsupported("split limit", "split() with a positive limit");
                }

                return new SqlExpr($"regexp_split_to_array({a[0].Sql}, {a[1].Sql})", $"split({a[0].Name}, {a[1].Name}, -1)");
            case "locate":
                return new SqlExpr(a.Count > 2
                    ? $"(CASE WHEN {a[2].Sql} < 1 THEN 0 ELSE coalesce(nullif(instr(substring({a[1].Sql}, {a[2].Sql}), {a[0].Sql}), 0) + {a[2].Sql} - 1, 0) END)"
                    : $"instr({a[1].Sql}, {a[0].Sql})", N(name));
            case "sha2":
            {
                var bits = raw.Count > 1 && raw[1].ExprTypeCase == Expression.ExprTypeOneofCase.Literal ? Literals.AsLong(raw[1].Literal) : -1;
                return bits is 0 or 256
                    ? new SqlExpr($"sha256({a[0].Sql})", N(name))
                    : throw Errors.Unsupported("sha2", $"sha2 with bit length {bits} (only 256 is supported)");
            }

            case "current_timestamp" or "now":
                return new SqlExpr("get_current_timestamp()", "current_timestamp()");
            case "to_timestamp":
                return new SqlExpr(a.Count > 1
                    ? $"CAST({Parse(a[0].Sql, raw[1])} AS TIMESTAMPTZ)"
                    : $"CAST({a[0].Sql} AS TIMESTAMPTZ)", N(name));
            case "to_date":
                return new SqlExpr(a.Count > 1
                    ? $"CAST({Parse(a[0].Sql, raw[1])} AS DATE)"
                    : $"CAST({a[0].Sql} AS DATE)", N(name));
            case "date_format":
                return new SqlExpr($"strftime({a[0].Sql}, {Pattern(raw[1])})", N(name));
            case "datediff":
                // Spark: datediff(end, start) = days from start to end.
                return new SqlExpr($"CAST(date_diff('day', CAST({a[1].Sql} AS DATE), CAST({a[0].Sql} AS DATE)) AS INTEGER)", N(name));
            case "date_add" or "dateadd":
                return new SqlExpr($"CAST(CAST({a[0].Sql} AS DATE) + CAST({a[1].Sql} AS INTEGER) AS DATE)", N("date_add"));
            case "date_sub":
                return new SqlExpr($"CAST(CAST({a[0].Sql} AS DATE) - CAST({a[1].Sql} AS INTEGER) AS DATE)", N(name));
            case "date_trunc":
                return new SqlExpr($"CAST(date_trunc(lower({a[0].Sql}), {a[1].Sql}) AS TIMESTAMPTZ)", N(name));
            case "trunc":
                return new SqlExpr($"CAST(date_trunc(lower({a[1].Sql}), CAST({a[0].Sql} AS DATE)) AS DATE)", N(name));
            case "unix_timestamp":
                // Spark: whole seconds, floored (a fraction before 1970 goes down, not toward zero).
                return new SqlExpr(a.Count == 0
                    ? "CAST(floor(epoch(get_current_timestamp())) AS BIGINT)"
                    : a.Count > 1
                        ? $"CAST(floor(epoch(CAST({Parse(a[0].Sql, raw[1])} AS TIMESTAMPTZ))) AS BIGINT)"
                        : $"CAST(floor(epoch(CAST({a[0].Sql} AS TIMESTAMPTZ))) AS BIGINT)", N(name));
            case "from_unixtime":
                return new SqlExpr($"strftime(to_timestamp(CAST({a[0].Sql} AS DOUBLE)), {(a.Count > 1 ? Pattern(raw[1]) : "'%Y-%m-%d %H:%M:%S'")})", N(name));
            case "to_utc_timestamp" or "from_utc_timestamp":
                throw Errors.UnsupportedFunction(name);
            default:
                return null;
        }
    }

    private static SqlExpr? Aggregate(string name, List<SqlExpr> a, bool distinct)
    {
        var d = distinct ? "DISTINCT " : "";
        string N(string fn) => $"{fn}({d}{string.Join(", ", a.Select(x => x.Name))})";
        return name switch
        {
            // Spark's sum over integral types is bigint (DuckDB gives hugeint); the result cast is applied at the top.
            "sum" => new SqlExpr($"sum({d}{a[0].Sql})", N("sum")),
            "count_distinct" => new SqlExpr($"count(DISTINCT {a[0].Sql})", $"count(DISTINCT {a[0].Name})"),
            "first" or "first_value" => new SqlExpr(IgnoreNulls(a) ? $"first({a[0].Sql}) FILTER (WHERE {a[0].Sql} IS NOT NULL)" : $"first({a[0].Sql})", $"{name}({a[0].Name})"),
            "last" or "last_value" => new SqlExpr(IgnoreNulls(a) ? $"last({a[0].Sql}) FILTER (WHERE {a[0].Sql} IS NOT NULL)" : $"last({a[0].Sql})", $"{name}({a[0].Name})"),
            // Spark's collect_list/collect_set skip nulls and return an empty array for no rows.
            "collect_list" => new SqlExpr($"coalesce(list({d}{a[0].Sql}) FILTER (WHERE {a[0].Sql} IS NOT NULL), [])", N("collect_list")),
            "collect_set" => new SqlExpr($"coalesce(list(DISTINCT {a[0].Sql}) FILTER (WHERE {a[0].Sql} IS NOT NULL), [])", N("collect_set")),
            "count_if" => new SqlExpr($"count_if({a[0].Sql})", N(name)),
            "lag" or "lead" => new SqlExpr($"{name}({string.Join(", ", a.Select(x => x.Sql))})", N(name)),
            _ => null,
        };
    }

    private static bool IgnoreNulls(List<SqlExpr> a) => a.Count > 1 && a[1].Sql == "TRUE";

    /// <summary>strptime with a Spark pattern; a two-letter year is read as 2000–2099 as Spark does (strptime's %y gives 1969–2068).</summary>
    private static string Parse(string text, Expression pattern)
    {
        var parsed = $"strptime({text}, {Pattern(pattern)})";
        return pattern.ExprTypeCase == Expression.ExprTypeOneofCase.Literal && DateFormats.HasTwoDigitYear(pattern.Literal.String)
            ? $"(CASE WHEN year({parsed}) < 2000 THEN {parsed} + INTERVAL 100 YEAR ELSE {parsed} END)"
            : parsed;
    }

    private static string Pattern(Expression e) =>
        e.ExprTypeCase == Expression.ExprTypeOneofCase.Literal && e.Literal.LiteralTypeCase == Expression.Types.Literal.LiteralTypeOneofCase.String
            ? SqlText.Str(DateFormats.ToDuckDb(e.Literal.String))
            : throw Errors.Unsupported("datetime pattern", "A datetime pattern that is not a string literal");

    private static string JavaReplacement(Expression raw, SqlExpr translated) =>
        raw.ExprTypeCase == Expression.ExprTypeOneofCase.Literal && raw.Literal.LiteralTypeCase == Expression.Types.Literal.LiteralTypeOneofCase.String
            ? JavaReplacementLiteral(raw.Literal.String)
            : JavaReplacementSql(translated.Sql);

    /// <summary>
    /// Spark's <c>substring(s, pos[, len])</c>: positions are 1-based, 0 behaves as 1, negative counts from the end, a
    /// length of 0 or less gives '' (DuckDB's substring differs at 0 and for negative lengths).
    /// </summary>
    internal static string Substring(string s, string pos, string? len)
    {
        var position = $"(CASE WHEN {pos} = 0 THEN 1 ELSE {pos} END)";
        return len is null
            ? $"substring({s}, {position})"
            : $"(CASE WHEN {len} <= 0 THEN '' ELSE substring({s}, {position}, {len}) END)";
    }

    /// <summary>Spark's <c>regexp_replace</c>: every match is replaced (DuckDB replaces the first without the 'g' flag).</summary>
    internal static string RegexpReplace(string s, string pattern, string duckReplacement) => $"regexp_replace({s}, {pattern}, {duckReplacement}, 'g')";

    /// <summary>A Java replacement string (<c>$1</c> groups) as an RE2 replacement literal (<c>\1</c>).</summary>
    internal static string JavaReplacementLiteral(string value) =>
        SqlText.Str(DollarGroup().Replace(value.Replace("\\", "\\\\", StringComparison.Ordinal), @"\$1"));

    /// <summary>The same conversion, done by DuckDB for a replacement that is not a literal.</summary>
    internal static string JavaReplacementSql(string sql) => $"regexp_replace(replace({sql}, '\\', '\\\\'), '\\$(\\d)', '\\\\\\1', 'g')";

    [GeneratedRegex(@"\$(\d)")]
    private static partial Regex DollarGroup();
}
