using System.Text.Json.Nodes;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// <c>spark.read.json</c>: newline-delimited records (or one document per file with <c>multiLine=true</c>; a
/// top-level array gives one record per element), parsed per record with DuckDB's JSON functions so that Spark's
/// parse modes hold. PERMISSIVE (default): a record that is not a JSON object, or has a value that does not fit its
/// field's type, keeps the fields that did convert, nulls the others, and puts its raw text in the corrupt-record
/// column if the schema has it (since Spark 3.0; docs "JSON Files", option <c>mode</c>). DROPMALFORMED drops such
/// records; FAILFAST fails with MALFORMED_RECORD_IN_PARSING. Blank lines are skipped. Without a schema, fields are
/// inferred from the well-formed records and sorted by name; malformed records add the corrupt-record column.
/// <para>
/// Cost: the text is read once, and a record is parsed twice whatever the schema's width: once to validate it and
/// once to extract every field (DuckDB's <c>json_extract</c> with a list of paths; string fields with
/// <c>json_extract_string</c>, which gives a non-string token's JSON text as Spark does). Only the small extracted
/// values of non-string fields are parsed again to check and convert them. A line that starts with <c>{</c> is an
/// object record as it is; only other lines (arrays, scalars, leading blanks, invalid text) go through the general
/// per-record list.
/// </para>
/// </summary>
internal static class JsonSource
{
    // A valid record that starts with '{' is an object: json_type (a full parse) only runs for the others.
    private const string BadRecord = "(CASE WHEN rec IS NULL THEN TRUE WHEN starts_with(rec, '{') THEN FALSE ELSE json_type(rec) <> 'OBJECT' END)";

    public static string Sql(IReadOnlyList<SourceFile> files, IReadOnlyDictionary<string, string> options, StructType? schema, ITranslationContext context)
    {
        var mode = ReadMode.From(options);
        var multiLine = options.TryGetValue("multiLine", out var m) && m.Equals("true", StringComparison.OrdinalIgnoreCase);
        var list = SqlText.StrList(files.Select(f => f.Path));
        var records = Records(list, multiLine);
        if (schema is not null)
        {
            var corrupt = mode.CorruptField(schema);
            if (schema.Fields.Where(f => f != corrupt).All(f => JsonValues.Supported(f.Type)))
            {
                return Parse(records, schema.Fields, corrupt?.Name, mode);
            }

            if (corrupt is null && mode.Mode != ParseMode.DropMalformed)
            {
                // Binary fields: DuckDB's reader converts them, and fails the query on malformed input (never a silent null).
                return ReadJson(list, multiLine, schema.Fields.Select(f => (f.Name, Types.ToDuckDb(f.Type))));
            }

            throw Errors.Unsupported("json parse mode", $"Reading JSON with binary fields or maps with non-string keys in mode {mode.Mode} or with a corrupt-record column");
        }

        var bad = context.Scalar($"SELECT count(*) FROM ({records}) WHERE {BadRecord}");
        if (bad == "0")
        {
            return Inferred(list, multiLine, context);
        }

        if (mode.Mode == ParseMode.FailFast)
        {
            var raw = context.Scalar($"SELECT raw FROM ({records}) WHERE {BadRecord} LIMIT 1") ?? "";
            throw ReadMode.Malformed(raw);
        }

        var structure = context.Scalar($"SELECT json_group_structure(CAST(rec AS JSON)) FROM ({records}) WHERE NOT {BadRecord}");
        var fields = InferredFields(structure);
        if (mode.Mode == ParseMode.Permissive && !fields.Any(f => f.Name == mode.CorruptColumn))
        {
            fields.Add(new StructField(mode.CorruptColumn, PrimitiveType.String));
        }

        // Spark's JSON inference orders fields by name, the corrupt-record column among them.
        fields.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return Parse(records, fields, mode.Mode == ParseMode.Permissive ? mode.CorruptColumn : null, mode);
    }

    /// <summary>Rows of (file, raw text, record text or NULL when the text is not JSON), one per record.</summary>
    private static string Records(string list, bool multiLine)
    {
        var file = SqlText.Ident(FileMetadata.FileColumn);
        var texts = multiLine
            ? $"SELECT filename AS {file}, content AS raw FROM read_text({list})"
            : TextLines.Sql(list);
        // The common line, a valid text starting with '{', is one object record: it is validated once and needs no
        // json_type; the CASE evaluates the later branches only for the other lines.
        var records = "CASE WHEN starts_with(raw, '{') AND json_valid(raw) THEN [raw] WHEN NOT json_valid(raw) THEN [NULL] " +
                      "WHEN json_type(raw) = 'ARRAY' THEN CAST(json_extract(raw, '$[*]') AS VARCHAR[]) ELSE [raw] END";
        return $"SELECT {file}, raw, unnest({records}) AS rec FROM ({texts}) WHERE raw IS NOT NULL AND (starts_with(raw, '{{') OR {NotBlank("raw")})";
    }

    /// <summary>SQL: the text has a character other than whitespace (RE2's <c>\s</c>: space, \t, \n, \f, \r), without a regex.</summary>
    private static string NotBlank(string text) => $"ltrim({text}, {SqlText.Str(" \t\n\f\r")}) <> ''";

