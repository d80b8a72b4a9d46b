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
}
