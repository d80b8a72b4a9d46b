using Grpc.Core;
using Polly;
using Polly.Retry;

namespace Lakehouse.Spark.Connect;

/// <summary>The single retry pipeline of the client: transient gRPC codes only, exponential backoff with jitter.</summary>
internal static class RetryPipeline
{
    internal static ResiliencePipeline Create(SparkConnectRetryOptions options)
    {
        if (options.MaxRetries <= 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<StreamCutException>(),
                DelayGenerator = args => new ValueTask<TimeSpan?>(Delay(options, args.AttemptNumber)),
            })
            .Build();
    }

    /// <summary>
    /// Codes worth retrying: the server or network was briefly away. INTERNAL is retried only for
    /// INVALID_CURSOR.DISCONNECTED (a reattachable stream the server cut; brief §4); everything else is
    /// a real answer and surfaces at once.
    /// </summary>
    internal static bool IsTransient(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable
        || (e.StatusCode == StatusCode.Internal && e.Status.Detail.Contains("INVALID_CURSOR.DISCONNECTED", StringComparison.Ordinal));

    // Full jitter between half and all of the exponential step, as PySpark's retries.py does.
    private static TimeSpan Delay(SparkConnectRetryOptions options, int attempt)
    {
        var step = options.InitialBackoff.TotalMilliseconds * Math.Pow(options.BackoffMultiplier, attempt);
        var capped = Math.Min(step, options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }
}

/// <summary>A result stream ended before <c>result_complete</c>; the execution is resumed with ReattachExecute.</summary>
internal sealed class StreamCutException() : Exception("The result stream ended before result_complete.");
