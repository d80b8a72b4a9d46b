namespace Lakehouse.Pipeline.Hosting;

/// <summary>What all jobs of one run share.</summary>
public sealed record RunSettings
{
    /// <summary>The run id (Airflow's <c>run_id</c>, or generated).</summary>
    public required string RunId { get; init; }

    /// <summary>The data interval; null when the run was not given one (a manual run).</summary>
    public DataInterval? Interval { get; init; }

    /// <summary>The clock; tests pass a fixed one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Whether jobs leave the compaction of the ops log tables to the caller (a graph run compacts them once
    /// at its end instead of after every job's append).</summary>
    internal bool DeferLogCompaction { get; init; }

    /// <summary>A new run id: UTC time plus a random suffix, sortable and unique.</summary>
    public static string NewRunId(TimeProvider? clock = null) =>
        $"manual__{(clock ?? TimeProvider.System).GetUtcNow():yyyyMMdd'T'HHmmss'Z'}_{Guid.NewGuid():N}"[..40];
}
