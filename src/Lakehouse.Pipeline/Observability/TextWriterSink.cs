using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Lakehouse.Pipeline.Observability;

/// <summary>Writes formatted events to a caller's writer, one at a time (a host that captures the output).</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter writer) : ILogEventSink
{
    private readonly Lock gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
