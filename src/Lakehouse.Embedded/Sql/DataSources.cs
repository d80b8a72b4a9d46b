using Lakehouse.Delta.Schema;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// <c>spark.read.format(...)</c> sources as DuckDB table functions, with Spark's defaults: CSV columns are strings
/// unless inferSchema=true and are named <c>_c0, _c1…</c> without a header; JSON fields come back in alphabetical
/// order as Spark's schema inference orders them; a given schema is applied by name and type.
/// </summary>
internal static class DataSources
{
    public static string Sql(Read.Types.DataSource ds, ITranslationContext context)
    {
        var format = (ds.HasFormat ? ds.Format : "parquet").ToLowerInvariant();
        var options = new Dictionary<string, string>(ds.Options, StringComparer.OrdinalIgnoreCase);
        var paths = ds.Paths.ToList();
        if (paths.Count == 0 && options.TryGetValue("path", out var p))
        {
            paths.Add(p);
        }

        if (paths.Count == 0)
        {
            throw Errors.InvalidArgument("read", "no path was given; pass a path to load()");
        }

        foreach (var path in paths.Where(x => !x.Contains('*', StringComparison.Ordinal) && !x.Contains('?', StringComparison.Ordinal)))
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw Errors.PathNotFound(path);
            }
        }

        var schema = ds.HasSchema && !string.IsNullOrWhiteSpace(ds.Schema) ? SparkDdl.ParseSchema(ds.Schema) : null;
        var files = SqlText.StrList(paths.Select(Expand));
        switch (format)
        {
            case "delta":
                if (paths.Count != 1)
                {
                    throw Errors.InvalidArgument("delta read", "exactly one table path is required");
                }

                options.TryGetValue("versionAsOf", out var v);
                options.TryGetValue("timestampAsOf", out var ts);
                return context.DeltaTableSql(paths[0], v, ts);
            case "parquet":
                return Project($"SELECT * FROM read_parquet({files}, union_by_name = true)", schema);
            case "csv":
                return Csv(files, options, schema);
            case "json":
                return Json(files, options, schema, context);
            case "text":
                return $"SELECT column0 AS \"value\" FROM read_csv({files}, header = false, columns = {{'column0': 'VARCHAR'}}, delim = '\\0', quote = '', escape = '', auto_detect = false)";
            default:
                throw Errors.Unsupported("format", $"The data source format '{format}'");
        }
    }

    private static string Expand(string path) =>
        Directory.Exists(path) ? Path.Combine(path, "*") : path;

    private static string Csv(string files, Dictionary<string, string> options, StructType? schema)
    {
        var header = Bool(options, "header");
        var infer = Bool(options, "inferSchema");
        var args = new List<string> { files, $"header = {(header ? "true" : "false")}" };
        if (options.TryGetValue("sep", out var sep) || options.TryGetValue("delimiter", out sep))
        {
            args.Add($"delim = {SqlText.Str(sep)}");
        }

        if (options.TryGetValue("quote", out var quote))
        {
            args.Add($"quote = {SqlText.Str(quote)}");
        }

        if (options.TryGetValue("escape", out var esc))
        {
            args.Add($"escape = {SqlText.Str(esc)}");
        }

        if (options.TryGetValue("nullValue", out var nv))
        {
            args.Add($"nullstr = {SqlText.Str(nv)}");
        }

        CorruptRecordMode(options, "csv", schema);
        if (schema is not null)
        {
            var cols = schema.Fields.Select((f, i) => $"{SqlText.Str(header ? f.Name : "column" + i)}: {SqlText.Str(Types.ToDuckDb(f.Type))}");
            args.Add("columns = {" + string.Join(", ", cols) + "}");
            args.Add("auto_detect = false");
            var sql = $"SELECT * FROM read_csv({string.Join(", ", args)})";
            return header ? sql : $"SELECT {string.Join(", ", schema.Fields.Select((f, i) => $"{SqlText.Ident("column" + i)} AS {SqlText.Ident(f.Name)}"))} FROM ({sql})";
        }

        if (!infer)
        {
            // Spark reads every CSV column as string unless inferSchema is set.
            args.Add("all_varchar = true");
        }

        var body = $"SELECT * FROM read_csv({string.Join(", ", args)})";
        return header ? body : $"SELECT COLUMNS('column(\\d+)') AS '_c\\1' FROM ({body})";
    }

    private static string Json(string files, Dictionary<string, string> options, StructType? schema, ITranslationContext context)
    {
        CorruptRecordMode(options, "json", schema);
        var format = Bool(options, "multiLine") ? "array" : "newline_delimited";
        if (schema is not null)
        {
            var cols = schema.Fields.Select(f => $"{SqlText.Str(f.Name)}: {SqlText.Str(Types.ToDuckDb(f.Type))}");
            return $"SELECT {string.Join(", ", schema.Fields.Select(f => SqlText.Ident(f.Name)))} FROM read_json({files}, format = '{format}', columns = {{{string.Join(", ", cols)}}})";
        }

        // Spark infers strings as strings (no date/timestamp detection) and orders fields by name.
        var probe = $"SELECT * FROM read_json({files}, format = '{format}')";
        var described = context.Describe(probe);
        var fields = described
            .Select(d => (d.Name, Type: d.Type is "DATE" or "TIMESTAMP" or "TIMESTAMP WITH TIME ZONE" or "TIME" or "UUID" ? "VARCHAR" : d.Type == "JSON" ? "VARCHAR" : d.Type))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        var columns = string.Join(", ", fields.Select(f => $"{SqlText.Str(f.Name)}: {SqlText.Str(f.Type)}"));
        return $"SELECT {string.Join(", ", fields.Select(f => SqlText.Ident(f.Name)))} FROM read_json({files}, format = '{format}', columns = {{{columns}}})";
    }

    private static void CorruptRecordMode(Dictionary<string, string> options, string format, StructType? schema)
    {
        options.TryGetValue("mode", out var mode);
        var corruptColumn = options.GetValueOrDefault("columnNameOfCorruptRecord", "_corrupt_record");
        if (mode is not null && !mode.Equals("FAILFAST", StringComparison.OrdinalIgnoreCase) && !mode.Equals("PERMISSIVE", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.Unsupported("read mode", $"Read mode '{mode}' for {format}");
        }

        if (schema?.Find(corruptColumn) is not null)
        {
            throw Errors.Unsupported("corrupt record column", $"Keeping malformed {format} records in '{corruptColumn}'");
        }
    }

    private static string Project(string sql, StructType? schema) =>
        schema is null
            ? sql
            : $"SELECT {string.Join(", ", schema.Fields.Select(f => $"CAST({SqlText.Ident(f.Name)} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"))} FROM ({sql})";

    private static bool Bool(Dictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);
}
