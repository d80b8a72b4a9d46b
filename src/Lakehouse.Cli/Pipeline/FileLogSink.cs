using Serilog.Core;
using Serilog.Events;

namespace Lakehouse.Cli.Pipeline;

/// <summary>Writes a run's log events as text lines to a file, so the live progress display keeps the terminal.</summary>
internal sealed class FileLogSink(string path) : ILogEventSink, IDisposable
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _writer.WriteLine($"{logEvent.Timestamp:O} {logEvent.Level} {logEvent.RenderMessage()}");
            if (logEvent.Exception is not null)
            {
                _writer.WriteLine(logEvent.Exception.ToString());
            }
        }
    }

    public void Dispose() => _writer.Dispose();
}
