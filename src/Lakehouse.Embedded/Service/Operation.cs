using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// One execution and its response buffer. The producer appends responses; any number of readers (the original
/// ExecutePlan stream, later ReattachExecute streams) read from a position and wait for more until the operation ends.
/// Released responses are dropped from memory (ReleaseExecute release_until / release_all).
/// </summary>
internal sealed class Operation(string operationId, IReadOnlyCollection<string> tags, bool reattachable)
{
    private readonly object _sync = new();
    private readonly List<ExecutePlanResponse?> _responses = [];

    // Ids outlive released responses: a client reattaches after the last response it saw, which it may have released.
    private readonly List<string> _ids = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _done;
    private Exception? _error;

    public string OperationId { get; } = operationId;

    public IReadOnlyCollection<string> Tags { get; } = tags;

    public bool Reattachable { get; } = reattachable;

    public CancellationTokenSource Cancellation { get; } = new();

    public void Add(ExecutePlanResponse response)
    {
        lock (_sync)
        {
            _responses.Add(response);
            _ids.Add(response.ResponseId);
            Signal();
        }
    }

    public void Complete(Exception? error)
    {
        lock (_sync)
        {
            _done = true;
            _error = error;
            Signal();
        }
    }

    /// <summary>The index just after the response with this id, or null when it is not (or no longer) buffered.</summary>
    public int? PositionAfter(string responseId)
    {
        lock (_sync)
        {
            var i = _ids.IndexOf(responseId);
            return i < 0 ? null : i + 1;
        }
    }

    /// <summary>Reads responses from <paramref name="position"/>; ends when the operation ends; throws the operation's error at its end.</summary>
    public async IAsyncEnumerable<ExecutePlanResponse> ReadAsync(int position, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            ExecutePlanResponse? next = null;
            Task wait;
            lock (_sync)
            {
                if (position < _responses.Count)
                {
                    next = _responses[position] ?? throw ErrorStatus.Handle("INVALID_CURSOR.POSITION_NOT_AVAILABLE",
                        $"The response at position {position} of operation {OperationId} was already released.");
                    wait = Task.CompletedTask;
                }
                else if (_done)
                {
                    if (_error is not null)
                    {
                        throw _error;
                    }

                    yield break;
                }
                else
                {
                    wait = _changed.Task;
                }
            }

            if (next is not null)
            {
                position++;
                yield return next;
                continue;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Frees responses up to and including the one with this id.</summary>
    public void ReleaseUntil(string responseId)
    {
        lock (_sync)
        {
            var i = _ids.IndexOf(responseId);
            for (var k = 0; k <= i; k++)
            {
                _responses[k] = null;
            }
        }
    }

    public bool IsDone
    {
        get
        {
            lock (_sync)
            {
                return _done;
            }
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }
}
