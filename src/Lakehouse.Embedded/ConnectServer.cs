using System.Net;
using Grpc.AspNetCore.Server.Model;
using Lakehouse.Embedded.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Lakehouse.Embedded;

/// <summary>
/// A Spark Connect server (gRPC over HTTP/2, plaintext) backed by the embedded engine, that any Spark Connect client
/// can use: <c>sc://127.0.0.1:15002</c>. Start it with <see cref="StartAsync"/>, stop it by disposing it.
/// </summary>
public sealed class ConnectServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SessionRegistry _sessions;

    private ConnectServer(WebApplication app, SessionRegistry sessions, ServerFaults faults, int port, string host)
    {
        _app = app;
        _sessions = sessions;
        Faults = faults;
        Port = port;
        Host = host;
    }

    /// <summary>The port the server listens on (the chosen one when <see cref="ConnectServerOptions.Port"/> was 0).</summary>
    public int Port { get; }

    /// <summary>The address it listens on.</summary>
    public string Host { get; }

    /// <summary>The connection string clients use, e.g. <c>sc://127.0.0.1:15002</c>.</summary>
    public string ConnectionString => $"sc://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}";

    internal ServerFaults Faults { get; }

    /// <summary>Starts listening; returns when the server accepts connections.</summary>
    /// <exception cref="ArgumentException">The host is not an IP address or the port is out of range.</exception>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<ConnectServer> StartAsync(ConnectServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.TryParse(options.Host == "localhost" ? "127.0.0.1" : options.Host, out var address))
        {
            throw new ArgumentException($"Host '{options.Host}' is not an IP address; use e.g. 127.0.0.1 or 0.0.0.0.", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port {options.Port} is out of range 0-65535.", nameof(options));
        }

        var sessions = new SessionRegistry(options.Engine);
        var faults = new ServerFaults();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, options.Port, l => l.Protocols = HttpProtocols.Http2);
            k.Limits.MaxRequestBodySize = options.MaxMessageSize;
        });
        builder.Services.AddSingleton(sessions);
        builder.Services.AddSingleton(faults);
        builder.Services.AddSingleton<EmbeddedConnectService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<EmbeddedConnectService>, ConnectMethodProvider>());
        builder.Services.AddGrpc(g =>
        {
            g.MaxReceiveMessageSize = options.MaxMessageSize;
            g.MaxSendMessageSize = options.MaxMessageSize;
            g.EnableDetailedErrors = false;
            if (options.Token is { Length: > 0 } token)
            {
                g.Interceptors.Add<BearerTokenInterceptor>(token);
            }
        });
        var app = builder.Build();
        app.MapGrpcService<EmbeddedConnectService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        return new ConnectServer(app, sessions, faults, port, address.ToString());
    }

    /// <summary>Stops accepting calls, ends running operations and frees every session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _sessions.Dispose();
    }
}
