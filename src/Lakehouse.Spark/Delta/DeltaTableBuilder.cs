using Lakehouse.Spark.Delta.Sql;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// A CREATE [OR REPLACE] TABLE being built (delta-spark's DeltaTableBuilder):
/// <c>DeltaTable.CreateIfNotExists(spark).TableName("silver.orders").AddColumn("id", "bigint", nullable: false)
/// .PartitionedBy("date").Property("delta.appendOnly", "false").ExecuteAsync()</c>. Immutable.
/// </summary>
public sealed class DeltaTableBuilder
{
    private readonly SparkSession _spark;
    private readonly Spec _spec;

    internal DeltaTableBuilder(SparkSession spark, CreateMode mode)
        : this(spark, new Spec(mode, null, null, null, [], [], [], new Dictionary<string, string>()))
    {
    }

    private DeltaTableBuilder(SparkSession spark, Spec spec)
    {
        _spark = spark ?? throw new ArgumentNullException(nameof(spark));
        _spec = spec;
    }

    /// <summary>What to do about an existing table (CreateDeltaTable.Mode in commands.proto).</summary>
    internal enum CreateMode
    {
        Create = 1,
        CreateIfNotExists = 2,
        Replace = 3,
        CreateOrReplace = 4,
    }

    /// <summary>The catalog name of the table, e.g. <c>silver.orders</c>.</summary>
    /// <param name="name">The (multi-part) name.</param>
    public DeltaTableBuilder TableName(string name)
    {
        SqlIdentifiers.Parse(name);
        return With(_spec with { Name = name });
    }

    /// <summary>Where the table's files live; alone, it creates a path table.</summary>
    /// <param name="path">The table root.</param>
    public DeltaTableBuilder Location(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return With(_spec with { Location = path });
    }

    /// <summary>The table's description.</summary>
    /// <param name="comment">The comment.</param>
    public DeltaTableBuilder Comment(string comment) => With(_spec with { Comment = comment ?? throw new ArgumentNullException(nameof(comment)) });

