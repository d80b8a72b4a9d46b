using Grpc.Core;
using Grpc.Net.Client;

namespace Lakehouse.Spark.Connect;

/// <summary>The transport registry: which <see cref="ISparkConnectTransport"/> serves <c>local</c>.</summary>
public static class SparkConnectTransports
{
    private static ISparkConnectTransport? _local;

    /// <summary>Registers the in-process engine used for <c>Remote("local")</c>; the last registration wins.</summary>
    /// <param name="transport">The engine's transport.</param>
    public static void RegisterLocal(ISparkConnectTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Volatile.Write(ref _local, transport);
    }

    /// <summary>Forgets the registered local engine (tests).</summary>
    internal static void ClearLocal() => Volatile.Write(ref _local, null);

    /// <summary>The transport for <paramref name="connection"/>: the registered local engine, or gRPC over the network.</summary>
    /// <exception cref="InvalidOperationException"><c>local</c> was asked for and no engine is registered.</exception>
    internal static ISparkConnectTransport For(SparkConnectionString connection) =>
        !connection.IsLocal
            ? NetworkTransport.Instance
            : Volatile.Read(ref _local) ?? throw new InvalidOperationException(
                "Remote(\"local\") needs the embedded engine, but none is registered. Reference Lakehouse.Embedded "
                + "and register it at startup, or connect to a Spark Connect server with sc://host:port.");

    private sealed class NetworkTransport : ISparkConnectTransport
    {
        internal static readonly NetworkTransport Instance = new();

        public ChannelBase Open(SparkConnectionString connection) =>
            GrpcChannel.ForAddress(connection.Address, new GrpcChannelOptions
            {
                // Grpc.Net.Client defaults to 4 MiB; Arrow batches go up to ~0.7 × 128 MiB (brief §2).
                MaxReceiveMessageSize = connection.MaxMessageSize,
                MaxSendMessageSize = connection.MaxMessageSize,
                // Retries are ours (one Polly pipeline); gRPC's own retry layer stays off.
                MaxRetryAttempts = 0,
            });
    }
}
