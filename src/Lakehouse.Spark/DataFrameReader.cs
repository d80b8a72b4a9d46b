using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>
/// Builds a read: <c>spark.Read.Format("json").Option("multiLine", "true").Load(path)</c>. Each call returns a
/// new reader; nothing is read until an action runs.
/// </summary>
public sealed class DataFrameReader
{
    private readonly SparkSession _session;
    private readonly string? _format;
    private readonly string? _schema;
    private readonly IReadOnlyDictionary<string, string> _options;

    internal DataFrameReader(SparkSession session)
        : this(session, null, null, new Dictionary<string, string>())
    {
    }

    private DataFrameReader(SparkSession session, string? format, string? schema, IReadOnlyDictionary<string, string> options)
    {
        _session = session;
        _format = format;
        _schema = schema;
        _options = options;
    }

    /// <summary>The source format: delta, parquet, json, csv, text, binaryFile, …</summary>
    /// <param name="source">The format name.</param>
    public DataFrameReader Format(string source) => new(_session, source, _schema, _options);

    /// <summary>The schema in DDL form (<c>"id INT, name STRING"</c>) instead of inferring it.</summary>
    /// <param name="ddl">The DDL schema.</param>
    public DataFrameReader Schema(string ddl) => new(_session, _format, ddl, _options);

    /// <summary>A source option, e.g. header, multiLine, mode (PERMISSIVE) or columnNameOfCorruptRecord.</summary>
    /// <param name="key">The option name.</param>
    /// <param name="value">Its value.</param>
    public DataFrameReader Option(string key, string value) =>
        new(_session, _format, _schema, new Dictionary<string, string>(_options) { [key] = value });

    /// <summary>A boolean source option, sent as <c>true</c>/<c>false</c>.</summary>
    /// <param name="key">The option name.</param>
    /// <param name="value">Its value.</param>
    public DataFrameReader Option(string key, bool value) => Option(key, value ? "true" : "false");

    /// <summary>Several source options.</summary>
    /// <param name="options">Name → value.</param>
    public DataFrameReader Options(IReadOnlyDictionary<string, string> options)
    {
        var merged = new Dictionary<string, string>(_options);
        foreach (var (key, value) in options)
        {
            merged[key] = value;
        }

        return new(_session, _format, _schema, merged);
    }

    /// <summary>Delta time travel: read the table as of a version (the <c>versionAsOf</c> option).</summary>
    /// <param name="version">The table version.</param>
    public DataFrameReader VersionAsOf(long version) =>
        Option("versionAsOf", version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Delta time travel: read the table as of a timestamp (the <c>timestampAsOf</c> option).</summary>
    /// <param name="timestamp">A timestamp or date string Spark can cast, e.g. <c>2024-05-01 12:00:00</c>.</param>
    public DataFrameReader TimestampAsOf(string timestamp) => Option("timestampAsOf", timestamp);

    /// <summary>Reads files or directories (globs allowed) in the configured format.</summary>
    /// <param name="paths">Paths.</param>
    public DataFrame Load(params string[] paths)
    {
        var source = new Read.Types.DataSource();
        if (_format is not null)
        {
            source.Format = _format;
        }

        if (_schema is not null)
        {
            source.Schema = _schema;
        }

        source.Options.Add(new Dictionary<string, string>(_options));
        source.Paths.AddRange(paths);
        return _session.NewFrame(new Relation { Read = new Read { DataSource = source } });
    }

    /// <summary>Reads a table by name, or a path table such as <c>delta.`/data/orders`</c>.</summary>
    /// <param name="name">The table identifier.</param>
    public DataFrame Table(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var table = new Read.Types.NamedTable { UnparsedIdentifier = name };
        table.Options.Add(new Dictionary<string, string>(_options));
        return _session.NewFrame(new Relation { Read = new Read { NamedTable = table } });
    }

    /// <summary>JSON lines (one object per line; set multiLine for whole-file JSON).</summary>
    /// <param name="paths">Paths.</param>
    public DataFrame Json(params string[] paths) => Format("json").Load(paths);

    /// <summary>CSV files.</summary>
    /// <param name="paths">Paths.</param>
    public DataFrame Csv(params string[] paths) => Format("csv").Load(paths);

    /// <summary>Parquet files.</summary>
    /// <param name="paths">Paths.</param>
    public DataFrame Parquet(params string[] paths) => Format("parquet").Load(paths);

    /// <summary>Text files, one row per line in a <c>value</c> column.</summary>
    /// <param name="paths">Paths.</param>
    public DataFrame Text(params string[] paths) => Format("text").Load(paths);

    /// <summary>A Delta table by path.</summary>
    /// <param name="path">The table root.</param>
    public DataFrame Delta(string path) => Format("delta").Load(path);
}
