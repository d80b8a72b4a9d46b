namespace Lakehouse.Pipeline.Hosting;

/// <summary>One task of the pipeline's graph (docs/pipeline-jobs.md, Task graph).</summary>
/// <param name="Id">Unique, a valid Airflow task id (<c>[A-Za-z0-9_]</c>).</param>
/// <param name="Kind">The job.</param>
/// <param name="Layer">The layer it writes or checks.</param>
/// <param name="Source">The source, or null for gold tasks.</param>
/// <param name="Table">The table it writes or checks.</param>
/// <param name="Args">The job-specific arguments (the runner adds the common options).</param>
/// <param name="Upstream">The ids of the tasks that must succeed first.</param>
public sealed record PipelineTask(string Id, JobKind Kind, string Layer, string? Source, string Table, IReadOnlyList<string> Args, IReadOnlyList<string> Upstream)
{
    /// <summary>The job's name: bronze, silver, quality or gold.</summary>
    public string Job => Kind.ToString().ToLowerInvariant();

    /// <summary>The job request that runs the task.</summary>
    public JobRequest Request => new(Kind, Args[1]);
}