    private static string Parse(string records, IEnumerable<StructField> schema, string? corrupt, ReadMode mode)
    {
        var fields = schema.Select((f, i) => (Field: f, X: $"__x{i}", V: $"__v{i}")).ToList();
        var data = fields.Where(f => f.Field.Name != corrupt).ToList();
        // String fields take any token, so they are never malformed: json_extract_string gives them directly.
        var strings = data.Where(f => IsString(f.Field.Type)).ToList();
        var others = data.Where(f => !IsString(f.Field.Type)).ToList();
        var file = SqlText.Ident(FileMetadata.FileColumn);
        var lists = new List<string>();
        if (strings.Count > 0)
        {
            lists.Add($"CASE WHEN NOT __rec_bad THEN json_extract_string(rec, {Paths(strings.Select(f => f.Field.Name))}) END AS __s");
        }

        if (others.Count > 0)
        {
            lists.Add($"CASE WHEN NOT __rec_bad THEN json_extract(rec, {Paths(others.Select(f => f.Field.Name))}) END AS __j");
        }

        var l0 = $"SELECT {file}, raw, rec, {BadRecord} AS __rec_bad FROM ({records})";
        var l1 = $"SELECT {file}, raw, __rec_bad{string.Concat(lists.Select(l => ", " + l))} FROM ({l0})";
        var extract = strings.Select((f, k) => $"__s[{k + 1}] AS {f.V}").Concat(others.Select((f, k) => $"__j[{k + 1}] AS {f.X}"));
        var l2 = $"SELECT {file}, raw, __rec_bad{string.Concat(extract.Select(e => ", " + e))} FROM ({l1})";
        // A field that does not fit (anywhere inside it) is NULL as a whole, and makes the record malformed.
        var convert = strings.Select(f => f.V).Concat(others.Select(f =>
            $"{JsonValues.Bad(f.X, f.Field.Type)} AS {f.X}_bad, CAST({JsonValues.Value(f.X, f.Field.Type)} AS {Types.ToDuckDb(f.Field.Type)}) AS {f.V}"));
        var l3 = $"SELECT {file}, raw, __rec_bad{string.Concat(convert.Select(c => ", " + c))} FROM ({l2})";
        var bad = string.Concat(others.Select(f => $" OR {f.X}_bad"));
        var l4 = $"SELECT *, (__rec_bad{bad}) AS __bad FROM ({l3})";
        var outputs = fields.Select(f =>
            (f.Field.Name == corrupt ? "CASE WHEN __bad THEN raw END" : IsString(f.Field.Type) ? f.V : $"CASE WHEN {f.X}_bad THEN NULL ELSE {f.V} END") + " AS " + SqlText.Ident(f.Field.Name));
        return $"SELECT {string.Join(", ", outputs)}, {file} FROM ({l4}){mode.Where("__bad", "raw")}";
    }

    private static bool IsString(DeltaType type) => type is PrimitiveType { Name: "string" };

    /// <summary>A DuckDB list of JSON pointers to the members <paramref name="names"/> of an object.</summary>
    private static string Paths(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(n => SqlText.Str(JsonValues.Pointer(n)))) + "]";

    private static string ReadJson(string list, bool multiLine, IEnumerable<(string Name, string Type)> fields)
    {
        var f = fields.ToList();
        var columns = string.Join(", ", f.Select(x => $"{SqlText.Str(x.Name)}: {SqlText.Str(x.Type)}"));
        var format = multiLine ? "array" : "newline_delimited";
        return $"SELECT {string.Join(", ", f.Select(x => SqlText.Ident(x.Name)))}, {SqlText.Ident(FileMetadata.FileColumn)} " +
               $"FROM read_json({list}, format = '{format}', columns = {{{columns}}}, hive_partitioning = false, filename = {SqlText.Str(FileMetadata.FileColumn)})";
    }

    private static string Inferred(string list, bool multiLine, ITranslationContext context)
    {
        // Spark infers strings as strings (no date/timestamp detection) and orders fields by name.
        var probe = $"SELECT * FROM read_json({list}, format = '{(multiLine ? "array" : "newline_delimited")}', hive_partitioning = false)";
        var fields = context.Describe(probe)
            .Select(d => (d.Name, Type: d.Type is "DATE" or "TIMESTAMP" or "TIMESTAMP WITH TIME ZONE" or "TIME" or "UUID" or "JSON" ? "VARCHAR" : d.Type))
            .OrderBy(d => d.Name, StringComparer.Ordinal);
        return ReadJson(list, multiLine, fields);
    }

    /// <summary>Spark types from DuckDB's merged JSON structure of the well-formed records (struct fields sorted by name, as Spark's inference).</summary>
    private static List<StructField> InferredFields(string? structure) =>
        structure is not null && JsonNode.Parse(structure) is JsonObject obj ? Fields(obj) : [];

    private static List<StructField> Fields(JsonObject obj) =>
        obj.Select(kv => new StructField(kv.Key, Inferred(kv.Value, kv.Key))).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

    private static DeltaType Inferred(JsonNode? node, string name) => node switch
    {
        JsonObject o => new StructType(Fields(o)),
        JsonArray { Count: > 0 } a => new ArrayType(Inferred(a[0], name), true),
        JsonArray => new ArrayType(PrimitiveType.String, true),
        _ => node?.GetValue<string>() switch
        {
            "BIGINT" or "UBIGINT" => PrimitiveType.Long,
            "DOUBLE" => PrimitiveType.Double,
            "BOOLEAN" => PrimitiveType.Boolean,
            // Spark infers string for all-null fields and for fields whose values have conflicting types.
            "VARCHAR" or "NULL" or "JSON" => PrimitiveType.String,
            var other => throw Errors.Unsupported("json inference", $"Inferring the field '{name}' of DuckDB JSON type {other} (give a schema)"),
        },
    };
}
