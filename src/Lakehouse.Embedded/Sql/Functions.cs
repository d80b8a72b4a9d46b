using Google.Protobuf.Collections;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark function names (as Spark Connect clients send them in UnresolvedFunction) to DuckDB SQL with Spark's
/// semantics. A name not listed here fails with LAKEHOUSE_EMBEDDED_UNSUPPORTED_FUNCTION rather than guessing.
/// </summary>
internal static partial class Functions
{
    /// <summary>Ranking window functions whose Spark result type is int.</summary>
    public static readonly HashSet<string> IntegerRankingFunctions = ["row_number", "rank", "dense_rank", "ntile"];

    private static readonly Dictionary<string, string> Binary = new(StringComparer.Ordinal)
    {
        ["=="] = "=", ["="] = "=", ["!="] = "<>", ["<>"] = "<>", ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=",
        ["+"] = "+", ["-"] = "-", ["*"] = "*", ["and"] = "AND", ["or"] = "OR",
    };

    /// <summary>Functions whose DuckDB counterpart has the same name, arguments and semantics.</summary>
    private static readonly HashSet<string> Same =
    [
        "abs", "sqrt", "exp", "ln", "log10", "log2", "sin", "cos", "tan", "pi",
        "lower", "upper", "trim", "ltrim", "rtrim", "length", "reverse", "repeat", "lpad", "rpad", "replace",
        "md5", "sha1", "coalesce", "nullif", "greatest", "least", "instr", "ascii", "initcap",
        "min", "max", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
        "approx_count_distinct", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
        "year", "month", "day", "hour", "minute", "second", "quarter", "dayofmonth", "dayofweek", "dayofyear", "weekofyear",
        "current_date", "last_day", "isnan", "bit_length", "octet_length", "concat_ws",
    ];

