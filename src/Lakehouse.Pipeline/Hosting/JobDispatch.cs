namespace Lakehouse.Pipeline.Hosting;

/// <summary>Which code runs a job.</summary>
internal static class JobDispatch
{
    public static Task RunAsync(JobContext context, JobRequest request, CancellationToken ct) => request.Kind switch
    {
        _ => throw new PipelineInputException($"the {request.JobName} job is not part of this build."),
    };
}
