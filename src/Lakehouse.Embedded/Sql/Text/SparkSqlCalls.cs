using System.Globalization;

namespace Lakehouse.Embedded.Sql.Text;

/// <summary>
/// Function calls in Spark SQL text. A DuckDB function of the same name runs only when its semantics are Spark's
/// (<see cref="Same"/>); calls whose DuckDB namesake differs are rewritten with the DataFrame path's translations
/// (<see cref="Functions"/>, <see cref="Casts"/>); any other name DuckDB knows is refused, since running it could give
/// another answer than Spark. Names DuckDB does not know are left for DuckDB to report (UNRESOLVED_ROUTINE).
/// </summary>
internal static class SparkSqlCalls
{
    /// <summary>DuckDB functions whose arguments, semantics and result are Spark's (result types may be wider: bigint for int).</summary>
    private static readonly HashSet<string> Same = new(StringComparer.Ordinal)
    {
        "abs", "sqrt", "cbrt", "exp", "ln", "log10", "log2", "pow", "power", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
        "sinh", "cosh", "tanh", "degrees", "radians", "pi", "isnan",
        "lower", "upper", "lcase", "ucase", "trim", "ltrim", "rtrim", "reverse", "repeat", "lpad", "rpad", "replace", "translate",
        "md5", "sha1", "concat_ws", "position", "contains", "nullif", "greatest", "least", "ifnull", "coalesce", "if",
        "count", "count_if", "sum", "min", "max", "first", "last", "any_value", "stddev", "stddev_samp", "stddev_pop", "variance",
        "var_samp", "var_pop", "corr", "covar_pop", "covar_samp", "approx_count_distinct", "median", "bool_and", "bool_or",
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
        "nth_value", "current_date", "current_timestamp", "now", "last_day", "grouping",
    };

    /// <summary>Functions whose Spark result type is int where DuckDB's is bigint.</summary>
    private static readonly Dictionary<string, string> IntResults = new(StringComparer.Ordinal)
    {
        ["year"] = "year", ["month"] = "month", ["day"] = "day", ["dayofmonth"] = "dayofmonth", ["hour"] = "hour",
        ["minute"] = "minute", ["second"] = "second", ["quarter"] = "quarter", ["dayofyear"] = "dayofyear",
        ["weekofyear"] = "weekofyear", ["length"] = "length", ["char_length"] = "length", ["character_length"] = "length",
        ["instr"] = "instr", ["ascii"] = "ascii", ["bit_length"] = "bit_length", ["octet_length"] = "octet_length",
    };

    /// <summary>Functions Spark applies to the argument cast to a date (a string or timestamp argument included).</summary>
    private static readonly HashSet<string> DateArgument = new(StringComparer.Ordinal)
    {
        "year", "month", "day", "dayofmonth", "quarter", "dayofyear", "weekofyear", "dayofweek", "weekday", "last_day",
    };

    /// <summary>Functions Spark applies to the argument cast to a timestamp.</summary>
    private static readonly HashSet<string> TimestampArgument = new(StringComparer.Ordinal) { "hour", "minute", "second" };

