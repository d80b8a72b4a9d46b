using Lakehouse.Embedded.Service;
using Lakehouse.Spark.Connect;

namespace Lakehouse.Embedded;

/// <summary>
/// Makes <c>SparkSession.Builder().Remote("local")</c> run on the embedded engine: <see cref="RegisterLocal"/>
/// registers a transport that hands Spark Connect calls to the engine in this process, without a socket or HTTP/2
/// (<see cref="ConnectServer"/> is the engine behind a real gRPC port).
/// </summary>
public static class EmbeddedEngine
{
    private static readonly Lock Gate = new();
    private static InProcessTransport? _engine;

    /// <summary>Registers the embedded engine as the <c>local</c> transport of Lakehouse.Spark.</summary>
    /// <param name="options">Engine settings (warehouse, time zone); defaults when null. The first session started fixes them for the process.</param>
    public static void RegisterLocal(EmbeddedOptions? options = null) =>
        SparkConnectTransports.RegisterLocal(new LocalTransport(options ?? new EmbeddedOptions()));

    private sealed class LocalTransport(EmbeddedOptions options) : ISparkConnectTransport
    {
        public Grpc.Core.ChannelBase Open(SparkConnectionString connection)
        {
            lock (Gate)
            {
                _engine ??= new InProcessTransport(options);
            }

            return _engine.Open(connection);
        }
    }
}