    /// <summary>Adds a column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="dataType">Its type in DDL form: <c>bigint</c>, <c>decimal(18,2)</c>, <c>array&lt;string&gt;</c>, …</param>
    /// <param name="nullable">Whether it may hold nulls.</param>
    /// <param name="generatedAlwaysAs">A SQL expression making it a generated column, or null.</param>
    /// <param name="comment">A column comment, or null.</param>
    public DeltaTableBuilder AddColumn(string name, string dataType, bool nullable = true, string? generatedAlwaysAs = null, string? comment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataType);
        return With(_spec with { Columns = [.. _spec.Columns, new ColumnSpec(name, dataType, nullable, generatedAlwaysAs, comment)] });
    }

    /// <summary>Partitions the table by these columns.</summary>
    /// <param name="columns">Column names.</param>
    public DeltaTableBuilder PartitionedBy(params string[] columns) => With(_spec with { PartitionColumns = [.. _spec.PartitionColumns, .. Names(columns)] });

    /// <summary>Clusters the table by these columns (liquid clustering; not together with partitioning).</summary>
    /// <param name="columns">Column names.</param>
    public DeltaTableBuilder ClusterBy(params string[] columns) => With(_spec with { ClusteringColumns = [.. _spec.ClusteringColumns, .. Names(columns)] });

    /// <summary>Sets a table property, e.g. <c>delta.enableChangeDataFeed</c> = <c>true</c>.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">Its value.</param>
    public DeltaTableBuilder Property(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return With(_spec with { Properties = new Dictionary<string, string>(_spec.Properties) { [key] = value } });
    }

    /// <summary>Creates (or replaces) the table.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The table, by name if one was given, else by location.</returns>
    /// <exception cref="InvalidOperationException">Neither a name nor a location was given, or both partitioning and clustering.</exception>
    /// <exception cref="SparkConnectException">The server refused, e.g. the table exists and the mode is Create.</exception>
    public async Task<DeltaTable> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        Validate();
        await _spark.DeltaApi.RunAsync(
            async rendering =>
            {
                if (rendering == DeltaRendering.Connect)
                {
                    await DeltaExecution.CommandAsync(_spark, DeltaMessages.Command(Message()), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await DeltaExecution.SqlAsync(_spark, Sql(), cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return _spec.Name is { } name ? DeltaTable.ForName(_spark, name) : DeltaTable.ForPath(_spark, _spec.Location!);
    }

    /// <summary>The Delta Connect CreateDeltaTable command (plan.py CreateDeltaTable; string types travel unparsed).</summary>
    internal DeltaCommand Message()
    {
        var create = new CreateDeltaTable { Mode = (CreateDeltaTable.Types.Mode)_spec.Mode };
        if (_spec.Name is not null)
        {
            create.TableName = _spec.Name;
        }

        if (_spec.Location is not null)
        {
            create.Location = _spec.Location;
        }

        if (_spec.Comment is not null)
        {
            create.Comment = _spec.Comment;
        }

        foreach (var column in _spec.Columns)
        {
            var proto = new CreateDeltaTable.Types.Column
            {
                Name = column.Name, DataType = new DataType { Unparsed = new DataType.Types.Unparsed { DataTypeString = column.DataType } }, Nullable = column.Nullable,
            };
            if (column.GeneratedAlwaysAs is not null)
            {
                proto.GeneratedAlwaysAs = column.GeneratedAlwaysAs;
            }

            if (column.Comment is not null)
            {
                proto.Comment = column.Comment;
            }

            create.Columns.Add(proto);
        }

        create.PartitioningColumns.AddRange(_spec.PartitionColumns);
        create.ClusteringColumns.AddRange(_spec.ClusteringColumns);
        foreach (var (key, value) in _spec.Properties)
        {
            create.Properties[key] = value;
        }

        return new DeltaCommand { CreateDeltaTable = create };
    }

    /// <summary>The same statement in Delta SQL ("Create a table" in the Delta documentation).</summary>
    internal string Sql()
    {
        var text = new System.Text.StringBuilder(_spec.Mode switch
        {
            CreateMode.Create => "CREATE TABLE ",
            CreateMode.CreateIfNotExists => "CREATE TABLE IF NOT EXISTS ",
            CreateMode.Replace => "REPLACE TABLE ",
            _ => "CREATE OR REPLACE TABLE ",
        });
        text.Append(_spec.Name is { } name ? SqlIdentifiers.QuoteMultipart(name) : SqlIdentifiers.DeltaPath(_spec.Location!));
        if (_spec.Columns.Count > 0)
        {
            text.Append(" (").Append(string.Join(", ", _spec.Columns.Select(ColumnSql))).Append(')');
        }

        text.Append(" USING delta");
        Clause(text, "PARTITIONED BY", _spec.PartitionColumns);
        Clause(text, "CLUSTER BY", _spec.ClusteringColumns);
        if (_spec.Name is not null && _spec.Location is not null)
        {
            text.Append(" LOCATION ").Append(SqlLiterals.String(_spec.Location));
        }

        if (_spec.Comment is not null)
        {
            text.Append(" COMMENT ").Append(SqlLiterals.String(_spec.Comment));
        }

        if (_spec.Properties.Count > 0)
        {
            text.Append(" TBLPROPERTIES (")
                .Append(string.Join(", ", _spec.Properties.Select(p => SqlLiterals.String(p.Key) + " = " + SqlLiterals.String(p.Value))))
                .Append(')');
        }

        return text.ToString();
    }

    private static string ColumnSql(ColumnSpec column) =>
        SqlIdentifiers.Quote(column.Name) + " " + column.DataType
        + (column.Nullable ? "" : " NOT NULL")
        + (column.GeneratedAlwaysAs is null ? "" : " GENERATED ALWAYS AS (" + column.GeneratedAlwaysAs + ")")
        + (column.Comment is null ? "" : " COMMENT " + SqlLiterals.String(column.Comment));

    private static void Clause(System.Text.StringBuilder text, string keyword, IReadOnlyList<string> columns)
    {
        if (columns.Count > 0)
        {
            text.Append(' ').Append(keyword).Append(" (").Append(string.Join(", ", columns.Select(SqlIdentifiers.QuoteMultipart))).Append(')');
        }
    }

    private static string[] Names(string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(column, nameof(columns));
        }

        return columns;
    }

    private void Validate()
    {
        if (_spec.Name is null && _spec.Location is null)
        {
            throw new InvalidOperationException("Give the table a name (TableName) or a location (Location) before executing.");
        }

        if (_spec.PartitionColumns.Count > 0 && _spec.ClusteringColumns.Count > 0)
        {
            throw new InvalidOperationException("A Delta table is either partitioned or clustered; drop PartitionedBy or ClusterBy.");
        }
    }

    private DeltaTableBuilder With(Spec spec) => new(_spark, spec);

    private sealed record ColumnSpec(string Name, string DataType, bool Nullable, string? GeneratedAlwaysAs, string? Comment);

    private sealed record Spec(
        CreateMode Mode,
        string? Name,
        string? Location,
        string? Comment,
        IReadOnlyList<ColumnSpec> Columns,
        IReadOnlyList<string> PartitionColumns,
        IReadOnlyList<string> ClusteringColumns,
        IReadOnlyDictionary<string, string> Properties);
}
