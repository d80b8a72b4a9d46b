namespace Lakehouse.Pipeline.Hosting;

/// <summary>Where a task of a graph run is.</summary>
public enum TaskState
{
    /// <summary>Waiting for its upstream tasks.</summary>
    Pending,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Failed (see its report).</summary>
    Failed,

    /// <summary>A critical check failed (see its report); downstream tasks are skipped.</summary>
    QualityGateFailed,

    /// <summary>Not run because an upstream task did not succeed.</summary>
    Skipped,
}
