namespace Lakehouse.Embedded;

/// <summary>Settings of the embedded engine.</summary>
public sealed record EmbeddedOptions
{
    /// <summary>Directory under which named tables live: <c>db.table</c> is the Delta table <c>&lt;Warehouse&gt;/db/table</c>. Default <c>./lakehouse-data</c>.</summary>
    public string Warehouse { get; init; } = "./lakehouse-data";

    /// <summary>Initial <c>spark.sql.session.timeZone</c> of new sessions. Default <c>UTC</c>.</summary>
    public string SessionTimeZone { get; init; } = "UTC";

    /// <summary>Maximum rows per Arrow batch sent to clients (Spark's <c>spark.sql.execution.arrow.maxRecordsPerBatch</c>). Default 10,000.</summary>
    public int MaxRecordsPerBatch { get; init; } = 10_000;

    /// <summary>
    /// A session with no request and no running operation for this long is closed and its memory freed; its id is
    /// then refused with <c>INVALID_HANDLE.SESSION_CLOSED</c> (Spark's <c>spark.connect.session.manager.defaultSessionTimeout</c>).
    /// Default 60 minutes.
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// DuckDB's <c>memory_limit</c> for the engine: all its sessions share one DuckDB database, so this bounds them
    /// together. Beyond it DuckDB spills sorts, joins, aggregates and temporary tables to <see cref="SpillDirectory"/>.
    /// Default 1 GiB; DuckDB's own default is 80 % of the machine's memory. Null keeps DuckDB's default.
    /// </summary>
    public string? MemoryLimit { get; init; } = "1GB";

    /// <summary>Where DuckDB spills what does not fit in <see cref="MemoryLimit"/>; a directory for the engine is made
    /// under it and removed when the engine stops. Default the system temp directory.</summary>
    public string SpillDirectory { get; init; } = Path.GetTempPath();

    /// <summary>The clock sessions are timed by. Default the system clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
