using Grpc.Core;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// One in-process call: its server context, its cancellation (the client's token, its deadline, or the client
/// disposing the call) and, once it ends, the status and trailers a gRPC client would have received.
/// </summary>
internal sealed class InProcessCall : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationTokenRegistration _clientToken;
    private readonly DateTime _deadline;
    private Status _status;
    private Metadata _trailers = [];

    public InProcessCall(string method, CallOptions options)
    {
        _deadline = options.Deadline ?? DateTime.MaxValue;
        _cancellation = new CancellationTokenSource();
        _clientToken = options.CancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _cancellation);
        if (_deadline != DateTime.MaxValue)
        {
            var left = _deadline.ToUniversalTime() - DateTime.UtcNow;
            if (left > TimeSpan.Zero)
            {
                _cancellation.CancelAfter(left);
            }
            else
            {
                // CancelAfter(0) cancels on a timer thread, later; a call already past its deadline must not start.
                _cancellation.Cancel();
            }
        }

        Context = new InProcessServerCallContext(method, _deadline, options.Headers ?? [], _cancellation.Token);
    }

    public ServerCallContext Context { get; }

    /// <summary>Runs the server side of the call off the caller's thread; a failure becomes the RpcException a gRPC client would see.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> handler)
    {
        try
        {
            var result = await Task.Run(() =>
            {
                ThrowIfCancelled();
                return handler();
            }).ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (Exception e)
        {
            throw Failed(e);
        }
    }

    /// <summary>A call whose deadline has passed or whose token was cancelled before it started never reaches the server.</summary>
    public void ThrowIfCancelled() => _cancellation.Token.ThrowIfCancellationRequested();

    public void Succeeded() => _status = Status.DefaultSuccess;

    /// <summary>Records how the call failed and returns the exception the client gets.</summary>
    public RpcException Failed(Exception e)
    {
        var rpc = e switch
        {
            _ when _cancellation.IsCancellationRequested && DateTime.UtcNow >= _deadline.ToUniversalTime() =>
                new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")),
            _ when _cancellation.IsCancellationRequested => new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client.")),
            RpcException r => r,
            // As gRPC servers answer an exception they were not given a status for (detailed errors off).
            _ => new RpcException(new Status(StatusCode.Unknown, "Exception was thrown by handler.")),
        };
        _status = rpc.Status;
        _trailers = rpc.Trailers;
        return rpc;
    }

    /// <summary>The client's view of how the call ended (gRPC's getStatus callback).</summary>
    public Status GetStatus() => _status;

    public Metadata GetTrailers() => _trailers;

    /// <summary>The client is done with the call: whatever still runs for it is cancelled, as when a stream is reset.</summary>
    public void Dispose()
    {
        _clientToken.Dispose();
        _cancellation.Cancel();
    }
}