    /// <summary>Spark's EXTRACT / date_part fields DuckDB computes the same way.</summary>
    private static readonly HashSet<string> SameFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "year", "years", "month", "months", "day", "days", "hour", "hours", "minute", "minutes", "quarter", "week", "weeks", "doy",
    };

    /// <summary>The DuckDB SQL for a call of <paramref name="name"/>, or null to keep the call as written.</summary>
    /// <exception cref="EmbeddedException">The function is refused inside SQL text.</exception>
    public static string? Rewrite(string name, List<SqlNode> argNodes, SqlTextContext context)
    {
        var lower = name.ToLowerInvariant();
        var ansi = context.Settings.Ansi;
        switch (lower)
        {
            case "cast" or "try_cast":
                return Cast(argNodes, lower == "try_cast", context);
            case "extract":
                return Extract(argNodes);
            case "substring" or "substr" when argNodes.Exists(n => n.IsWord("FROM")):
            {
                // substring(str FROM pos [FOR len]).
                var from = argNodes.FindIndex(n => n.IsWord("FROM"));
                var forAt = argNodes.FindIndex(n => n.IsWord("FOR"));
                var pos = forAt < 0 ? argNodes.Skip(from + 1) : argNodes.Take(forAt).Skip(from + 1);
                return Functions.Substring(SqlEmitter.Trimmed(argNodes.Take(from)), SqlEmitter.Trimmed(pos), forAt < 0 ? null : SqlEmitter.Trimmed(argNodes.Skip(forAt + 1)));
            }
        }

        var args = SparkSqlSemantics.SplitTopLevel(argNodes, ",").Select(SqlEmitter.Trimmed).Where(a => a.Length > 0).ToList();
        if (args.Count == 1 && (DateArgument.Contains(lower) || TimestampArgument.Contains(lower)))
        {
            // Spark casts the argument (e.g. a string '2009-07-30'); DuckDB cannot choose an overload for text.
            args[0] = $"{(ansi ? "CAST" : "TRY_CAST")}({args[0]} AS {(DateArgument.Contains(lower) ? "DATE" : "TIMESTAMPTZ")})";
        }

        string A(int i) => args[i];
        switch (lower)
        {
            case "concat":
                // Spark: NULL when any argument is; DuckDB's concat skips NULLs.
                return args.Count == 0 ? "''" : "(" + string.Join(" || ", args) + ")";
            case "split":
                return args.Count == 2 || (args.Count == 3 && long.TryParse(args[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && limit <= 0)
                    ? $"regexp_split_to_array({A(0)}, {A(1)})"
                    : throw Errors.Unsupported("split limit", "split() with a positive limit");
            case "round" or "bround":
                throw Errors.Unsupported("round in SQL text",
                    $"{lower}() inside SQL text (DuckDB rounds doubles in binary: round(1.005, 2) is 1.0 there and 1.01 in Spark, and the text gives no type to round otherwise); use the DataFrame function round()");
            case "hash":
                throw Errors.Unsupported("hash in SQL text",
                    "hash() inside SQL text (DuckDB's hash is not Spark's Murmur3, and the text gives no types to compute Spark's); use the DataFrame function hash()");
            case "log" when args.Count == 1:
                // Spark's one-argument log is the natural logarithm; DuckDB's is base 10.
                return $"ln({A(0)})";
            case "log" when args.Count == 2:
                return $"log({A(0)}, {A(1)})";
            case "dayofweek" when args.Count == 1:
                // Spark counts 1 = Sunday … 7 = Saturday; DuckDB 0 … 6.
                return $"CAST(dayofweek({A(0)}) + 1 AS INTEGER)";
            case "weekday" when args.Count == 1:
                // Spark counts 0 = Monday … 6 = Sunday; DuckDB's weekday is its dayofweek.
                return $"CAST(isodow({A(0)}) - 1 AS INTEGER)";
            case "substring" or "substr" when args.Count is 2 or 3:
                return Functions.Substring(A(0), A(1), args.Count > 2 ? A(2) : null);
            case "left" or "right" when args.Count == 2:
                // Spark: a length of 0 or less gives ''; DuckDB counts a negative length from the other end.
                return $"(CASE WHEN {A(1)} <= 0 THEN '' ELSE {lower}({A(0)}, {A(1)}) END)";
            case "regexp_replace" when args.Count == 3:
                return Functions.RegexpReplace(A(0), A(1), Replacement(argNodes));
            case "regexp_extract" when args.Count is 2 or 3:
                // Spark's default group is 1; DuckDB's is 0.
                return $"regexp_extract({A(0)}, {A(1)}, {(args.Count > 2 ? A(2) : "1")})";
            case "rlike" or "regexp_like" when args.Count == 2:
                return $"regexp_matches({A(0)}, {A(1)})";
            case "array":
                return $"list_value({string.Join(", ", args)})";
            case "startswith" when args.Count == 2:
                return $"starts_with({A(0)}, {A(1)})";
            case "endswith" when args.Count == 2:
                return $"ends_with({A(0)}, {A(1)})";
            case "array_contains" when args.Count == 2:
                return Functions.ArrayContains(A(0), A(1));
            case "mod" when args.Count == 2:
                return Functions.NonZero(ansi, $"({A(1)})", $"(({A(0)}) % ({A(1)}))");
            case "pmod" when args.Count == 2:
                return Functions.Pmod(ansi, $"({A(0)})", $"({A(1)})");
            case "floor" or "ceil" or "ceiling" when args.Count == 1:
                // Spark returns bigint (decimal(p - s + 1, 0) for decimals); DuckDB keeps the argument's type.
                return $"CAST({(lower == "floor" ? "floor" : "ceil")}({A(0)}) AS BIGINT)";
            case "sign" or "signum" when args.Count == 1:
                return $"CAST(sign({A(0)}) AS DOUBLE)";
            case "avg" or "mean" when args.Count == 1:
                return Average(A(0));
            case "date_part" when args.Count == 2 && argNodes.FirstOrDefault(n => !n.IsSpace) is { Kind: SqlNodeKind.String } field:
                return Field(SparkSqlText.Value(field.Text), A(1));
        }

        if (IntResults.TryGetValue(lower, out var duckName))
        {
            return $"CAST({duckName}({string.Join(", ", args)}) AS INTEGER)";
        }

        if (Same.Contains(lower) && DateArgument.Contains(lower))
        {
            return $"{lower}({string.Join(", ", args)})";
        }

        if (Same.Contains(lower) || !DuckDbCatalog.Functions.Contains(lower))
        {
            return null;
        }

        throw Errors.Unsupported("function in SQL text",
            $"The function {name}() inside SQL text (DuckDB has a function of that name, but its semantics were not verified to be Spark's); use the DataFrame function, or run on Apache Spark");
    }

    private static string Cast(List<SqlNode> argNodes, bool tryCast, SqlTextContext context)
    {
        var asIndex = argNodes.FindLastIndex(n => n.IsWord("AS"));
        if (asIndex < 0)
        {
            throw Errors.Unsupported("cast syntax", "A CAST without AS inside SQL text");
        }

        return CastSql(SqlEmitter.Trimmed(argNodes.Take(asIndex)), SqlEmitter.Trimmed(argNodes.Skip(asIndex + 1)), tryCast, context.Settings.Ansi);
    }

    /// <summary>Spark's <c>CAST(expr AS type)</c> of an expression whose type only DuckDB knows.</summary>
    public static string CastSql(string expr, string typeText, bool tryCast, bool ansi)
    {
        Lakehouse.Delta.Schema.DeltaType? target;
        try
        {
            target = SparkDdl.ParseType(typeText);
        }
        catch (EmbeddedException)
        {
            target = null;
        }

        var keyword = tryCast || !ansi ? "TRY_CAST" : "CAST";
        switch (target)
        {
            case null:
                return $"{keyword}({expr} AS {typeText})";
            case Lakehouse.Delta.Schema.PrimitiveType p when Casts.IntegralTypes.Contains(p.Name):
                return Casts.AnyToIntegral($"({expr})", Types.ToDuckDb(target), Types.SparkSqlName(target), ansi, tryCast);
            case Lakehouse.Delta.Schema.PrimitiveType { Name: "string" }:
                return Casts.AnyToString($"({expr})");
            default:
                return $"{keyword}({expr} AS {Types.ToDuckDb(target)})";
        }
    }

    private static string Extract(List<SqlNode> argNodes)
    {
        var from = argNodes.FindIndex(n => n.IsWord("FROM"));
        if (from < 0)
        {
            throw Errors.Unsupported("extract syntax", "EXTRACT without FROM inside SQL text");
        }

        return Field(SqlEmitter.Trimmed(argNodes.Take(from)).Trim('"'), SqlEmitter.Trimmed(argNodes.Skip(from + 1)));
    }

    /// <summary>Spark's EXTRACT(field FROM source) / date_part('field', source).</summary>
    private static string Field(string field, string source)
    {
        if (SameFields.Contains(field))
        {
            return $"CAST(date_part('{field.ToLowerInvariant()}', {source}) AS INTEGER)";
        }

        return field.ToUpperInvariant() switch
        {
            // Spark: 1 = Sunday … 7 = Saturday; DuckDB's dow counts from 0.
            "DAYOFWEEK" or "DOW" => $"CAST(date_part('dow', {source}) + 1 AS INTEGER)",
            "DAYOFWEEK_ISO" or "DOW_ISO" => $"CAST(date_part('isodow', {source}) AS INTEGER)",
            // Spark: seconds with the fraction, decimal(8, 6); DuckDB's second drops the fraction.
            "SECOND" or "SECONDS" or "SEC" or "SECS" or "S" =>
                $"CAST(CAST(date_part('microsecond', {source}) AS DECIMAL(8,0)) * CAST(0.000001 AS DECIMAL(7,6)) AS DECIMAL(8,6))",
            _ => throw Errors.Unsupported("extract field", $"EXTRACT/date_part of the field {field} inside SQL text"),
        };
    }

    /// <summary>
    /// Spark's avg: decimals average to an exact decimal(p + 4, s + 4), which needs the type the text does not give, so a
    /// decimal argument is refused when the query runs; other types average to a double as DuckDB's does.
    /// </summary>
    private static string Average(string arg)
    {
        var distinct = arg.StartsWith("DISTINCT ", StringComparison.OrdinalIgnoreCase);
        var value = distinct ? arg[9..] : arg;
        var refuse = RuntimeErrors.Raise("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", "0A000",
            SqlText.Str("avg() of a decimal inside SQL text is not supported by the embedded engine (Spark's exact decimal average needs the type the text does not give). Use the DataFrame function avg(), cast the argument to DOUBLE, or run this job on Apache Spark."));
        return $"avg({(distinct ? "DISTINCT " : "")}CASE WHEN typeof({value}) LIKE 'DECIMAL%' THEN {refuse} ELSE {value} END)";
    }

    /// <summary>The replacement argument of regexp_replace as an RE2 replacement: a literal converted here, an expression by DuckDB.</summary>
    private static string Replacement(List<SqlNode> argNodes)
    {
        var last = SparkSqlSemantics.SplitTopLevel(argNodes, ",")[2].Where(n => !n.IsSpace).ToList();
        return last is [{ Kind: SqlNodeKind.String } literal]
            ? Functions.JavaReplacementLiteral(SparkSqlText.Value(literal.Text))
            : Functions.JavaReplacementSql(SqlEmitter.Trimmed(last));
    }
}
