using System.Collections.Concurrent;
using Lakehouse.Embedded.Execution;

namespace Lakehouse.Embedded.Service;

/// <summary>Sessions keyed by (user id, session id), as Spark's session manager keys them, and the database they share.</summary>
internal sealed class SessionRegistry(EmbeddedOptions options) : IDisposable
{
    private readonly Lazy<EngineDatabase> _database = new(() => new EngineDatabase(options));
    private readonly ConcurrentDictionary<(string User, string Session), Lazy<SessionState>> _sessions = new();
    private readonly ConcurrentDictionary<(string User, string Session), bool> _expired = new();
    private readonly Lock _expiry = new();

    /// <summary>The session, created on first use; validates the id and the client's observed server-side id.</summary>
    public SessionState Get(string userId, string sessionId, string? observedServerSideId)
    {
        if (!Guid.TryParse(sessionId, out _))
        {
            throw ErrorStatus.Handle("INVALID_HANDLE.FORMAT", $"The session id '{sessionId}' is not a UUID. Use a UUID (the client library generates one).");
        }

        SessionState state;
        // One lock orders "mark used" against "expire idle", so a session is never closed under a request that just got it.
        lock (_expiry)
        {
            var now = options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            ExpireIdle(now);
            if (_expired.ContainsKey((userId, sessionId)))
            {
                throw ErrorStatus.Handle("INVALID_HANDLE.SESSION_CLOSED",
                    $"The session {sessionId} was closed after being idle for more than {options.SessionTimeout.TotalMinutes:0.##} minutes. Create a new session.");
            }

            state = _sessions.GetOrAdd((userId, sessionId), key => new Lazy<SessionState>(() => new SessionState(key.Session, options, _database.Value))).Value;
            state.LastUsedMs = now;
        }

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

    /// <summary>Expired ids are remembered so a late request is told why; the memory for that is bounded.</summary>
    private const int MaxRememberedExpired = 10_000;

    /// <summary>Closes the sessions idle for longer than the timeout, as Spark's session manager does.</summary>
    private void ExpireIdle(long nowMs)
    {
        var timeoutMs = (long)options.SessionTimeout.TotalMilliseconds;
        foreach (var (key, lazy) in _sessions)
        {
            if (lazy.IsValueCreated && nowMs - lazy.Value.LastUsedMs > timeoutMs && !lazy.Value.IsBusy
                && _sessions.TryRemove(new KeyValuePair<(string, string), Lazy<SessionState>>(key, lazy)))
            {
                if (_expired.Count >= MaxRememberedExpired)
                {
                    _expired.Clear();
                }

                _expired[key] = true;
                lazy.Value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values.Where(s => s.IsValueCreated))
        {
            s.Value.Dispose();
        }

        _sessions.Clear();
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }
    }
}
