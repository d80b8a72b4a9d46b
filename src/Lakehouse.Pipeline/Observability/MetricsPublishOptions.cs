namespace Lakehouse.Pipeline.Observability;

/// <summary>Where a job run's metrics go (docs/metrics.md): a Pushgateway, a textfile-collector file, or both.</summary>
public sealed class MetricsPublishOptions
{
    /// <summary>The environment variable read when <c>--pushgateway</c> is absent.</summary>
    public const string PushgatewayVariable = "LAKEHOUSE_PUSHGATEWAY";

    /// <summary>Base URL of the Pushgateway, e.g. <c>http://pushgateway:9091</c>; null (the default) pushes nothing.</summary>
    public Uri? PushgatewayUrl { get; init; }

    /// <summary>File to write the metrics to in Prometheus' text format, replaced atomically (node_exporter's
    /// textfile collector reads <c>*.prom</c>); null (the default) writes no file.</summary>
    public string? MetricsFile { get; init; }

    /// <summary>Longest the push may take, connecting included; default 10 seconds. A slower Pushgateway is
    /// logged and given up on, so it never holds up the job.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The options of the common job options <c>--pushgateway URL</c> and <c>--metrics-file PATH</c>
    /// (docs/pipeline-jobs.md); without <c>--pushgateway</c> the URL comes from <c>LAKEHOUSE_PUSHGATEWAY</c>.
    /// </summary>
    /// <param name="pushgateway">The <c>--pushgateway</c> value, or null when the option is absent.</param>
    /// <param name="metricsFile">The <c>--metrics-file</c> value, or null when the option is absent.</param>
    /// <exception cref="ArgumentException">The URL is not an absolute http or https URL.</exception>
    public static MetricsPublishOptions FromCommandLine(string? pushgateway, string? metricsFile) =>
        FromCommandLine(pushgateway, metricsFile, Environment.GetEnvironmentVariable);

    internal static MetricsPublishOptions FromCommandLine(string? pushgateway, string? metricsFile, Func<string, string?> environment)
    {
        var (url, origin) = string.IsNullOrWhiteSpace(pushgateway)
            ? (environment(PushgatewayVariable), PushgatewayVariable)
            : (pushgateway, "--pushgateway");
        return new MetricsPublishOptions
        {
            PushgatewayUrl = string.IsNullOrWhiteSpace(url) ? null : ParseUrl(url.Trim(), origin),
            MetricsFile = string.IsNullOrWhiteSpace(metricsFile) ? null : metricsFile,
        };
    }

    private static Uri ParseUrl(string url, string origin) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException(
                $"{origin} '{url}' is not a Pushgateway URL; give its base URL, e.g. http://pushgateway:9091.");
}
