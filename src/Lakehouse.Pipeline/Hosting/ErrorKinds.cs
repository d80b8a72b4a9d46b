using Grpc.Core;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>The stable error kinds of <see cref="Runs.JobRunReport.ErrorKind"/> and how an exception maps to one.</summary>
public static class ErrorKinds
{
    /// <summary>Bad configuration or input (exit code 2).</summary>
    public const string BadInput = "bad_input";

    /// <summary>Another writer changed a table concurrently (exit code 6).</summary>
    public const string ConcurrentModification = "concurrent_modification";

    /// <summary>The Spark Connect engine could not be reached (exit code 6).</summary>
    public const string EngineUnavailable = "engine_unavailable";

    /// <summary>A critical data-quality check or a <c>fail</c> expectation failed (exit code 7).</summary>
    public const string QualityGate = "quality_gate";

    /// <summary>Anything else (exit code 1).</summary>
    public const string Internal = "internal";

    /// <summary>The error kind of an exception a job threw.</summary>
    public static string Classify(Exception exception) => exception switch
    {
        PipelineConfigException or PipelineInputException => BadInput,
        QualityGateException => QualityGate,
        SparkConnectException e when IsConcurrentModification(e) => ConcurrentModification,
        SparkConnectException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } => EngineUnavailable,
        SparkConnectException e when e.IsSessionLost => EngineUnavailable,
        // SQLSTATE class 42 (syntax error or access rule violation: unknown column, table, path) and 22 (data
        // exception: a value that does not fit) come from what the pipeline file or the input says.
        SparkConnectException { SqlState: { } state } when state.StartsWith("42", StringComparison.Ordinal) || state.StartsWith("22", StringComparison.Ordinal) => BadInput,
        AggregateException { InnerExceptions.Count: 1 } e => Classify(e.InnerExceptions[0]),
        _ => Internal,
    };

    private static bool IsConcurrentModification(SparkConnectException e) =>
        // Delta on Spark: DELTA_CONCURRENT_* classes (SQLSTATE 2D521) and the ConcurrentModificationException family;
        // the embedded engine: LAKEHOUSE_DELTA_CONCURRENTMODIFICATION (SQLSTATE 40000).
        e.ErrorClass?.Contains("CONCURRENT", StringComparison.OrdinalIgnoreCase) == true
        || e.ErrorClass is "DELTA_METADATA_CHANGED" or "DELTA_PROTOCOL_CHANGED"
        || e.SqlState is "2D521" or "40000"
        || e.ExceptionClasses.Any(c => c.Contains("ConcurrentModification", StringComparison.Ordinal) || c.Contains("Concurrent", StringComparison.Ordinal));
}
