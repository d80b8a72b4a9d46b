using Grpc.Core;
using Lakehouse.Spark.Connect;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// The <c>local</c> transport: Spark Connect calls go straight to <see cref="EmbeddedConnectService"/> in this
/// process, with no socket, HTTP/2 or gRPC framing in between. Requests are still serialized and parsed (with the
/// server's recursion limit) so the engine never shares a message object with the client; responses are handed over
/// as they are, as nothing on the client changes them.
/// </summary>
internal sealed class InProcessTransport(EmbeddedOptions options) : ISparkConnectTransport, IDisposable
{
    private readonly SessionRegistry _sessions = new(options);

    public ChannelBase Open(SparkConnectionString connection) => new Channel(new EmbeddedConnectService(_sessions, new ServerFaults()));

    public void Dispose() => _sessions.Dispose();

    private sealed class Channel(EmbeddedConnectService service) : ChannelBase("local")
    {
        public override CallInvoker CreateCallInvoker() => new InProcessCallInvoker(service);
    }
}
