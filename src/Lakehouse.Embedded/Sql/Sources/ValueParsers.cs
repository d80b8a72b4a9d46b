using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// SQL that converts one parsed value to a Spark field type the way Spark's JSON (Jackson) and CSV (univocity)
/// parsers do, yielding NULL when the value does not fit the type; the caller marks a non-null input with a NULL
/// result as a malformed record. DuckDB's own casts are more lenient (<c>'1.5'</c> → 2, <c>'t'</c> → true), so each
/// conversion first checks the token's JSON type or the text's shape.
/// </summary>
internal static class ValueParsers
{
    /// <summary>The shape of an integer Java's Integer/Long parsing accepts (a DuckDB regex literal).</summary>
    internal const string IntegerText = "'^[+-]?[0-9]+$'";
    private const string DecimalText = "'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'";
    private const string DoubleText = "'^\\s*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[dDfF]?\\s*$'";
    private const string DateText = "'^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$'";

    /// <summary>Whether a field of this type can be converted from one JSON value (nested types are not).</summary>
    public static bool IsScalar(DeltaType type) => type is PrimitiveType { Name: not "binary" } or DecimalType;

    /// <summary>
    /// A JSON value (DuckDB JSON, NULL when the key is missing) as <paramref name="type"/>. Jackson's rules: integral
    /// fields take integer tokens in range; floating fields take numbers and the strings NaN/Infinity; strings take
    /// any token (non-string tokens as their JSON text); booleans only true/false; dates and timestamps take strings.
    /// </summary>
    public static string FromJson(string json, DeltaType type)
    {
        var t = $"json_type({json})";
        var s = $"json_extract_string({json}, '$')";
        return type switch
        {
            PrimitiveType { Name: "string" } => $"CASE WHEN {t} = 'VARCHAR' THEN {s} WHEN {t} <> 'NULL' THEN CAST({json} AS VARCHAR) END",
            PrimitiveType { Name: "boolean" } => $"CASE WHEN {t} = 'BOOLEAN' THEN CAST({json} AS BOOLEAN) END",
            PrimitiveType { Name: "long" or "integer" or "short" or "byte" } =>
                $"CASE WHEN {t} IN ('BIGINT', 'UBIGINT') THEN TRY_CAST({s} AS {Types.ToDuckDb(type)}) END",
            PrimitiveType { Name: "double" or "float" } =>
                $"CASE WHEN {t} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST({s} AS {Types.ToDuckDb(type)}) WHEN {t} = 'VARCHAR' THEN {NonNumeric(s, type)} END",
            DecimalType => $"CASE WHEN {t} IN ('BIGINT', 'UBIGINT', 'DOUBLE') OR ({t} = 'VARCHAR' AND regexp_matches({s}, {DecimalText})) THEN TRY_CAST({s} AS {Types.ToDuckDb(type)}) END",
            PrimitiveType { Name: "date" } => $"CASE WHEN {t} = 'VARCHAR' AND regexp_matches({s}, {DateText}) THEN TRY_CAST({s} AS DATE) END",
            PrimitiveType { Name: "timestamp" } =>
                $"CASE WHEN {t} = 'VARCHAR' THEN TRY_CAST({s} AS TIMESTAMPTZ) WHEN {t} IN ('BIGINT', 'UBIGINT') THEN to_timestamp(TRY_CAST({s} AS BIGINT)) END",
            PrimitiveType { Name: "timestamp_ntz" } => $"CASE WHEN {t} = 'VARCHAR' THEN TRY_CAST({s} AS TIMESTAMP) END",
            _ => throw new InvalidOperationException($"{type} is not a scalar JSON field type."),
        };
    }

    /// <summary>
    /// A CSV token (VARCHAR, NULL for an empty field) as <paramref name="type"/>, with Spark's parsers: Java's
    /// Integer/Long parsing (digits only), Double parsing plus Spark's <c>NaN</c>/<c>Inf</c>/<c>-Inf</c>, Scala's
    /// case-insensitive true/false, BigDecimal, and ISO dates and timestamps.
    /// </summary>
    public static string FromText(string text, DeltaType type) => type switch
    {
        PrimitiveType { Name: "string" } => text,
        PrimitiveType { Name: "boolean" } => $"CASE WHEN lower({text}) IN ('true', 'false') THEN lower({text}) = 'true' END",
        PrimitiveType { Name: "long" or "integer" or "short" or "byte" } =>
            $"CASE WHEN regexp_matches({text}, {IntegerText}) THEN TRY_CAST({text} AS {Types.ToDuckDb(type)}) END",
        PrimitiveType { Name: "double" or "float" } =>
            $"CASE WHEN regexp_matches({text}, {DoubleText}) THEN TRY_CAST(rtrim(trim({text}), 'dDfF') AS {Types.ToDuckDb(type)}) " +
            $"WHEN {text} = 'NaN' THEN CAST('NaN' AS {Types.ToDuckDb(type)}) WHEN {text} IN ('Inf', 'Infinity', '+Infinity') THEN CAST('Infinity' AS {Types.ToDuckDb(type)}) " +
            $"WHEN {text} IN ('-Inf', '-Infinity') THEN CAST('-Infinity' AS {Types.ToDuckDb(type)}) END",
        DecimalType => $"CASE WHEN regexp_matches({text}, {DecimalText}) THEN TRY_CAST({text} AS {Types.ToDuckDb(type)}) END",
        PrimitiveType { Name: "date" } => $"CASE WHEN regexp_matches({text}, {DateText}) THEN TRY_CAST({text} AS DATE) END",
        PrimitiveType { Name: "timestamp" } => $"TRY_CAST({text} AS TIMESTAMPTZ)",
        PrimitiveType { Name: "timestamp_ntz" } => $"TRY_CAST({text} AS TIMESTAMP)",
        _ => throw new InvalidOperationException($"{type} is not a scalar CSV field type."),
    };

    private static string NonNumeric(string s, DeltaType type)
    {
        var duck = Types.ToDuckDb(type);
        return $"CASE WHEN {s} IN ('NaN', '+NaN', '-NaN') THEN CAST('NaN' AS {duck}) WHEN {s} IN ('Infinity', '+Infinity', '+INF') THEN CAST('Infinity' AS {duck}) " +
               $"WHEN {s} IN ('-Infinity', '-INF') THEN CAST('-Infinity' AS {duck}) END";
    }
}
