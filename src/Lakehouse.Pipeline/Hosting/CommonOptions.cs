using System.CommandLine;
using System.Globalization;
using Lakehouse.Pipeline.Observability;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>The common options of docs/pipeline-jobs.md as System.CommandLine options, shared by the job
/// executables and <c>lakehouse run</c>.</summary>
internal sealed class CommonOptions
{
    public Option<string> Config { get; } = new("--config") { Description = "The pipeline file.", DefaultValueFactory = _ => "lakehouse.yaml" };

    public Option<string?> Remote { get; } = new("--remote") { Description = "Spark Connect URL (sc://host:port), or local for the embedded engine; default $SPARK_REMOTE, else local." };

    public Option<string?> RunId { get; } = new("--run-id") { Description = "The run id (default: generated)." };

    public Option<string?> IntervalStart { get; } = new("--data-interval-start") { Description = "Start of the data interval (ISO-8601)." };

    public Option<string?> IntervalEnd { get; } = new("--data-interval-end") { Description = "End of the data interval (ISO-8601)." };

    public Option<string?> LogFormat { get; } = new Option<string?>("--log-format") { Description = "json or text (default: $LAKEHOUSE_LOG_FORMAT, else json when stdout is not a terminal)." }
        .AcceptOnlyFromAmong("json", "text");

    public Option<string?> Pushgateway { get; } = new("--pushgateway") { Description = "Prometheus Pushgateway URL (default $LAKEHOUSE_PUSHGATEWAY)." };

    public Option<string?> MetricsFile { get; } = new("--metrics-file") { Description = "Write the run's metrics to this file." };

    public Option<string[]> Set { get; } = new("--set") { Description = "Override a value of the pipeline file: key=value (repeatable).", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Config, Remote, RunId, IntervalStart, IntervalEnd, LogFormat, Pushgateway, MetricsFile, Set })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the options; a bad interval or Pushgateway URL is a <see cref="PipelineInputException"/>, raised
    /// before anything runs.</summary>
    public JobOptions Read(ParseResult result)
    {
        var pushgateway = result.GetValue(Pushgateway);
        var options = new JobOptions
        {
            ConfigPath = result.GetValue(Config) ?? "lakehouse.yaml",
            Remote = result.GetValue(Remote) ?? Environment.GetEnvironmentVariable(SparkSessionBuilder.RemoteEnvironmentVariable) ?? "local",
            RunId = result.GetValue(RunId),
            Interval = Interval(result.GetValue(IntervalStart), result.GetValue(IntervalEnd)),
            LogFormat = result.GetValue(LogFormat) ?? "auto",
            Pushgateway = pushgateway ?? Environment.GetEnvironmentVariable(MetricsPublishOptions.PushgatewayVariable),
            MetricsFile = result.GetValue(MetricsFile),
            Overrides = result.GetValue(Set) ?? [],
        };
        try
        {
            MetricsPublishOptions.FromCommandLine(pushgateway, options.MetricsFile);
        }
        catch (ArgumentException e)
        {
            throw new PipelineInputException(e.Message);
        }

        return options;
    }

    internal static DataInterval? Interval(string? start, string? end)
    {
        if (start is null && end is null)
        {
            return null;
        }

        if (start is null || end is null)
        {
            throw new PipelineInputException("--data-interval-start and --data-interval-end go together; pass both or neither.");
        }

        var s = Instant(start, "--data-interval-start");
        var e = Instant(end, "--data-interval-end");
        return e <= s
            ? throw new PipelineInputException($"the data interval ends ({end}) before it starts ({start}); pass an end after the start.")
            : new DataInterval(s, e);
    }

    private static DateTimeOffset Instant(string text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new PipelineInputException($"{option} '{text}' is not an ISO-8601 instant; write e.g. 2026-01-01T00:00:00Z.");
}
