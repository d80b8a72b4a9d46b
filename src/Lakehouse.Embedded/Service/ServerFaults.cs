using System.Collections.Concurrent;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// Faults the server injects on request, so transport behaviour (reattach after a cut stream) is tested against the
/// real server rather than a mock. Inactive unless a test arms it.
/// </summary>
internal sealed class ServerFaults
{
    private readonly ConcurrentDictionary<string, bool> _cutOnce = new(StringComparer.Ordinal);
    private int _cutAfter = -1;

    /// <summary>Cuts the first stream of every new operation after this many responses (once per operation).</summary>
    public void CutStreamsAfter(int responses) => Volatile.Write(ref _cutAfter, responses);

    public bool ShouldCut(string operationId, int sent)
    {
        var n = Volatile.Read(ref _cutAfter);
        return n >= 0 && sent == n && _cutOnce.TryAdd(operationId, true);
    }
}
