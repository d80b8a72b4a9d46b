using System.Net;
using Lakehouse.Spark.Connect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lakehouse.Spark.Tests;

/// <summary>A real gRPC server (Kestrel, HTTP/2 cleartext) on 127.0.0.1 with an ephemeral port, serving <see cref="LoopbackConnectService"/>.</summary>
internal sealed class LoopbackConnectServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackConnectServer(WebApplication app, LoopbackBehaviour behaviour, int port)
    {
        _app = app;
        Behaviour = behaviour;
        Port = port;
    }

    public LoopbackBehaviour Behaviour { get; }

    public int Port { get; }

    /// <summary>Fast retries so tests never wait on PySpark's production backoff.</summary>
    public static SparkConnectRetryOptions FastRetry(int retries = 4) =>
        new() { MaxRetries = retries, InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5) };

    public static async Task<LoopbackConnectServer> StartAsync(LoopbackBehaviour behaviour)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = SparkConnectionString.DefaultMaxMessageSize);
        builder.Services.AddSingleton(behaviour);
        var app = builder.Build();
        app.MapGrpcService<LoopbackConnectService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackConnectServer(app, behaviour, new Uri(address).Port);
    }

    /// <summary>A connection string for this server; <paramref name="parameters"/> like <c>;token=t</c>.</summary>
    public string ConnectionString(string parameters = "") => $"sc://127.0.0.1:{Port}/;use_ssl=false{parameters}";

    public async Task<SparkSession> SessionAsync(string parameters = "", int retries = 4) =>
        await SparkSession.Builder().Remote(ConnectionString(parameters)).Retry(FastRetry(retries)).CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
