using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>Spark's parse modes for malformed records (option <c>mode</c>).</summary>
internal enum ParseMode
{
    /// <summary>Keep the record: unparsable fields are null, the raw text goes to the corrupt-record column.</summary>
    Permissive,

    /// <summary>Drop the record.</summary>
    DropMalformed,

    /// <summary>Fail the query with MALFORMED_RECORD_IN_PARSING.</summary>
    FailFast,
}

/// <summary>The parse mode and corrupt-record column of a json or csv read.</summary>
internal sealed record ReadMode(ParseMode Mode, string CorruptColumn)
{
    /// <summary>
    /// Reads <c>mode</c> (default PERMISSIVE; Spark treats an unknown mode as PERMISSIVE) and
    /// <c>columnNameOfCorruptRecord</c> (default <c>_corrupt_record</c>).
    /// </summary>
    public static ReadMode From(IReadOnlyDictionary<string, string> options)
    {
        options.TryGetValue("mode", out var mode);
        var parsed = mode?.ToUpperInvariant() switch
        {
            "DROPMALFORMED" => ParseMode.DropMalformed,
            "FAILFAST" => ParseMode.FailFast,
            _ => ParseMode.Permissive,
        };
        return new ReadMode(parsed, options.GetValueOrDefault("columnNameOfCorruptRecord", "_corrupt_record"));
    }

    /// <summary>The corrupt-record field of a user schema, checked to be a string as Spark requires; null when absent.</summary>
    public StructField? CorruptField(StructType? schema)
    {
        var field = schema?.Fields.FirstOrDefault(f => f.Name == CorruptColumn);
        if (field is not null && !(field.Type is PrimitiveType { Name: "string" } && field.Nullable))
        {
            throw new EmbeddedException("INVALID_CORRUPT_RECORD_TYPE", "42804",
                $"The column `{CorruptColumn}` for corrupt records must have the nullable STRING type, but got {field.Type}. Declare it as a nullable string in the schema.",
                new Dictionary<string, string> { ["columnName"] = $"`{CorruptColumn}`", ["actualType"] = field.Type.ToString() ?? "" });
        }

        return field;
    }

    /// <summary>
    /// The WHERE condition that applies the mode to rows whose boolean <paramref name="bad"/> says they are malformed
    /// (<paramref name="raw"/> is their text): DROPMALFORMED keeps the good ones, FAILFAST raises; PERMISSIVE keeps all.
    /// </summary>
    public string Where(string bad, string raw) => Mode switch
    {
        ParseMode.DropMalformed => $" WHERE NOT {bad}",
        ParseMode.FailFast => $" WHERE CASE WHEN {bad} THEN CAST(error({SqlText.Str(MalformedMarker)} || {raw}) AS BOOLEAN) ELSE TRUE END",
        _ => "",
    };

    /// <summary>The error a FAILFAST read raises, as Spark's.</summary>
    public static EmbeddedException Malformed(string raw) => new(
        "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION", "22023",
        $"Malformed records are detected in record parsing: {raw}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
        new Dictionary<string, string> { ["badRecord"] = raw, ["failFastMode"] = "FAILFAST" });

    /// <summary>Prefix of the DuckDB error a FAILFAST read raises; <see cref="Execution.DuckDbErrors"/> maps it to Spark's class.</summary>
    public const string MalformedMarker = "LAKEHOUSE_MALFORMED_RECORD: ";
}
