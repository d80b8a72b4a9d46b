using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Lakehouse.Pipeline.Tests.Support;

/// <summary>Keeps the rendered log events of a test's jobs, with an exception's type and stack (a failure seen once under
/// load must be traceable from the assertion message alone).</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Emit(LogEvent logEvent) =>
        _events.Enqueue($"{logEvent.Level}: {logEvent.RenderMessage()}{(logEvent.Exception is null ? "" : Environment.NewLine + logEvent.Exception)}");

    public override string ToString() => string.Join(Environment.NewLine, _events);
}
