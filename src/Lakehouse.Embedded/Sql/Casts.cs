using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Casts where DuckDB's CAST differs from Spark's: strings to integral types (Spark accepts an optional sign, digits
/// and a fraction it truncates, nothing else — DuckDB rounds '1.5' to 2 and accepts '1e2', '0x10', '1_000'),
/// and doubles and timestamps to strings (Spark prints Java's Double.toString form and timestamps without a zone).
/// </summary>
internal static class Casts
{
    /// <summary>Spark's integral type names.</summary>
    public static readonly HashSet<string> IntegralTypes = ["byte", "short", "integer", "long"];

    /// <summary>The SQL for the cast, or null when DuckDB's CAST already matches Spark.</summary>
    /// <param name="sql">The value.</param>
    /// <param name="sourceType">Its DuckDB type, when known.</param>
    /// <param name="target">The Spark type to cast to.</param>
    /// <param name="ansi">Whether an invalid value fails (ANSI eval mode).</param>
    /// <param name="tryMode">try_cast: ANSI's parsing rules, but NULL instead of an error.</param>
    public static string? Special(string sql, string? sourceType, DeltaType target, bool ansi, bool tryMode = false)
    {
        if (sourceType == "VARCHAR" && target is PrimitiveType p && IntegralTypes.Contains(p.Name))
        {
            return StringToIntegral(sql, Types.ToDuckDb(target), Types.SparkSqlName(target), strict: ansi || tryMode, raise: ansi && !tryMode);
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

    /// <summary>
    /// A cast to an integral type of an expression whose type is known only to DuckDB (SQL text): the source type is told
    /// apart at run time with <c>typeof</c>, each branch valid for any type. Strings as <see cref="StringToIntegral"/>;
    /// floating values truncated; decimals by the integer part of their text (exact at any scale); out of range fails
    /// (Spark: NULL or wrap-around without ANSI) unless <paramref name="tryCast"/>.
    /// </summary>
    public static string AnyToIntegral(string sql, string duckType, string sparkType, bool ansi, bool tryCast)
    {
        var cast = tryCast ? "TRY_CAST" : "CAST";
        return $"(CASE WHEN typeof({sql}) = 'VARCHAR' THEN {StringToIntegral($"CAST({sql} AS VARCHAR)", duckType, sparkType, strict: ansi || tryCast, raise: ansi && !tryCast)} "
             + $"WHEN typeof({sql}) IN ('DOUBLE', 'FLOAT') THEN {cast}(trunc(TRY_CAST({sql} AS DOUBLE)) AS {duckType}) "
             + $"WHEN typeof({sql}) LIKE 'DECIMAL%' THEN {cast}(regexp_extract(CAST({sql} AS VARCHAR), '^-?[0-9]+') AS {duckType}) "
             + $"ELSE {cast}({sql} AS {duckType}) END)";
    }

    /// <summary>A cast to string of an expression whose type is known only to DuckDB: doubles, floats and timestamps in Spark's text.</summary>
    public static string AnyToString(string sql) =>
        $"(CASE WHEN typeof({sql}) = 'DOUBLE' THEN spark_double_string(TRY_CAST({sql} AS DOUBLE)) "
        + $"WHEN typeof({sql}) = 'FLOAT' THEN spark_float_string(TRY_CAST({sql} AS FLOAT)) "
        + $"WHEN typeof({sql}) = 'TIMESTAMP WITH TIME ZONE' THEN {TimestampToString($"TRY_CAST({sql} AS TIMESTAMPTZ)")} "
        + $"WHEN typeof({sql}) = 'TIMESTAMP' THEN {TimestampToString($"TRY_CAST({sql} AS TIMESTAMP)")} "
        + $"ELSE CAST({sql} AS VARCHAR) END)";

    /// <summary>Spark's timestamp text: <c>yyyy-MM-dd HH:mm:ss</c> in the session zone, then the fraction without trailing zeros.</summary>
    public static string TimestampToString(string sql) =>
        $"(strftime({sql}, '%Y-%m-%d %H:%M:%S') || rtrim(rtrim(strftime({sql}, '.%f'), '0'), '.'))";

    /// <summary>
    /// Spark's cast of a string to an integral type, after trimming: without ANSI <c>[+-]digits[.digits]</c> with the
    /// fraction dropped, else NULL; under ANSI and for try_cast (<paramref name="strict"/>) only <c>[+-]digits</c>
    /// (UTF8String.toLongExact: '1.5' and '1e1' are CAST_INVALID_INPUT); <paramref name="raise"/> fails instead of NULL.
    /// </summary>
    internal static string StringToIntegral(string sql, string duckType, string sparkType, bool strict, bool raise)
    {
        var trimmed = $"trim({sql}, ' \t\n\r')";
        string parsed;
        if (strict)
        {
            // A text that is all of [+-]?[0-9]+ is its own integer part, and DuckDB reads that syntax exactly as Spark
            // does (TRY_CAST gives NULL out of range, as try_cast does): no extraction needed.
            parsed = $"(CASE WHEN regexp_full_match({trimmed}, '[+-]?[0-9]+') THEN TRY_CAST({trimmed} AS {duckType}) END)";
        }
        else
        {
            var integerPart = $"regexp_extract({trimmed}, '^[+-]?[0-9]*')";
            parsed = $"(CASE WHEN regexp_full_match({trimmed}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)') " +
                     $"THEN TRY_CAST(CASE WHEN {integerPart} IN ('', '+', '-') THEN '0' ELSE {integerPart} END AS {duckType}) END)";
        }

        if (!raise)
        {
            return parsed;
        }

        var error = RuntimeErrors.Raise("CAST_INVALID_INPUT", "22018",
            $"'The value ''' || {sql} || ''' of the type \"STRING\" cannot be cast to \"{sparkType.ToUpperInvariant()}\" because it is malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL instead.'");
        return $"(CASE WHEN {sql} IS NULL THEN NULL WHEN {parsed} IS NULL THEN {error} ELSE {parsed} END)";
    }
}
