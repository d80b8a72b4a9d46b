using Grpc.Core;

namespace Lakehouse.Spark.Connect;

/// <summary>
/// Opens the gRPC channel a session talks through. The default transport dials <c>sc://</c> addresses;
/// an in-process engine (the embedded engine behind <c>Remote("local")</c>) registers its own with
/// <see cref="SparkConnectTransports.RegisterLocal"/>, so this library never references the engine.
/// </summary>
public interface ISparkConnectTransport
{
    /// <summary>Opens a channel for <paramref name="connection"/>; the session shuts it down when it stops.</summary>
    /// <param name="connection">The parsed connection string (message size, TLS and headers are the transport's to honour).</param>
    ChannelBase Open(SparkConnectionString connection);
}
