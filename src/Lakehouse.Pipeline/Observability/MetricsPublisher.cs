using Lakehouse.Pipeline.Runs;
using Prometheus;

namespace Lakehouse.Pipeline.Observability;

/// <summary>Publishes a job run's metrics once, at the end of the run (docs/metrics.md).</summary>
public static class MetricsPublisher
{
    /// <summary>
    /// Builds the metrics of <paramref name="report"/> and sends them to the Pushgateway and/or writes them to the
    /// metrics file of <paramref name="options"/>. Never throws for an unreachable, failing, slow or hanging
    /// Pushgateway or an unwritable file: the failure is logged as a warning and the method returns false within
    /// <see cref="MetricsPublishOptions.Timeout"/>, so metrics never fail or hold up a job.
    /// </summary>
    /// <param name="report">The finished run's report.</param>
    /// <param name="options">Where the metrics go; with neither a Pushgateway nor a file nothing is published.</param>
    /// <param name="log">The run's logger.</param>
    /// <param name="ct">Stops publishing early (then logged, not thrown). Pass a token that is not the job's own
    /// cancellation, so that a cancelled run still pushes its final metrics; the timeout bounds the push.</param>
    /// <returns>True when every configured destination received the metrics.</returns>
    public static async Task<bool> PublishAsync(JobRunReport report, MetricsPublishOptions options, Serilog.ILogger log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        if (options.PushgatewayUrl is null && options.MetricsFile is null)
        {
            log.Debug("No --pushgateway and no --metrics-file: the run's metrics are not published");
            return true;
        }

        // In memory and quick; not cancelled, so a cancelled token still gets its warning rather than an exception.
        var body = await ExportAsync(JobMetrics.Build(report), CancellationToken.None).ConfigureAwait(false);
        var ok = true;
        if (options.MetricsFile is { } file)
        {
            ok &= await WriteFileAsync(file, body, log, ct).ConfigureAwait(false);
        }

        if (options.PushgatewayUrl is { } url)
        {
            ok &= await PushAsync(url, report, body, options.Timeout, log, ct).ConfigureAwait(false);
        }

        return ok;
    }

    internal static async Task<byte[]> ExportAsync(CollectorRegistry registry, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task<bool> PushAsync(Uri url, JobRunReport report, byte[] body, TimeSpan timeout, Serilog.ILogger log, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await PushgatewayClient.PushAsync(url, report, body, timeout, deadline.Token).ConfigureAwait(false);
            log.Debug("Pushed the run's metrics to {Pushgateway} group {Group}", url, PushgatewayClient.GroupPath(report));
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var reason = ct.IsCancellationRequested ? "publishing was cancelled" : $"no answer within {timeout.TotalSeconds:0.###} s";
            log.Warning("Could not push the run's metrics to {Pushgateway}: {Reason}; the run's outcome is unchanged", url, reason);
        }
        catch (HttpRequestException e)
        {
            log.Warning("Could not push the run's metrics to {Pushgateway}: {Reason}; the run's outcome is unchanged", url, e.Message);
        }

        return false;
    }

    private static async Task<bool> WriteFileAsync(string file, byte[] body, Serilog.ILogger log, CancellationToken ct)
    {
        try
        {
            await MetricsTextFile.WriteAsync(file, body, ct).ConfigureAwait(false);
            log.Debug("Wrote the run's metrics to {MetricsFile}", file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            log.Warning("Could not write the run's metrics to {MetricsFile}: {Reason}; the run's outcome is unchanged", file, e.Message);
            return false;
        }
    }
}
