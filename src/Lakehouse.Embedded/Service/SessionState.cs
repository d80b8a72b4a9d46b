using System.Collections.Concurrent;
using Lakehouse.Embedded.Execution;

namespace Lakehouse.Embedded.Service;

/// <summary>A client session on the server: the engine session, its server-side id, its operations and its recent errors.</summary>
internal sealed class SessionState(string sessionId, EmbeddedOptions options, EngineDatabase database) : IDisposable
{
    public EngineSession Engine { get; } = new(sessionId, options, database);

    /// <summary>Changes when the server restarts or the session is released and recreated (4.0 clients compare it).</summary>
    public string ServerSideSessionId { get; } = Guid.NewGuid().ToString();

    public ConcurrentDictionary<string, Operation> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>When a request last used the session (the clock's milliseconds), for idle expiry.</summary>
    public long LastUsedMs { get; set; }

    /// <summary>Whether an operation of the session is still running (such a session never expires).</summary>
    public bool IsBusy => Operations.Values.Any(o => !o.IsDone);

    /// <summary>Errors by errorId, for FetchErrorDetails (bounded: the oldest are dropped).</summary>
    public ConcurrentDictionary<string, EmbeddedException> Errors { get; } = new(StringComparer.Ordinal);

    public void RememberError(string id, EmbeddedException e)
    {
        if (Errors.Count > 100)
        {
            foreach (var key in Errors.Keys.Take(50))
            {
                Errors.TryRemove(key, out _);
            }
        }

        Errors[id] = e;
    }

    public void Dispose()
    {
        foreach (var op in Operations.Values)
        {
            op.Cancellation.Cancel();
        }

        Engine.Dispose();
    }
}
