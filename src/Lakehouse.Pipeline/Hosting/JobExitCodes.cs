using Lakehouse.Pipeline.Runs;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>The job exit codes of docs/pipeline-jobs.md (README documents them for users).</summary>
public static class JobExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Failed (unexpected error); every table is at its last good version. Retry maybe.</summary>
    public const int Failed = 1;

    /// <summary>Bad configuration or input; the message names the file, line and field, or the input. Fix first.</summary>
    public const int BadInput = 2;

    /// <summary>Retryable: concurrent modification of a table, or the engine is unavailable.</summary>
    public const int Retryable = 6;

    /// <summary>Quality gate failed: a critical check failed; downstream tasks must not run.</summary>
    public const int QualityGate = 7;

    /// <summary>The exit code for a finished run.</summary>
    public static int For(JobRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Status switch
        {
            JobStatus.Succeeded => Success,
            JobStatus.QualityGateFailed => QualityGate,
            _ => ForErrorKind(report.ErrorKind),
        };
    }

    /// <summary>The exit code for a failure's <see cref="JobRunReport.ErrorKind"/>.</summary>
    public static int ForErrorKind(string? errorKind) => errorKind switch
    {
        ErrorKinds.BadInput => BadInput,
        ErrorKinds.ConcurrentModification or ErrorKinds.EngineUnavailable => Retryable,
        ErrorKinds.QualityGate => QualityGate,
        _ => Failed,
    };
}
