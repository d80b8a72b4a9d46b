using System.Threading.Channels;
using Grpc.Core;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// The response stream of an in-process server-streaming call: the service writes, the client reads. A few responses
/// are buffered; a writer that gets ahead of the reader waits, as HTTP/2 flow control makes a server's writer wait.
/// </summary>
internal sealed class InProcessResponseStream<T>(InProcessCall call) : IServerStreamWriter<T>, IAsyncStreamReader<T>
    where T : class
{
    private readonly Channel<T> _responses = System.Threading.Channels.Channel.CreateBounded<T>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private RpcException? _error;

    public WriteOptions? WriteOptions { get; set; }

    public T Current { get; private set; } = null!;

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        // A call the client disposed, cancelled or let pass its deadline is read no more: the writer must not wait for
        // room forever, as a reset HTTP/2 stream fails a server's write.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Context.CancellationToken);
        await _responses.Writer.WriteAsync(message, either.Token).ConfigureAwait(false);
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_responses.Reader.TryRead(out var next))
            {
                Current = next;
                return true;
            }

            bool more;
            try
            {
                more = await _responses.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                call.Dispose();
                throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
            }

            if (!more)
            {
                return _error is null ? false : throw _error;
            }
        }
    }

    /// <summary>Ends the stream: the reader gets the responses written so far, then the end or <paramref name="error"/>.</summary>
    public void Complete(RpcException? error)
    {
        _error = error;
        _responses.Writer.TryComplete();
    }
}
