namespace Lakehouse.Pipeline.Hosting;

/// <summary>One job to run: its kind and what it works on.</summary>
/// <param name="Kind">The job.</param>
/// <param name="Target">The source (bronze, silver, replay), the table (quality, e.g. <c>silver.orders</c>) or the model (gold).</param>
public sealed record JobRequest(JobKind Kind, string Target)
{
    /// <summary>The job's name as in docs/pipeline-jobs.md: <c>bronze</c>, <c>silver</c>, <c>quality</c> or <c>gold</c>;
    /// <c>replay</c> for the quarantine replay.</summary>
    public string JobName => Kind.ToString().ToLowerInvariant();
}
