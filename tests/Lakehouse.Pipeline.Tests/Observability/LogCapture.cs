using Lakehouse.Pipeline.Observability;
using Serilog.Core;
using Serilog.Events;

namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>A job logger writing JSON lines into memory, for tests that read what was logged.</summary>
internal sealed class LogCapture : IDisposable
{
    private readonly StringWriter writer = new();

    public LogCapture(string job = "silver", string source = "orders", IReadOnlyCollection<string>? secrets = null,
        System.Collections.IDictionary? environment = null, LogFormat format = LogFormat.Json, LogEventLevel? level = LogEventLevel.Verbose)
    {
        Logger = JobLogging.Create(
            new JobLoggingOptions
            {
                RunId = "run-7",
                Job = job,
                Layer = job == "gold" ? "gold" : job,
                Source = source,
                Format = format,
                MinimumLevel = level,
                Secrets = secrets ?? [],
                Output = writer,
            },
            environment ?? new Dictionary<string, string>(),
            outputRedirected: true);
    }

    public Logger Logger { get; }

    public string Text => writer.ToString();

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Logger.Dispose();
        writer.Dispose();
    }
}
