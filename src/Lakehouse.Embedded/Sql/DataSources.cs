using Lakehouse.Delta.Schema;
using Lakehouse.Embedded.Delta;
using Lakehouse.Embedded.Sql.Sources;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// <c>spark.read.format(...)</c> sources as DuckDB SQL, with Spark's defaults. File sources list their files as
/// Spark does (<see cref="FileListing"/>) and carry the filename column last, for <c>_metadata</c>.
/// </summary>
internal static class DataSources
{
    private static readonly string[] FileOptions = ["path", "pathGlobFilter", "recursiveFileLookup", "modifiedBefore", "modifiedAfter", "encoding", "charset"];

    /// <summary>The options each format honours; any other option would change the result unseen, so it is refused.</summary>
    private static readonly Dictionary<string, HashSet<string>> Known = new()
    {
        ["parquet"] = new([.. FileOptions, "mergeSchema"], StringComparer.OrdinalIgnoreCase),
        ["json"] = new([.. FileOptions, "multiLine", "mode", "columnNameOfCorruptRecord", "samplingRatio"], StringComparer.OrdinalIgnoreCase),
        ["csv"] = new([.. FileOptions, "header", "inferSchema", "sep", "delimiter", "quote", "escape", "nullValue", "comment", "mode", "columnNameOfCorruptRecord", "multiLine", "enforceSchema", "samplingRatio"], StringComparer.OrdinalIgnoreCase),
        ["text"] = new([.. FileOptions, "wholetext"], StringComparer.OrdinalIgnoreCase),
        ["binaryfile"] = new(FileOptions, StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>
    /// A source's SQL (with its column names when they are known without a DESCRIBE), and the files it reads when it
    /// is a file source (its SQL then ends with the filename column). DuckDB's readers get <c>hive_partitioning =
    /// false</c>: they would otherwise add a column for every <c>key=value</c> directory in a file's path, where Spark
    /// adds partition columns only for directories under the path it was given (which the listing refuses).
    /// <c>read_text</c> and <c>read_blob</c> take no such option; their columns are always selected by name.
    /// </summary>
    public static (SourceSql Sql, FileMetadata? Files) Sql(Read.Types.DataSource ds, ITranslationContext context)
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

        var schema = ds.HasSchema && !string.IsNullOrWhiteSpace(ds.Schema) ? SparkDdl.ParseSchema(ds.Schema) : null;
        if (format == "delta")
        {
            if (paths.Count != 1)
            {
                throw Errors.InvalidArgument("delta read", "exactly one table path is required");
            }

            if (ChangeFeedSql.Requested(options))
            {
                return (context.DeltaChangesSql(paths[0], options), null);
            }

            options.TryGetValue("versionAsOf", out var v);
            options.TryGetValue("timestampAsOf", out var ts);
            return (context.DeltaTableSql(paths[0], v, ts), null);
        }

        if (format is not ("parquet" or "csv" or "json" or "text" or "binaryfile"))
        {
            throw Errors.Unsupported("format", $"The data source format '{format}'");
        }

        if (options.Keys.FirstOrDefault(k => !Known[format].Contains(k)) is { } unknown)
        {
            throw Errors.Unsupported("read option", $"The {format} read option '{unknown}'");
        }

        if ((options.GetValueOrDefault("encoding") ?? options.GetValueOrDefault("charset")) is { } encoding
            && !encoding.Replace("-", "", StringComparison.Ordinal).Equals("UTF8", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.Unsupported("read option", $"Reading files in encoding '{encoding}' (only UTF-8)");
        }

        var files = FileListing.List(paths, options, context.Settings.TimeZone);
        var metadata = new FileMetadata(FileMetadata.FileColumn, files);
        if (files.Count == 0)
        {
            return (new SourceSql(Empty(format, schema)), metadata);
        }

        var list = SqlText.StrList(files.Select(f => f.Path));
        var file = SqlText.Ident(FileMetadata.FileColumn);
        var sql = format switch
        {
            "parquet" => Parquet(files, schema, context),
            "csv" => new SourceSql(CsvSource.Sql(files, options, schema, context)),
            "json" => new SourceSql(JsonSource.Sql(files, options, schema, context)),
            "text" => new SourceSql(Text(list, options), ["value", FileMetadata.FileColumn]),
            _ => new SourceSql(
                $"SELECT {metadata.StructSql("filename")}.file_path AS \"path\", last_modified AS \"modificationTime\", size AS \"length\", content AS \"content\", filename AS {file} FROM read_blob({list})",
                ["path", "modificationTime", "length", "content", FileMetadata.FileColumn]),
        };
        return (sql, metadata);
    }

    /// <summary>Parquet files: their columns come from the footer cache, so planning reads no footer it has seen.</summary>
    private static SourceSql Parquet(IReadOnlyList<SourceFile> files, StructType? schema, ITranslationContext context)
    {
        var set = ParquetColumns.Of(files.Select(f => new ParquetFileKey(f.Path, f.Size, f.ModifiedUtc.Ticks)).ToList(), context.Rows);
        var read = $"SELECT * FROM read_parquet({SqlText.StrList(files.Select(f => f.Path))}, {set.ReadOptions}, filename = {SqlText.Str(FileMetadata.FileColumn)})";
        if (schema is not null)
        {
            return new SourceSql(Project(read, schema), [.. schema.Fields.Select(f => f.Name), FileMetadata.FileColumn]);
        }

        return new SourceSql(read, set.Columns is { } columns ? [.. columns, FileMetadata.FileColumn] : null);
    }

    /// <summary>
    /// Spark's text source: one row per line (lines end at \n, \r\n or \r; a final line terminator adds no row),
    /// or one row per file with <c>wholetext=true</c>.
    /// </summary>
    private static string Text(string list, IReadOnlyDictionary<string, string> options)
    {
        var file = SqlText.Ident(FileMetadata.FileColumn);
        if (options.TryGetValue("wholetext", out var w) && w.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return $"SELECT content AS \"value\", filename AS {file} FROM read_text({list})";
        }

        var lines = $"regexp_split_to_array(regexp_replace(content, '(\\r\\n|\\r|\\n)$', ''), '\\r\\n|\\r|\\n')";
        return $"SELECT unnest(CASE WHEN content = '' THEN []::VARCHAR[] ELSE {lines} END) AS \"value\", filename AS {file} FROM read_text({list})";
    }

    private static string Empty(string format, StructType? schema)
    {
        IEnumerable<(string Name, string Type)> columns = format switch
        {
            "text" => [("value", "VARCHAR")],
            "binaryfile" => [("path", "VARCHAR"), ("modificationTime", "TIMESTAMPTZ"), ("length", "BIGINT"), ("content", "BLOB")],
            _ => schema?.Fields.Select(f => (f.Name, Types.ToDuckDb(f.Type)))
                 ?? throw new EmbeddedException("UNABLE_TO_INFER_SCHEMA", "42KD9",
                     $"Unable to infer schema for {format.ToUpperInvariant()}: there are no files to read. It must be specified manually: pass a schema, or check the path.",
                     new Dictionary<string, string> { ["format"] = format.ToUpperInvariant() }),
        };
        return $"SELECT {string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.Type}) AS {SqlText.Ident(c.Name)}"))}, CAST(NULL AS VARCHAR) AS {SqlText.Ident(FileMetadata.FileColumn)} WHERE FALSE";
    }

    private static string Project(string sql, StructType? schema) =>
        schema is null
            ? sql
            : $"SELECT {string.Join(", ", schema.Fields.Select(f => $"CAST({SqlText.Ident(f.Name)} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"))}, {SqlText.Ident(FileMetadata.FileColumn)} FROM ({sql})";
}
