using System.Globalization;
using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Arithmetic whose DuckDB semantics differ from Spark's: division by zero (NULL, or DIVIDE_BY_ZERO under ANSI —
/// never infinity), decimal results typed by Spark's rules, <c>div</c> in integers, <c>pmod</c> with a negative
/// divisor, HALF_UP rounding of doubles over their shortest decimal form, and Spark's result types of
/// floor/ceil/sign/avg.
/// </summary>
internal static partial class Functions
{
    private static SqlExpr? Arithmetic(ExpressionTranslator tx, string name, List<SqlExpr> a, bool distinct)
    {
        string N(string fn) => $"{fn}({string.Join(", ", a.Select(x => x.Name))})";
        switch (name)
        {
            case "/" when a.Count == 2:
                return new SqlExpr(NonZero(tx, a[1].Sql, Divide(tx, a[0].Sql, a[1].Sql)), $"({a[0].Name} / {a[1].Name})");
            case "div" when a.Count == 2:
                return new SqlExpr(NonZero(tx, a[1].Sql, IntegralDivide(tx, a[0].Sql, a[1].Sql)), $"({a[0].Name} div {a[1].Name})");
            case "%" or "mod" when a.Count == 2:
                return new SqlExpr(NonZero(tx, a[1].Sql, $"({a[0].Sql} % {a[1].Sql})"), $"({a[0].Name} % {a[1].Name})");
            case "pmod" when a.Count == 2:
            {
                return new SqlExpr(Pmod(tx.Settings.Ansi, a[0].Sql, a[1].Sql), N("pmod"));
            }

            case "round":
                return new SqlExpr(Round(tx, a[0].Sql, a.Count > 1 ? a[1].Sql : "0"), $"round({a[0].Name}, {(a.Count > 1 ? a[1].Name : "0")})");
            case "floor" or "ceil" or "ceiling":
            {
                var fn = name == "floor" ? "floor" : "ceil";
                // Spark: bigint for non-decimal input; decimal(p - s + 1, 0) for decimal(p, s).
                var type = Decimal(tx.TypeOf(a[0].Sql)) is { } d ? $"DECIMAL({Math.Min(38, d.Precision - d.Scale + 1)},0)" : "BIGINT";
                return new SqlExpr($"CAST({fn}({a[0].Sql}) AS {type})", $"{fn.ToUpperInvariant()}({a[0].Name})");
            }

            case "sign" or "signum":
                return new SqlExpr($"CAST(sign({a[0].Sql}) AS DOUBLE)", N(name));
            case "avg" or "mean":
            {
                // Spark: avg of decimal(p, s) is decimal(p + 4, s + 4), the exact mean rounded HALF_UP; DuckDB's is a double.
                var d = distinct ? "DISTINCT " : "";
                var type = tx.TypeOf(a[0].Sql);
                var sql = IsDecimalType(type) && Decimal(type) is { } dec
                    ? DecimalAverage($"sum({d}{a[0].Sql}){WindowSlot}", $"count({d}{a[0].Sql}){WindowSlot}", dec)
                    : $"avg({d}{a[0].Sql})";
                return new SqlExpr(sql, $"avg({d}{a[0].Name})");
            }

            case "size" or "cardinality":
            {
                // Spark: size(NULL) is -1 only with ANSI off (and the default spark.sql.legacy.sizeOfNull), else NULL.
                var fn = tx.TypeOf(a[0].Sql)?.StartsWith("MAP(", StringComparison.Ordinal) == true ? "cardinality" : "len";
                return new SqlExpr($"CAST(CASE WHEN {a[0].Sql} IS NULL THEN {(tx.Settings.Ansi ? "NULL" : "-1")} ELSE {fn}({a[0].Sql}) END AS INTEGER)", N(name));
            }

            default:
                return null;
        }
    }

    private static string NonZero(ExpressionTranslator tx, string divisor, string result) => NonZero(tx.Settings.Ansi, divisor, result);

