using System.Collections.Concurrent;

namespace Lakehouse.Embedded.Service;

/// <summary>Sessions keyed by (user id, session id), as Spark's session manager keys them.</summary>
internal sealed class SessionRegistry(EmbeddedOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<(string User, string Session), Lazy<SessionState>> _sessions = new();

    /// <summary>The session, created on first use; validates the id and the client's observed server-side id.</summary>
    public SessionState Get(string userId, string sessionId, string? observedServerSideId)
    {
        if (!Guid.TryParse(sessionId, out _))
        {
            throw ErrorStatus.Handle("INVALID_HANDLE.FORMAT", $"The session id '{sessionId}' is not a UUID. Use a UUID (the client library generates one).");
        }

        var state = _sessions.GetOrAdd((userId, sessionId), key => new Lazy<SessionState>(() => new SessionState(key.Session, options))).Value;
        if (!string.IsNullOrEmpty(observedServerSideId) && observedServerSideId != state.ServerSideSessionId)
        {
            throw ErrorStatus.Handle("INVALID_HANDLE.SESSION_CHANGED",
                $"The existing Spark server driver instance has restarted or the session {sessionId} was released. Create a new session.");
        }

        return state;
    }

    /// <summary>Releases a session (ReleaseSession); later calls with the same id get a fresh one.</summary>
    public bool Release(string userId, string sessionId)
    {
        if (_sessions.TryRemove((userId, sessionId), out var s) && s.IsValueCreated)
        {
            s.Value.Dispose();
            return true;
        }

        return false;
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values.Where(s => s.IsValueCreated))
        {
            s.Value.Dispose();
        }

        _sessions.Clear();
    }
}
