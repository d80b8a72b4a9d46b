using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>
/// Builds a write (<c>WriteOperation</c> command): <c>df.Write.Format("delta").Mode(SaveMode.Append)
/// .PartitionBy("day").Option("txnAppId", "bronze").SaveAsync(path)</c>. Each call returns a new writer.
/// </summary>
public sealed class DataFrameWriter
{
    private readonly DataFrame _frame;
    private readonly string? _format;
    private readonly SaveMode? _mode;
    private readonly IReadOnlyList<string> _partitionBy;
    private readonly IReadOnlyDictionary<string, string> _options;

    internal DataFrameWriter(DataFrame frame)
        : this(frame, null, null, [], new Dictionary<string, string>())
    {
    }

    private DataFrameWriter(DataFrame frame, string? format, SaveMode? mode, IReadOnlyList<string> partitionBy, IReadOnlyDictionary<string, string> options)
    {
        _frame = frame;
        _format = format;
        _mode = mode;
        _partitionBy = partitionBy;
        _options = options;
    }

    /// <summary>The output format, e.g. delta or parquet.</summary>
    /// <param name="source">The format name.</param>
    public DataFrameWriter Format(string source) => new(_frame, source, _mode, _partitionBy, _options);

    /// <summary>What to do when the target exists.</summary>
    /// <param name="mode">The mode.</param>
    public DataFrameWriter Mode(SaveMode mode) => new(_frame, _format, mode, _partitionBy, _options);

    /// <summary>The mode by Spark's name: append, overwrite, error / errorifexists, ignore (case-insensitive).</summary>
    /// <param name="mode">The mode name.</param>
    public DataFrameWriter Mode(string mode) => Mode(mode.ToLowerInvariant() switch
    {
        "append" => SaveMode.Append,
        "overwrite" => SaveMode.Overwrite,
        "error" or "errorifexists" or "default" => SaveMode.ErrorIfExists,
        "ignore" => SaveMode.Ignore,
        _ => throw new ArgumentException($"Unknown save mode '{mode}'. Use append, overwrite, errorifexists or ignore.", nameof(mode)),
    });

    /// <summary>Partition columns of the output.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrameWriter PartitionBy(params string[] columns) => new(_frame, _format, _mode, columns, _options);

    /// <summary>A writer option, e.g. txnAppId, txnVersion, replaceWhere, mergeSchema, overwriteSchema.</summary>
    /// <param name="key">The option name.</param>
    /// <param name="value">Its value.</param>
    public DataFrameWriter Option(string key, string value) =>
        new(_frame, _format, _mode, _partitionBy, new Dictionary<string, string>(_options) { [key] = value });

    /// <summary>A boolean writer option, sent as <c>true</c>/<c>false</c>.</summary>
    /// <param name="key">The option name.</param>
    /// <param name="value">Its value.</param>
    public DataFrameWriter Option(string key, bool value) => Option(key, value ? "true" : "false");

    /// <summary>A numeric writer option (e.g. txnVersion).</summary>
    /// <param name="key">The option name.</param>
    /// <param name="value">Its value.</param>
    public DataFrameWriter Option(string key, long value) =>
        Option(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Writes to a path.</summary>
    /// <param name="path">The output location.</param>
    /// <param name="cancellationToken">Cancels the call and interrupts the write.</param>
    /// <exception cref="SparkConnectException">The server failed the write.</exception>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return DataFrame.ExecuteCommandAsync(_frame.Session, SaveCommand(path), cancellationToken);
    }

    /// <summary>Writes to a table by name (created if missing).</summary>
    /// <param name="tableName">The table identifier.</param>
    /// <param name="cancellationToken">Cancels the call and interrupts the write.</param>
    /// <exception cref="SparkConnectException">The server failed the write.</exception>
    public Task SaveAsTableAsync(string tableName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        return DataFrame.ExecuteCommandAsync(_frame.Session, SaveAsTableCommand(tableName), cancellationToken);
    }

    internal Command SaveCommand(string path)
    {
        var write = Operation();
        write.Path = path;
        return new Command { WriteOperation = write };
    }

    internal Command SaveAsTableCommand(string tableName)
    {
        var write = Operation();
        write.Table = new WriteOperation.Types.SaveTable
        {
            TableName = tableName, SaveMethod = WriteOperation.Types.SaveTable.Types.TableSaveMethod.SaveAsTable,
        };
        return new Command { WriteOperation = write };
    }

    /// <summary>The WriteOperation without its target (path or table).</summary>
    private WriteOperation Operation()
    {
        var write = new WriteOperation { Input = _frame.Relation };
        if (_format is not null)
        {
            write.Source = _format;
        }

        if (_mode is { } mode)
        {
            write.Mode = mode switch
            {
                SaveMode.Append => WriteOperation.Types.SaveMode.Append,
                SaveMode.Overwrite => WriteOperation.Types.SaveMode.Overwrite,
                SaveMode.Ignore => WriteOperation.Types.SaveMode.Ignore,
                _ => WriteOperation.Types.SaveMode.ErrorIfExists,
            };
        }

        write.PartitioningColumns.AddRange(_partitionBy);
        write.Options.Add(new Dictionary<string, string>(_options));
        return write;
    }
}
