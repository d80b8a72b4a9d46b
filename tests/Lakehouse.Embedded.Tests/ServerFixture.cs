using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>One real embedded Spark Connect server on a free loopback port, shared by a test class; each test gets its own session and temp dir.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _warehouse = new("embedded-tests");

    public string Warehouse => _warehouse.Path;

    internal ConnectServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = Warehouse } });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _warehouse.Dispose();
    }

    public Task<SparkSession> SessionAsync() => SparkSession.Builder().Remote(Server.ConnectionString).CreateAsync();
}
