using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Casts where DuckDB's CAST differs from Spark's: strings to integral types (Spark accepts an optional sign, digits
/// and a fraction it truncates, nothing else — DuckDB rounds '1.5' to 2 and accepts '1e2', '0x10', '1_000'),
/// and doubles and timestamps to strings (Spark prints Java's Double.toString form and timestamps without a zone).
/// </summary>
internal static class Casts
{
    private static readonly HashSet<string> IntegralTypes = ["byte", "short", "integer", "long"];

    /// <summary>The SQL for the cast, or null when DuckDB's CAST already matches Spark.</summary>
    public static string? Special(string sql, string? sourceType, DeltaType target, bool ansi)
    {
        if (sourceType == "VARCHAR" && target is PrimitiveType p && IntegralTypes.Contains(p.Name))
        {
            return StringToIntegral(sql, Types.ToDuckDb(target), Types.SparkSqlName(target), ansi);
        }

        if (target is PrimitiveType { Name: "string" })
        {
            return sourceType switch
            {
                "DOUBLE" => $"spark_double_string({sql})",
                "FLOAT" => $"spark_float_string({sql})",
                "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP" => TimestampToString(sql),
                _ => null,
            };
        }

        return null;
    }

    /// <summary>Spark's timestamp text: <c>yyyy-MM-dd HH:mm:ss</c> in the session zone, then the fraction without trailing zeros.</summary>
    public static string TimestampToString(string sql) =>
        $"(strftime({sql}, '%Y-%m-%d %H:%M:%S') || rtrim(rtrim(strftime({sql}, '.%f'), '0'), '.'))";

    private static string StringToIntegral(string sql, string duckType, string sparkType, bool ansi)
    {
        // Spark trims whitespace, then parses [+-]digits with an optional fraction that it drops.
        var trimmed = $"trim({sql}, ' \t\n\r')";
        var integerPart = $"regexp_extract({trimmed}, '^[+-]?[0-9]*')";
        var parsed = $"(CASE WHEN regexp_full_match({trimmed}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)') " +
                     $"THEN TRY_CAST(CASE WHEN {integerPart} IN ('', '+', '-') THEN '0' ELSE {integerPart} END AS {duckType}) END)";
        if (!ansi)
        {
            return parsed;
        }

        var error = RuntimeErrors.Raise("CAST_INVALID_INPUT", "22018",
            $"'The value ''' || {sql} || ''' of the type \"STRING\" cannot be cast to \"{sparkType.ToUpperInvariant()}\" because it is malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL instead.'");
        return $"(CASE WHEN {sql} IS NULL THEN NULL WHEN {parsed} IS NULL THEN {error} ELSE {parsed} END)";
    }
}
