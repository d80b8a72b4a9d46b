using System.Runtime.CompilerServices;
using Apache.Arrow;
using DuckDB.NET.Data;
using Lakehouse.Embedded.Delta;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// One Spark session on the embedded engine: its own connection to the engine's DuckDB database (so temporary tables
/// and views are per session), its Spark confs and its temp views. Operations on a session run one at a time, as DuckDB
/// connections are not thread-safe.
/// </summary>
internal sealed partial class EngineSession : ITranslationContext, IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Relation> _views = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _operationTables = [];
    private readonly RelationCache _cache = new();
    private int _tableCounter;

    public EngineSession(string sessionId, EmbeddedOptions options, EngineDatabase database)
    {
        SessionId = sessionId;
        Options = options;
        Config = new SessionConfig(options);
        _connection = database.Connect();
        NonQuery($"SET TimeZone = {SqlText.Str(Config.TimeZone)}");
        Sql.Text.DuckDbCatalog.Load(Scalar);
    }

    public string SessionId { get; }

    public EmbeddedOptions Options { get; }

    public SessionConfig Config { get; }

    /// <summary>Set while a plan executes (not while it is analyzed): only then are persisted relations computed.</summary>
    public bool Executing { get; set; }

    /// <summary>Translates a relation into the final DuckDB statement and Spark's schema of its result.</summary>
    public (string Sql, DataType Schema) Plan(Relation relation)
    {
        var (sql, types) = PlanColumns(relation);
        var schema = Types.StructProto(types.Select(d => (d.Name, Types.FromDuckDb(d.Type))));
        return (sql, schema);
    }

    /// <summary>Translates a relation into the final DuckDB statement and its columns' DuckDB types: what a DESCRIBE of
    /// that statement returns, known from the one DESCRIBE the translation made.</summary>
    public (string Sql, IReadOnlyList<(string Name, string Type)> Columns) PlanColumns(Relation relation)
    {
        ApplyConfig();
        var translator = new RelationTranslator(this);
        return translator.Output(translator.Translate(relation));
    }

    /// <summary>Runs a query and streams its result as Arrow batches (at most <see cref="EmbeddedOptions.MaxRecordsPerBatch"/> rows each).</summary>
    public async IAsyncEnumerable<RecordBatch> QueryAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var traceStart = Trace.Start();
        long traceRows = 0;
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.UseStreamingMode = true;
        using var registration = cancellationToken.Register(command.Cancel);
        var enumerator = command.ExecuteArrowBatchesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                RecordBatch batch;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    batch = enumerator.Current;
                }
                catch (DuckDBException e)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw DuckDbErrors.Map(e, sql);
                }

                traceRows += batch.Length;
                yield return batch;
            }
        }
        finally
        {
            Trace.Write("query", traceStart, sql, traceRows);
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The Arrow schema of a query's result, without reading rows.</summary>
    public Apache.Arrow.Schema ArrowSchema(string sql)
    {
        try
        {
            using var trace = new TraceScope("arrowschema", Trace.Start(), sql);
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT * FROM ({sql}) LIMIT 0";
            using var stream = command.ExecuteArrowStream();
            return stream.Schema;
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, sql);
        }
    }

    /// <summary>Enters the session's one-operation-at-a-time section.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Exit(this);
    }

    public IReadOnlyList<(string Name, string Type)> Describe(string sql)
    {
        try
        {
            using var trace = new TraceScope("describe", Trace.Start(), sql);
            using var command = _connection.CreateCommand();
            command.CommandText = "DESCRIBE " + sql;
            using var reader = command.ExecuteReader();
            var result = new List<(string, string)>();
            while (reader.Read())
            {
                result.Add((reader.GetString(0), reader.GetString(1)));
            }

            return result;
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, sql);
        }
    }

    public SqlSettings Settings => new(
        !"false".Equals(Config.Get("spark.sql.ansi.enabled"), StringComparison.OrdinalIgnoreCase),
        "true".Equals(Config.Get("spark.sql.caseSensitive"), StringComparison.OrdinalIgnoreCase),
        Config.TimeZone);

    public string? Scalar(string sql)
    {
        try
        {
            using var trace = new TraceScope("scalar", Trace.Start(), sql);
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            var value = command.ExecuteScalar();
            return value is null or DBNull ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, sql);
        }
    }

    public SourceSql DeltaTableSql(string path, string? versionAsOf, string? timestampAsOf)
    {
        var snapshot = DeltaScanSql.Load(Path.GetFullPath(path), versionAsOf, timestampAsOf);
        return new SourceSql(DeltaScanSql.Sql(snapshot, Rows), snapshot.Schema.Fields.Select(f => f.Name).ToList());
    }

    public SourceSql DeltaChangesSql(string path, IReadOnlyDictionary<string, string> options) =>
        ChangeFeedSql.Sql(ChangeFeedSql.Load(Path.GetFullPath(path), options), Rows);

    public IReadOnlyList<object?[]> Rows(string sql)
    {
        try
        {
            using var trace = new TraceScope("rows", Trace.Start(), sql);
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, sql);
        }
    }

    public SourceSql ExtensionSql(Google.Protobuf.WellKnownTypes.Any extension, int? limit = null) => DeltaConnect.IsRelation(extension)
        ? DeltaConnect.RelationSql(this, extension, CancellationToken.None, limit)
        : throw Errors.UnsupportedPlan("Relation.extension (" + extension.TypeUrl + ")");

    public string TablePath(string name)
    {
        var parts = Scope.SplitIdentifier(name);
        if (parts.Count != 2 || parts.Any(p => p.Length == 0 || p.Contains('/', StringComparison.Ordinal) || p.Contains('\\', StringComparison.Ordinal) || p == ".."))
        {
            throw Errors.InvalidArgument("table name", $"'{name}' is not of the form database.table");
        }

        return Path.GetFullPath(Path.Combine(Options.Warehouse, parts[0], parts[1]));
    }

    public Relation? View(string name) => _views.GetValueOrDefault(name);

    public Frame? Cached(Relation relation, Func<Relation, Frame> translate) =>
        _cache.IsEmpty ? null : _cache.Lookup(relation, Executing, translate, (table, sql) => NonQuery($"CREATE TEMP TABLE {SqlText.Ident(table)} AS {sql}"));

    /// <summary>Marks a relation for caching (persist); validates it as Spark analyzes it, computes nothing.</summary>
    public void Persist(Relation relation)
    {
        Plan(relation);
        _cache.Add(relation);
    }

    /// <summary>Removes a relation's caching mark and drops its kept result (unpersist).</summary>
    public void Unpersist(Relation relation)
    {
        if (_cache.Remove(relation) is { } table)
        {
            NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(table)}");
        }
    }

    /// <summary>Registers a temp view (createOrReplaceTempView).</summary>
    public void CreateView(string name, Relation input, bool replace)
    {
        if (!replace && _views.ContainsKey(name))
        {
            throw new EmbeddedException("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS", "42P07",
                $"Cannot create the temporary view `{name}` because it already exists. Use createOrReplaceTempView.",
                new Dictionary<string, string> { ["relationName"] = $"`{name}`" });
        }

        // Validate now, as Spark analyzes the view's plan at creation.
        Plan(input);
        _views[name] = input;
    }

    public SourceSql LoadLocalRelation(LocalRelation local)
    {
        var name = $"__lakehouse_local_{++_tableCounter}";
        _operationTables.Add(name);
        using var trace = new TraceScope("local-load", Trace.Start(), name);
        return LocalRelationLoader.Load(_connection, name, local);
    }

    /// <summary>Runs a statement that returns nothing.</summary>
    public void NonQuery(string sql)
    {
        try
        {
            using var trace = new TraceScope("nonquery", Trace.Start(), sql);
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, sql);
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private void ApplyConfig()
    {
        if (Config.TakeTimeZoneChange() is { } tz)
        {
            NonQuery($"SET TimeZone = {SqlText.Str(tz)}");
        }
    }

    private void EndOperation()
    {
        // Views keep their plan, not their data: using a view loads its local data again.
        foreach (var t in _operationTables)
        {
            NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(t)}");
        }

        _operationTables.Clear();
    }

    private sealed class Exit(EngineSession session) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                try
                {
                    session.EndOperation();
                }
                finally
                {
                    session._gate.Release();
                }
            }
        }
    }
}
