using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Gold;
using Lakehouse.Pipeline.Quality;
using Lakehouse.Pipeline.Silver;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>Which code runs a job.</summary>
internal static class JobDispatch
{
    public static Task RunAsync(JobContext context, JobRequest request, CancellationToken ct) => request.Kind switch
    {
        JobKind.Bronze => BronzeJob.RunAsync(context, context.Config.Source(request.Target), ct),
        JobKind.Silver => SilverJob.RunAsync(context, context.Config.Source(request.Target), ct),
        JobKind.Replay => QuarantineReplay.RunAsync(context, context.Config.Source(request.Target), ct),
        JobKind.Quality => QualityJob.RunAsync(context, request.Target, ct),
        _ => GoldJob.RunAsync(context, context.Config.Model(request.Target), ct),
    };
}
