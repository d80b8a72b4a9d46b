namespace Lakehouse.Pipeline.Runs;

/// <summary>
/// What one job run did: filled in by the job as it runs, then written to <c>ops.job_runs</c>, turned into
/// Prometheus metrics and logged as the run's summary event. One run works on one source (bronze, silver,
/// quality of a source) or one model (gold), so it has at most one output table.
/// </summary>
public sealed class JobRunReport
{
    /// <summary>The run id (Airflow's <c>run_id</c>, or generated); never a metric label.</summary>
    public required string RunId { get; init; }

    /// <summary>The job: <c>bronze</c>, <c>silver</c>, <c>quality</c> or <c>gold</c>.</summary>
    public required string Job { get; init; }

    /// <summary>The medallion layer the run writes or checks: <c>bronze</c>, <c>silver</c> or <c>gold</c>.</summary>
    public required string Layer { get; init; }

    /// <summary>The source (bronze, silver, quality of a source) or the gold model; null when neither applies.</summary>
    public string? Source { get; init; }

    /// <summary>The table the run writes or checks, e.g. <c>silver.orders</c>.</summary>
    public string? Table { get; set; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>When the run ended; null while it runs.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>How the run ended.</summary>
    public JobStatus Status { get; set; } = JobStatus.Running;

    /// <summary>On failure, a short stable kind (e.g. <c>bad_input</c>, <c>concurrent_modification</c>,
    /// <c>engine_unavailable</c>, <c>quality_gate</c>, <c>internal</c>); a metric label, so never free text.</summary>
    public string? ErrorKind { get; set; }

    /// <summary>On failure, the error message (with any secret redacted).</summary>
    public string? Error { get; set; }

    /// <summary>Records read from the input (landing files, bronze rows, or the checked table).</summary>
    public long RecordsRead { get; set; }

    /// <summary>Records written to the output table (inserted plus updated for a merge).</summary>
    public long RecordsWritten { get; set; }

    /// <summary>Records dropped by a <c>drop</c> expectation (rows superseded by a newer version of their key are not counted).</summary>
    public long RecordsDropped { get; set; }

    /// <summary>Records sent to the quarantine table.</summary>
    public long RecordsQuarantined { get; set; }

    /// <summary>Malformed records kept with their raw text in the rescue column.</summary>
    public long RecordsRescued { get; set; }

    /// <summary>Bytes of data files the run's commit added.</summary>
    public long BytesWritten { get; set; }

    /// <summary>Data files the run's commit added.</summary>
    public long FilesWritten { get; set; }

    /// <summary>Version of the input table the run consumed up to, where it reads a Delta table.</summary>
    public long? InputVersion { get; set; }

    /// <summary>Version of the output table after the run.</summary>
    public long? TableVersion { get; set; }

    /// <summary>Data files in the output table after the run.</summary>
    public long? TableFileCount { get; set; }

    /// <summary>Size in bytes of the output table's data files after the run.</summary>
    public long? TableSizeBytes { get; set; }

    /// <summary>Seconds between the newest record's event time and the end of the run (data freshness).</summary>
    public double? FreshnessSeconds { get; set; }

    /// <summary>The data-quality checks the run evaluated.</summary>
    public List<CheckOutcome> Checks { get; } = [];

    /// <summary>The run's duration; null while it runs.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;
}
