namespace Lakehouse.Spark.Connect;

/// <summary>
/// Retry policy for transient gRPC failures (UNAVAILABLE, and a cut result stream). Defaults are
/// PySpark's (<c>pyspark/sql/connect/client/core.py</c>): 15 retries, 50 ms initial backoff,
/// multiplier 4, 60 s cap, with jitter.
/// </summary>
public sealed class SparkConnectRetryOptions
{
    /// <summary>Retries after the first attempt. Default 15; 0 disables retrying.</summary>
    public int MaxRetries { get; init; } = 15;

    /// <summary>Backoff before the first retry. Default 50 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Factor applied to the backoff after each retry. Default 4.</summary>
    public double BackoffMultiplier { get; init; } = 4;

    /// <summary>Upper bound of one backoff. Default 60 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock used for backoff delays; tests pass a fake one. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
