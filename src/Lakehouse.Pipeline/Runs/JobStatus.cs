namespace Lakehouse.Pipeline.Runs;

/// <summary>How a job run ended.</summary>
public enum JobStatus
{
    /// <summary>Still running (a report before the end of the run).</summary>
    Running,

    /// <summary>Finished; every table it writes was committed.</summary>
    Succeeded,

    /// <summary>Failed; every table it writes is at its last good version.</summary>
    Failed,

    /// <summary>A critical data-quality check failed; nothing downstream may run.</summary>
    QualityGateFailed,
}
