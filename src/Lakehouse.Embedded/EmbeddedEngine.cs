using Grpc.Core;
using Grpc.Net.Client;
using Lakehouse.Spark.Connect;

namespace Lakehouse.Embedded;

/// <summary>
/// Makes <c>SparkSession.Builder().Remote("local")</c> run on the embedded engine: <see cref="RegisterLocal"/>
/// registers a transport that starts one server in this process on a free loopback port (on first use) and connects
/// sessions to it.
/// </summary>
public static class EmbeddedEngine
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ConnectServer? _server;

    /// <summary>Registers the embedded engine as the <c>local</c> transport of Lakehouse.Spark.</summary>
    /// <param name="options">Engine settings (warehouse, time zone); defaults when null. The first session started fixes them for the process.</param>
    public static void RegisterLocal(EmbeddedOptions? options = null) =>
        SparkConnectTransports.RegisterLocal(new LocalTransport(options ?? new EmbeddedOptions()));

    private sealed class LocalTransport(EmbeddedOptions options) : ISparkConnectTransport
    {
        public ChannelBase Open(SparkConnectionString connection)
        {
            var server = Server(options);
            return GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}", new GrpcChannelOptions
            {
                MaxReceiveMessageSize = connection.MaxMessageSize,
                MaxSendMessageSize = connection.MaxMessageSize,
                MaxRetryAttempts = 0,
            });
        }

        private static ConnectServer Server(EmbeddedOptions options)
        {
            Gate.Wait();
            try
            {
                return _server ??= ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = options }).GetAwaiter().GetResult();
            }
            finally
            {
                Gate.Release();
            }
        }
    }
}
