using Grpc.Core;

namespace Lakehouse.Embedded.Service;

/// <summary>The server-side context of an in-process call: its method, deadline, headers and cancellation.</summary>
internal sealed class InProcessServerCallContext(string method, DateTime deadline, Metadata headers, CancellationToken cancellationToken) : ServerCallContext
{
    private readonly Metadata _responseTrailers = [];

    protected override string MethodCore => method;

    protected override string HostCore => "local";

    protected override string PeerCore => "local";

    protected override DateTime DeadlineCore => deadline;

    protected override Metadata RequestHeadersCore => headers;

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("Context propagation is not supported by the in-process transport.");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
