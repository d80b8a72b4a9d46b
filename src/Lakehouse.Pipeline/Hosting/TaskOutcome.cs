using Lakehouse.Pipeline.Runs;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>How one task of a graph run ended.</summary>
/// <param name="Task">The task.</param>
/// <param name="State">Its final state.</param>
/// <param name="Report">Its run report; null when it was skipped.</param>
public sealed record TaskOutcome(PipelineTask Task, TaskState State, JobRunReport? Report);