    /// <summary>Spark's division by zero: <paramref name="result"/> unless the divisor is 0, then NULL, or DIVIDE_BY_ZERO under ANSI.</summary>
    internal static string NonZero(bool ansi, string divisor, string result) =>
        $"(CASE WHEN {divisor} = 0 THEN {(ansi ? RuntimeErrors.DivideByZero : "NULL")} ELSE {result} END)";

    /// <summary>Spark's <c>pmod(a, n)</c>: r = a % n; r &lt; 0 ? (r + n) % n : r (the sign of n does not flip a non-negative r).</summary>
    internal static string Pmod(bool ansi, string a, string n)
    {
        var r = $"({a} % {n})";
        return NonZero(ansi, n, $"(CASE WHEN {r} < 0 THEN ({r} + {n}) % {n} ELSE {r} END)");
    }

    /// <summary>
    /// Spark's <c>/</c>: double for non-decimal operands; with a decimal operand (and no floating one), the decimal type
    /// of Spark's DecimalPrecision rule (scale max(6, s1 + p2 + 1), precision bounded to 38), the exact quotient
    /// rounded HALF_UP. DuckDB divides decimals as doubles, so the quotient is computed on 128-bit unscaled integers.
    /// </summary>
    private static string Divide(ExpressionTranslator tx, string left, string right)
    {
        var lt = tx.TypeOf(left);
        var rt = tx.TypeOf(right);
        if (!(IsDecimalType(lt) || IsDecimalType(rt)) || Decimal(lt) is not { } l || Decimal(rt) is not { } r)
        {
            return $"(CAST({left} AS DOUBLE) / CAST({right} AS DOUBLE))";
        }

        var scale = Math.Max(6, l.Scale + r.Precision + 1);
        var precision = l.Precision - l.Scale + r.Scale + scale;
        if (precision > 38)
        {
            scale = Math.Max(38 - (precision - scale), Math.Min(scale, 6));
            precision = 38;
        }

        if (l.Precision + l.Scale > 38 || r.Precision + r.Scale > 38)
        {
            throw Errors.Unsupported("decimal division", $"Dividing decimals this wide (decimal({l.Precision},{l.Scale}) / decimal({r.Precision},{r.Scale}))");
        }

        // quotient × 10^scale = A × 10^(s2 + scale − s1) / B for the unscaled A and B.
        var shift = r.Scale + scale - l.Scale;
        var n = Times(Unscaled(left, l), shift);
        var d = Times(Unscaled(right, r), -shift);
        var rounded = $"(sign({n}) * sign({d}) * ((2 * abs({n}) + abs({d})) // (2 * abs({d}))))";
        var value = scale == 0
            ? $"CAST({rounded} AS DECIMAL(38,0))"
            : $"(CAST({rounded} AS DECIMAL(38,0)) * CAST('0.{new string('0', scale - 1)}1' AS DECIMAL(38,{scale})))";
        return $"CAST({value} AS DECIMAL({precision},{scale}))";
    }

    /// <summary>Marks where an aggregate inside a larger expression takes the window's OVER clause (a comment otherwise).</summary>
    public const string WindowSlot = " /*OVER*/";

    private static string DecimalAverage(string sum, string count, (int Precision, int Scale) type)
    {
        var scale = Math.Min(38, type.Scale + 4);
        var n = $"(CAST({sum} * CAST(1{new string('0', type.Scale)} AS HUGEINT) AS HUGEINT) * CAST(10000 AS HUGEINT))";
        var rounded = $"(sign({n}) * ((2 * abs({n}) + {count}) // (2 * {count})))";
        return $"(CASE WHEN {count} = 0 THEN NULL ELSE CAST(CAST({rounded} AS DECIMAL(38,0)) * CAST('0.{new string('0', scale - 1)}1' AS DECIMAL(38,{scale})) AS DECIMAL({Math.Min(38, type.Precision + 4)},{scale})) END)";
    }

