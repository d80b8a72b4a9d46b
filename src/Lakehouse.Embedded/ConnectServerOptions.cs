namespace Lakehouse.Embedded;

/// <summary>Settings of <see cref="ConnectServer"/>.</summary>
public sealed record ConnectServerOptions
{
    /// <summary>Address to listen on. Default <c>127.0.0.1</c> (loopback only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="ConnectServer.Port"/>). Default 15002, Spark Connect's port.</summary>
    public int Port { get; init; } = 15002;

    /// <summary>When set, calls must carry <c>Authorization: Bearer &lt;Token&gt;</c>; others get UNAUTHENTICATED. Default null: no authentication.</summary>
    public string? Token { get; init; }

    /// <summary>Largest request and response message in bytes. Default 128 MiB, as Spark's <c>spark.connect.grpc.maxInboundMessageSize</c>.</summary>
    public int MaxMessageSize { get; init; } = 128 * 1024 * 1024;

    /// <summary>The engine's settings (warehouse directory, session time zone). Default: <see cref="EmbeddedOptions"/> defaults.</summary>
    public EmbeddedOptions Engine { get; init; } = new();
}
