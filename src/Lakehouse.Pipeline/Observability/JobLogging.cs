using System.Globalization;
using Lakehouse.Pipeline.Runs;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Lakehouse.Pipeline.Observability;

/// <summary>The Serilog setup of a job run: structured events that carry the run id, job, layer and source.</summary>
public static class JobLogging
{
    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Job} {Source:l} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Creates the run's logger: compact JSON lines or readable text (<see cref="JobLoggingOptions.Format"/>), every
    /// event enriched with <c>RunId</c>, <c>Job</c>, <c>Layer</c>, and <c>Source</c> and <c>Table</c> when given,
    /// secrets masked. Dispose it at the end of the run to flush it.
    /// </summary>
    /// <exception cref="ArgumentException">A log level or format in the environment is not one.</exception>
    public static Logger Create(JobLoggingOptions options) =>
        Create(options, System.Environment.GetEnvironmentVariables(), Console.IsOutputRedirected);

    internal static Logger Create(JobLoggingOptions options, System.Collections.IDictionary environment, bool outputRedirected)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? Env(string name) => environment[name] as string is { Length: > 0 } v ? v : null;

        var level = options.MinimumLevel ?? ResolveLevel(Env);
        var format = options.Format == LogFormat.Auto
            ? JobLoggingOptions.ParseFormat(Env(JobLoggingOptions.FormatVariable), JobLoggingOptions.FormatVariable)
            : options.Format;
        if (format == LogFormat.Auto)
        {
            format = options.Output is null && !outputRedirected ? LogFormat.Text : LogFormat.Json;
        }

        var redactor = new SecretRedactor([.. options.Secrets, .. SecretRedactor.FromEnvironment(environment)]);
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.WithProperty("RunId", options.RunId)
            .Enrich.WithProperty("Job", options.Job)
            .Enrich.WithProperty("Layer", options.Layer);
        if (options.Source is not null)
        {
            config.Enrich.WithProperty("Source", options.Source);
        }

        if (options.Table is not null)
        {
            config.Enrich.WithProperty("Table", options.Table);
        }

        config.WriteTo.Sink(new RedactingSink(Output(format, options.Output), redactor));
        return config.CreateLogger();
    }

    /// <summary>A logger whose events also carry <c>Table</c> and, when known, its <c>Version</c>.</summary>
    public static ILogger ForTable(ILogger log, string table, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var withTable = log.ForContext("Table", table);
        return version is null ? withTable : withTable.ForContext("Version", version.Value);
    }

    /// <summary>
    /// Writes the run's one summary event (property <c>EventType</c> = <c>run_summary</c>): status, duration,
    /// record counts, output table and version, checks, and the error kind and message of a failure. Information
    /// for a successful run, Error otherwise.
    /// </summary>
    public static void Summary(ILogger log, JobRunReport report)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(report);
        var failedChecks = report.Checks.Where(c => !c.Passed).Select(c => $"{c.Table}:{c.Check}").ToArray();
        var summary = log.ForContext("EventType", "run_summary")
            .ForContext("BytesWritten", report.BytesWritten)
            .ForContext("FilesWritten", report.FilesWritten)
            .ForContext("InputVersion", report.InputVersion)
            .ForContext("TableFileCount", report.TableFileCount)
            .ForContext("TableSizeBytes", report.TableSizeBytes)
            .ForContext("FreshnessSeconds", report.FreshnessSeconds)
            .ForContext("FailedChecks", failedChecks)
            .ForContext("StartedAt", report.StartedAt)
            .ForContext("FinishedAt", report.FinishedAt);
        var duration = Math.Round((report.Duration ?? TimeSpan.Zero).TotalSeconds, 3);
        const string counts = "{RecordsRead} read, {RecordsWritten} written, {RecordsDropped} dropped, "
            + "{RecordsQuarantined} quarantined, {RecordsRescued} rescued; table {Table} at version {TableVersion}; "
            + "{ChecksFailed} of {ChecksRun} checks failed";
        object?[] values =
        [
            report.Status, duration, report.RecordsRead, report.RecordsWritten, report.RecordsDropped,
            report.RecordsQuarantined, report.RecordsRescued, report.Table, report.TableVersion, failedChecks.Length,
            report.Checks.Count,
        ];
        if (report.Status == JobStatus.Succeeded)
        {
            summary.Information("Run {Status} in {DurationSeconds} s: " + counts, values);
        }
        else
        {
            summary.Error("Run {Status} in {DurationSeconds} s: " + counts + "; {ErrorKind}: {Error}",
                [.. values, report.ErrorKind, report.Error]);
        }
    }

    private static LogEventLevel ResolveLevel(Func<string, string?> env)
    {
        foreach (var name in new[] { JobLoggingOptions.LevelVariable, "Serilog__MinimumLevel__Default", "Serilog__MinimumLevel" })
        {
            if (env(name) is { } value)
            {
                return JobLoggingOptions.ParseLevel(value, name);
            }
        }

        return LogEventLevel.Information;
    }

    private static ILogEventSink Output(LogFormat format, TextWriter? writer)
    {
        if (writer is not null)
        {
            ITextFormatter formatter = format == LogFormat.Json
                ? new RenderedCompactJsonFormatter()
                : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
            return new TextWriterSink(formatter, writer);
        }

        var console = new LoggerConfiguration().MinimumLevel.Verbose();
        _ = format == LogFormat.Json
            ? console.WriteTo.Console(new RenderedCompactJsonFormatter())
            : console.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
        return console.CreateLogger();
    }
}
