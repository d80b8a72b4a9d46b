namespace Lakehouse.Pipeline.Hosting;

/// <summary>The common job options of docs/pipeline-jobs.md, parsed.</summary>
public sealed record JobOptions
{
    /// <summary><c>--config</c>: the pipeline file; default <c>lakehouse.yaml</c>.</summary>
    public string ConfigPath { get; init; } = Configuration.PipelineConfigLoader.DefaultFileName;

    /// <summary><c>--remote</c> (else <c>SPARK_REMOTE</c>, else <c>local</c> = the embedded engine).</summary>
    public string Remote { get; init; } = "local";

    /// <summary><c>--run-id</c>; null to generate one.</summary>
    public string? RunId { get; init; }

    /// <summary><c>--data-interval-start</c> and <c>--data-interval-end</c>; null when absent.</summary>
    public DataInterval? Interval { get; init; }

    /// <summary><c>--log-format</c>: <c>json</c>, <c>text</c>, or <c>auto</c> (the default: <c>LAKEHOUSE_LOG_FORMAT</c>,
    /// else json when stdout is not a terminal).</summary>
    public string LogFormat { get; init; } = "auto";

    /// <summary><c>--pushgateway</c> (or <c>LAKEHOUSE_PUSHGATEWAY</c>); null when absent.</summary>
    public string? Pushgateway { get; init; }

    /// <summary><c>--metrics-file</c>; null when absent.</summary>
    public string? MetricsFile { get; init; }

    /// <summary><c>--set key=value</c> overrides, in order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}