    private static string Unscaled(string sql, (int Precision, int Scale) type) =>
        $"CAST(CAST({sql} AS DECIMAL({Math.Min(38, type.Precision + type.Scale)},{type.Scale})) * CAST(1{new string('0', type.Scale)} AS HUGEINT) AS HUGEINT)";

    private static string Times(string hugeint, int power) =>
        power <= 0 ? hugeint : $"({hugeint} * CAST(1{new string('0', power)} AS HUGEINT))";

    /// <summary>Spark's <c>div</c>: the quotient truncated toward zero, as a bigint; computed in integers, never via a double.</summary>
    private static string IntegralDivide(ExpressionTranslator tx, string left, string right)
    {
        var lt = tx.TypeOf(left);
        var rt = tx.TypeOf(right);
        if (IsDecimalType(lt) || IsDecimalType(rt))
        {
            // Scale both to integers with the larger scale, then divide as 128-bit integers (DuckDB's // truncates).
            var scale = Math.Max(Decimal(lt)?.Scale ?? 0, Decimal(rt)?.Scale ?? 0);
            var factor = "CAST(1" + new string('0', scale) + " AS HUGEINT)";
            return $"CAST(CAST({left} * {factor} AS HUGEINT) // CAST({right} * {factor} AS HUGEINT) AS BIGINT)";
        }

        // Spark casts non-decimal operands to bigint (fractions truncated) before dividing.
        string Long(string sql, string? type) => type is "DOUBLE" or "FLOAT" ? $"CAST(trunc({sql}) AS BIGINT)" : $"CAST({sql} AS BIGINT)";
        return $"({Long(left, lt)} // {Long(right, rt)})";
    }

    /// <summary>
    /// Spark's round: HALF_UP. Doubles are rounded as the decimal of their shortest representation (Scala's
    /// BigDecimal(double)), so round(1.005, 2) = 1.01 where DuckDB's binary rounding gives 1.0.
    /// </summary>
    private static string Round(ExpressionTranslator tx, string x, string digits)
    {
        var type = tx.TypeOf(x);
        if (type is "DOUBLE" or "FLOAT")
        {
            var decimalForm = $"CAST(CAST(CAST({x} AS DOUBLE) AS VARCHAR) AS DECIMAL(38,20))";
            // Beyond 2^53 every double is an integer and has no fraction to round.
            var sql = $"(CASE WHEN isfinite({x}) AND abs({x}) < 9e15 THEN CAST(round({decimalForm}, {digits}) AS DOUBLE) ELSE CAST(round({x}, {digits}) AS DOUBLE) END)";
            return type == "FLOAT" ? $"CAST({sql} AS FLOAT)" : sql;
        }

        if (Decimal(type) is { } d && IsDecimalType(type) && int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            // Spark: decimal(p - s + 1 + min(s, d), min(s, d)) for d >= 0.
            var scale = Math.Max(0, Math.Min(d.Scale, n));
            return $"CAST(round({x}, {digits}) AS DECIMAL({Math.Min(38, d.Precision - d.Scale + 1 + scale)},{scale}))";
        }

        return type is null ? $"round({x}, {digits})" : $"CAST(round({x}, {digits}) AS {type})";
    }

    private static bool IsDecimalType(string? type) => type?.StartsWith("DECIMAL", StringComparison.Ordinal) == true;

    /// <summary>The decimal precision and scale of a DuckDB type as Spark sees it (integers as decimal(3/5/10/20, 0)), or null.</summary>
    private static (int Precision, int Scale)? Decimal(string? type)
    {
        switch (type)
        {
            case "TINYINT": return (3, 0);
            case "SMALLINT": return (5, 0);
            case "INTEGER": return (10, 0);
            case "BIGINT": return (20, 0);
        }

        var m = type is null ? null : DecimalType().Match(type);
        return m is { Success: true }
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$")]
    private static partial Regex DecimalType();
}
