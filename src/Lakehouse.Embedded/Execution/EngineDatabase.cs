using DuckDB.NET.Data;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// The one in-memory DuckDB database of an engine: every session gets its own connection to it, so temporary tables
/// and the time zone stay per session while the buffer pool, the memory limit, the spill directory and DuckDB's
/// worker threads are shared. A database per session cost about 180 ms to open (DuckDB loads its extensions per
/// database) and let each parallel session take up to the limit on its own.
/// </summary>
internal sealed class EngineDatabase : IDisposable
{
    private readonly DuckDBConnection _anchor;
    private readonly Lock _connecting = new();
    private readonly string _spill;

    public EngineDatabase(EmbeddedOptions options)
    {
        _spill = Path.Combine(Path.GetFullPath(options.SpillDirectory), $"lakehouse-duckdb-{Guid.NewGuid():N}");
        _anchor = new DuckDBConnection("DataSource=:memory:");
        _anchor.Open();
        // These settings are the database's, not a connection's; the Spark scalar functions are in its catalog.
        // Spark sorts NULLs first ascending and last descending (also in SQL text, window and aggregate ORDER BYs).
        Execute("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
        Execute($"SET temp_directory = {Sql.SqlText.Str(_spill)}");
        // Footers of Parquet files read again (every action over a Delta table or a Parquet source) come from DuckDB's
        // cache instead of the file; DuckDB checks a cached footer against the file's modification time.
        Execute("SET GLOBAL parquet_metadata_cache = true");
        if (options.MemoryLimit is { } limit)
        {
            Execute($"SET memory_limit = {Sql.SqlText.Str(limit)}");
        }

        SparkScalarFunctions.Register(_anchor);
    }

    /// <summary>A new open connection to the database, for one session.</summary>
    public DuckDBConnection Connect()
    {
        lock (_connecting)
        {
            var connection = _anchor.Duplicate();
            connection.Open();
            return connection;
        }
    }

    public void Dispose()
    {
        _anchor.Dispose();
        try
        {
            if (Directory.Exists(_spill))
            {
                Directory.Delete(_spill, recursive: true);
            }
        }
        catch (IOException)
        {
            // Spill files are DuckDB's temporary data; one still held open is removed by the system's temp cleanup.
        }
    }

    private void Execute(string sql)
    {
        using var command = _anchor.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
