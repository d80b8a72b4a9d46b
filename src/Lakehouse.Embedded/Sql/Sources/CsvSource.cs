using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// <c>spark.read.csv</c>. Lines are tokenized as Spark does with <c>multiLine=false</c> (<see cref="CsvTokens"/>);
/// empty lines and, with <c>header=true</c>, each file's first line are skipped. Without a schema every column is a
/// string named by the header (or <c>_c0, _c1…</c>), as many as the first line has fields; a schema is applied by
/// position. A record with fewer fields reads NULL for the rest, extra fields are ignored (neither is malformed, as
/// Spark's docs say); a field equal to <c>nullValue</c> (default empty) is NULL. A field that does not parse as its
/// type makes the record malformed: PERMISSIVE (default) nulls that field and puts the line in the corrupt-record
/// column if the schema has one, DROPMALFORMED drops the line, FAILFAST fails with MALFORMED_RECORD_IN_PARSING.
/// <c>inferSchema=true</c> types the columns first (<see cref="CsvInference"/>, one pass over all records). <c>multiLine=true</c>
/// uses DuckDB's CSV reader, which fails on malformed input.
/// </summary>
internal static class CsvSource
{
    public static string Sql(IReadOnlyList<SourceFile> files, IReadOnlyDictionary<string, string> options, StructType? schema, ITranslationContext context)
    {
        var list = SqlText.StrList(files.Select(f => f.Path));
        var mode = ReadMode.From(options);
        var corrupt = mode.CorruptField(schema);
        var header = Bool(options, "header");
        if (Bool(options, "multiLine"))
        {
            if (corrupt is not null || mode.Mode == ParseMode.DropMalformed)
            {
                throw Errors.Unsupported("csv parse mode", $"Reading CSV with multiLine in mode {mode.Mode} or with a corrupt-record column");
            }

            return DuckDbReader(list, options, header);
        }

        var tokens = new CsvTokens(options);
        var fields = schema?.Fields.ToList() ?? HeaderFields(files, tokens, header);
        var file = SqlText.Ident(FileMetadata.FileColumn);
        var comment = options.TryGetValue("comment", out var c) && c.Length > 0 ? $" AND NOT starts_with(raw, {SqlText.Str(c)})" : "";
        var lines = TextLines.Sql(list, header ? 1 : 0);
        var nullValue = SqlText.Str(options.GetValueOrDefault("nullValue", ""));
        var data = fields.Select((f, i) => (Field: f, Index: i)).Where(f => f.Field != corrupt).Select((f, pos) => (f.Field, Pos: pos + 1, T: $"__t{f.Index}", V: $"__v{f.Index}")).ToList();
        var l1 = $"SELECT raw, {file}, {tokens.FieldsSql("raw")} AS __fields FROM ({lines}) WHERE raw IS NOT NULL AND raw <> ''{comment}";
        var texts = data.Select(d => $"nullif({tokens.UnquoteSql($"__fields[{d.Pos}]")}, {nullValue}) AS {d.T}");
        var l2 = $"SELECT raw, {file}{string.Concat(texts.Select(t => ", " + t))} FROM ({l1})";
        if (schema is null && Bool(options, "inferSchema"))
        {
            fields = CsvInference.Infer(l2, data.Select(d => (d.Field, d.T)).ToList(), context);
            data = data.Select((d, i) => d with { Field = fields[i] }).ToList();
        }

        var converted = data.Select(d => $"{d.T}, {ValueParsers.FromText(d.T, ScalarType(d.Field))} AS {d.V}");
        var l3 = $"SELECT raw, {file}{string.Concat(converted.Select(t => ", " + t))} FROM ({l2})";
        var bad = data.Count == 0 ? "FALSE" : string.Join(" OR ", data.Select(d => $"({d.T} IS NOT NULL AND {d.V} IS NULL)"));
        var l4 = $"SELECT *, ({bad}) AS __bad FROM ({l3})";
        var outputs = fields.Select((f, i) => (f == corrupt ? "CASE WHEN __bad THEN raw END" : $"__v{i}") + " AS " + SqlText.Ident(f.Name));
        return $"SELECT {string.Join(", ", outputs)}, {file} FROM ({l4}){mode.Where("__bad", "raw")}";
    }

    private static DeltaType ScalarType(StructField f) =>
        ValueParsers.IsScalar(f.Type) ? f.Type : throw Errors.Unsupported("csv type", $"The CSV field '{f.Name}' of type {f.Type} (CSV holds scalar values)");

    /// <summary>String columns named after the first line of the first file: its fields with a header, else <c>_c0…</c>.</summary>
    private static List<StructField> HeaderFields(IReadOnlyList<SourceFile> files, CsvTokens tokens, bool header)
    {
        var first = File.ReadLines(files[0].Path).FirstOrDefault(l => l.Length > 0);
        if (first is null)
        {
            return [];
        }

        var names = tokens.Fields(first).Select((f, i) => header && f.Length > 0 ? f : $"_c{i}").ToList();
        // Spark makes duplicate header names unique by appending their position.
        var duplicates = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return names.Select((n, i) => new StructField(duplicates.Contains(n) ? n + i : n, PrimitiveType.String)).ToList();
    }

    private static string DuckDbReader(string list, IReadOnlyDictionary<string, string> options, bool header)
    {
        var args = new List<string> { list, $"header = {(header ? "true" : "false")}", $"filename = {SqlText.Str(FileMetadata.FileColumn)}", TextLines.ReaderLimits, "hive_partitioning = false" };
        if (options.TryGetValue("sep", out var sep) || options.TryGetValue("delimiter", out sep))
        {
            args.Add($"delim = {SqlText.Str(sep)}");
        }

        if (options.TryGetValue("quote", out var quote))
        {
            args.Add($"quote = {SqlText.Str(quote)}");
        }

        args.Add($"escape = {SqlText.Str(options.GetValueOrDefault("escape", "\\"))}");
        if (options.TryGetValue("nullValue", out var nv))
        {
            args.Add($"nullstr = {SqlText.Str(nv)}");
        }

        if (!Bool(options, "inferSchema"))
        {
            args.Add("all_varchar = true");
        }

        var body = $"SELECT * FROM read_csv({string.Join(", ", args)})";
        var file = SqlText.Ident(FileMetadata.FileColumn);
        return header ? body : $"SELECT COLUMNS('column(\\d+)') AS '_c\\1', {file} FROM ({body})";
    }

    private static bool Bool(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);
}
