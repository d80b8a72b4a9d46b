using Serilog.Events;

namespace Lakehouse.Pipeline.Observability;

/// <summary>How <see cref="JobLogging.Create(JobLoggingOptions)"/> sets up a job run's logger.</summary>
public sealed class JobLoggingOptions
{
    /// <summary>The environment variable that sets the minimum level when <see cref="MinimumLevel"/> is null.</summary>
    public const string LevelVariable = "LAKEHOUSE_LOG_LEVEL";

    /// <summary>The environment variable that sets the format when <see cref="Format"/> is <see cref="LogFormat.Auto"/>.</summary>
    public const string FormatVariable = "LAKEHOUSE_LOG_FORMAT";

    /// <summary>The run id every event carries (property <c>RunId</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The job every event carries (property <c>Job</c>).</summary>
    public required string Job { get; init; }

    /// <summary>The layer every event carries (property <c>Layer</c>).</summary>
    public required string Layer { get; init; }

    /// <summary>The source or gold model every event carries (property <c>Source</c>); null (the default) leaves it out.</summary>
    public string? Source { get; init; }

    /// <summary>The table every event carries (property <c>Table</c>) when the job knows it up front; default null.</summary>
    public string? Table { get; init; }

    /// <summary>The format (<c>--log-format</c>); default <see cref="LogFormat.Auto"/>, which reads
    /// <c>LAKEHOUSE_LOG_FORMAT</c> and otherwise picks text on a terminal and JSON elsewhere.</summary>
    public LogFormat Format { get; init; } = LogFormat.Auto;

    /// <summary>The minimum level; default null, which reads <c>LAKEHOUSE_LOG_LEVEL</c>, then
    /// <c>Serilog__MinimumLevel__Default</c> and <c>Serilog__MinimumLevel</c>, and otherwise logs Information and up.</summary>
    public LogEventLevel? MinimumLevel { get; init; }

    /// <summary>Values never to show in a log, e.g. the pipeline's <c>${env:…}</c> secrets; default none. Values of
    /// environment variables whose names say they are secret (token, secret, password, key, credential) and
    /// connection-string tokens are redacted anyway.</summary>
    public IReadOnlyCollection<string> Secrets { get; init; } = [];

    /// <summary>Where events go; default null, standard output.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Parses a <c>--log-format</c> value: <c>json</c>, <c>text</c> or <c>auto</c>; null is auto.</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static LogFormat ParseFormat(string? value, string origin = "--log-format") =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => LogFormat.Auto,
            "json" => LogFormat.Json,
            "text" => LogFormat.Text,
            _ => throw new ArgumentException($"{origin} '{value}' is not a log format; use json or text.", nameof(value)),
        };

    /// <summary>Parses a level name: Serilog's (<c>Verbose</c>, <c>Debug</c>, <c>Information</c>, <c>Warning</c>,
    /// <c>Error</c>, <c>Fatal</c>) or the short <c>trace</c>, <c>info</c>, <c>warn</c>, in any case.</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static LogEventLevel ParseLevel(string value, string origin = LevelVariable) =>
        value.Trim().ToLowerInvariant() switch
        {
            "verbose" or "trace" => LogEventLevel.Verbose,
            "debug" => LogEventLevel.Debug,
            "information" or "info" => LogEventLevel.Information,
            "warning" or "warn" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            "fatal" => LogEventLevel.Fatal,
            _ => throw new ArgumentException(
                $"{origin} '{value}' is not a log level; use verbose, debug, information, warning, error or fatal.", nameof(value)),
        };
}
