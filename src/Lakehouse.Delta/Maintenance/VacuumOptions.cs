namespace Lakehouse.Delta.Maintenance;

/// <summary>Options of <see cref="Vacuum"/>.</summary>
public sealed record VacuumOptions
{
    /// <summary>
    /// How old an unreferenced file must be before it is deleted. Default (null): the table's
    /// <c>delta.deletedFileRetentionDuration</c>, itself 7 days by default.
    /// </summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>When true, nothing is deleted: the result lists the files that would be. Default false.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Allows a <see cref="Retention"/> shorter than the table's configured one, as Spark's
    /// <c>spark.databricks.delta.retentionDurationCheck.enabled=false</c> does. Default false: such a retention is an error,
    /// because readers of older versions and writers still committing may need the files.
    /// </summary>
    public bool DisableRetentionCheck { get; init; }

    /// <summary>
    /// When true (the default), a vacuum that deletes (not a dry run) commits <c>VACUUM START</c> before and <c>VACUUM END</c>
    /// after deleting, as Delta does, so the table's history records it. These commits change no data file.
    /// </summary>
    public bool LogToHistory { get; init; } = true;

    /// <summary>The clock that "now" comes from. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
