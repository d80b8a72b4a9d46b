using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>One real embedded Spark Connect server on a free loopback port, shared by a test class; each test gets its own session and temp dir.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public string Warehouse { get; } = Path.Combine(Path.GetTempPath(), "lakehouse-embedded-tests-" + Guid.NewGuid().ToString("N"));

    internal ConnectServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Warehouse);
        Server = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = Warehouse } });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Warehouse, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public Task<SparkSession> SessionAsync() => SparkSession.Builder().Remote(Server.ConnectionString).CreateAsync();
}