    /// <summary>Spark names that are simple renames in DuckDB.</summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["nvl"] = "coalesce", ["ifnull"] = "coalesce", ["lcase"] = "lower", ["ucase"] = "upper",
        ["char_length"] = "length", ["character_length"] = "length", ["std"] = "stddev", ["log"] = "ln",
        ["startswith"] = "starts_with", ["endswith"] = "ends_with", ["contains"] = "contains", ["power"] = "pow", ["pow"] = "pow",
        ["collect_list"] = "list", ["array"] = "list_value", ["sha256"] = "sha256", ["any"] = "bool_or", ["some"] = "bool_or",
        ["every"] = "bool_and", ["bool_or"] = "bool_or", ["bool_and"] = "bool_and",
    };

    /// <summary>Date/time parts whose DuckDB functions return bigint where Spark returns int.</summary>
    /// <summary>Functions whose Spark result type is int where DuckDB's is bigint.</summary>
    private static readonly HashSet<string> IntParts =
    [
        "year", "month", "day", "hour", "minute", "second", "quarter", "dayofmonth", "dayofweek", "dayofyear", "weekofyear",
        "length", "char_length", "character_length", "instr", "ascii", "bit_length", "octet_length",
    ];

    /// <summary>Translates a call.</summary>
    public static SqlExpr Translate(ExpressionTranslator tx, string functionName, RepeatedField<Expression> rawArgs, bool distinct)
    {
        var name = functionName.ToLowerInvariant();
        if (name == "count")
        {
            return Count(tx, rawArgs, distinct);
        }

        if (name == "when")
        {
            return When(tx, rawArgs);
        }

        if (name == "hash")
        {
            return Hash(tx, rawArgs.Select(tx.Translate).ToList());
        }

        if (name == "input_file_name" && rawArgs.Count == 0)
        {
            return new SqlExpr(tx.Scope.InputFileName(), "input_file_name()");
        }

        var args = rawArgs.Select(tx.Translate).ToList();
        var d = distinct ? "DISTINCT " : "";
        string Call(string fn) => $"{fn}({d}{string.Join(", ", args.Select(a => a.Sql))})";
        string SparkName(string fn) => $"{fn}({d}{string.Join(", ", args.Select(a => a.Name))})";

        if (Binary.TryGetValue(name, out var op) && args.Count == 2)
        {
            var sparkOp = name switch { "==" => "=", "and" => "AND", "or" => "OR", _ => name };
            return new SqlExpr($"({args[0].Sql} {op} {args[1].Sql})", $"({args[0].Name} {sparkOp} {args[1].Name})");
        }

        switch (name)
        {
            case "-" when args.Count == 1:
            case "negative":
                return new SqlExpr($"(- {args[0].Sql})", $"(- {args[0].Name})");
            case "<=>":
                return new SqlExpr($"({args[0].Sql} IS NOT DISTINCT FROM {args[1].Sql})", $"({args[0].Name} <=> {args[1].Name})");
            case "not":
                return new SqlExpr($"(NOT {args[0].Sql})", $"(NOT {args[0].Name})");
            case "isnull":
                return new SqlExpr($"({args[0].Sql} IS NULL)", $"({args[0].Name} IS NULL)");
            case "isnotnull":
                return new SqlExpr($"({args[0].Sql} IS NOT NULL)", $"({args[0].Name} IS NOT NULL)");
            case "in":
                return new SqlExpr($"({args[0].Sql} IN ({string.Join(", ", args.Skip(1).Select(a => a.Sql))}))", $"({args[0].Name} IN ({string.Join(", ", args.Skip(1).Select(a => a.Name))}))");
            case "like":
                // Spark's LIKE escapes with a backslash by default; DuckDB has no default escape.
                return new SqlExpr($"({args[0].Sql} LIKE {args[1].Sql} ESCAPE '\\')", $"{args[0].Name} LIKE {args[1].Name}");
            case "ilike":
                return new SqlExpr($"({args[0].Sql} ILIKE {args[1].Sql} ESCAPE '\\')", $"ilike({args[0].Name}, {args[1].Name})");
            case "rlike" or "regexp" or "regexp_like":
                // Spark's rlike is a search (find), not a full match.
                return new SqlExpr($"regexp_matches({args[0].Sql}, {args[1].Sql})", $"RLIKE({args[0].Name}, {args[1].Name})");
            case "between":
                return new SqlExpr($"({args[0].Sql} BETWEEN {args[1].Sql} AND {args[2].Sql})", $"(({args[0].Name} >= {args[1].Name}) AND ({args[0].Name} <= {args[2].Name}))");
        }

        return StringAndTime(name, rawArgs, args)
            ?? Arithmetic(tx, name, args, distinct)
            ?? Aggregate(name, args, distinct)
            ?? Simple(name, args, Call, SparkName)
            ?? throw Errors.UnsupportedFunction(functionName);
    }

    private static SqlExpr? Simple(string name, List<SqlExpr> args, Func<string, string> call, Func<string, string> sparkName)
    {
        if (name == "dayofweek")
        {
            // Spark counts 1 = Sunday … 7 = Saturday; DuckDB's dayofweek counts 0 = Sunday … 6 = Saturday.
            return new SqlExpr($"CAST({call("dayofweek")} + 1 AS INTEGER)", sparkName(name));
        }

        if (IntParts.Contains(name))
        {
            var duckName = Renamed.GetValueOrDefault(name, name);
            return new SqlExpr($"CAST({call(duckName)} AS INTEGER)", sparkName(name));
        }

        if (Same.Contains(name))
        {
            return new SqlExpr(call(name), sparkName(name));
        }

        if (Renamed.TryGetValue(name, out var duck))
        {
            return new SqlExpr(call(duck), sparkName(name));
        }

        return name switch
        {
            "map" when args.Count % 2 == 0 => new SqlExpr(
                $"map([{string.Join(", ", args.Where((_, i) => i % 2 == 0).Select(a => a.Sql))}], [{string.Join(", ", args.Where((_, i) => i % 2 == 1).Select(a => a.Sql))}])", sparkName(name)),
            // Spark: NULL when the value is NULL, or when it is absent and the array holds a NULL.
            "array_contains" => new SqlExpr(ArrayContains(args[0].Sql, args[1].Sql), sparkName(name)),
            "concat" => new SqlExpr("(" + string.Join(" || ", args.Select(a => a.Sql)) + ")", sparkName("concat")),
            _ => null,
        };
    }

    /// <summary>Spark's <c>array_contains</c>: NULL when the value is NULL, or when it is absent and the array holds a NULL.</summary>
    internal static string ArrayContains(string array, string value) =>
        $"(CASE WHEN {array} IS NULL OR {value} IS NULL THEN NULL WHEN list_contains({array}, {value}) THEN TRUE " +
        $"WHEN len({array}) <> list_count({array}) THEN NULL ELSE FALSE END)";

    /// <summary>
    /// Spark's <c>array[i]</c>: 0-based (DuckDB lists are 1-based and count negative indexes from the end); an index out of
    /// bounds is NULL, or INVALID_ARRAY_INDEX under ANSI.
    /// </summary>
    internal static string ArrayIndex(string array, string index, bool ansi)
    {
        var outOfBounds = ansi
            ? RuntimeErrors.Raise("INVALID_ARRAY_INDEX", "22003", $"'The index ' || ({index}) || ' is out of bounds. The array has ' || len({array}) || ' elements. Use the SQL function `get()` to tolerate accessing element at invalid index and return NULL instead.'")
            : "NULL";
        return $"(CASE WHEN {array} IS NULL OR ({index}) IS NULL THEN NULL WHEN ({index}) >= 0 AND ({index}) < len({array}) THEN {array}[({index}) + 1] ELSE {outOfBounds} END)";
    }

    private static SqlExpr Count(ExpressionTranslator tx, RepeatedField<Expression> rawArgs, bool distinct)
    {
        if (rawArgs.Count == 1 && !distinct &&
            (rawArgs[0].ExprTypeCase == Expression.ExprTypeOneofCase.UnresolvedStar ||
             (rawArgs[0].ExprTypeCase == Expression.ExprTypeOneofCase.Literal && rawArgs[0].Literal.LiteralTypeCase != Expression.Types.Literal.LiteralTypeOneofCase.Null)))
        {
            return new SqlExpr("count(*)", "count(1)");
        }

        var args = rawArgs.Select(tx.Translate).ToList();
        var d = distinct ? "DISTINCT " : "";
        var sql = args.Count == 1
            ? $"count({d}{args[0].Sql})"
            : $"count({d}CASE WHEN {string.Join(" AND ", args.Select(a => a.Sql + " IS NOT NULL"))} THEN row({string.Join(", ", args.Select(a => a.Sql))}) END)";
        return new SqlExpr(sql, $"count({d}{string.Join(", ", args.Select(a => a.Name))})");
    }

    private static SqlExpr When(ExpressionTranslator tx, RepeatedField<Expression> rawArgs)
    {
        var args = rawArgs.Select(tx.Translate).ToList();
        var sql = new System.Text.StringBuilder("CASE");
        var name = new System.Text.StringBuilder("CASE");
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            sql.Append($" WHEN {args[i].Sql} THEN {args[i + 1].Sql}");
            name.Append($" WHEN {args[i].Name} THEN {args[i + 1].Name}");
        }

        if (args.Count % 2 == 1)
        {
            sql.Append($" ELSE {args[^1].Sql}");
            name.Append($" ELSE {args[^1].Name}");
        }

        return new SqlExpr(sql.Append(" END").ToString(), name.Append(" END").ToString());
    }
}
