using System.Globalization;
using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>Idle sessions are closed after the timeout, as Spark's session manager closes them.</summary>
public sealed class SessionExpiryTests
{
    /// <summary>A clock the test moves by hand, so no test waits for an hour.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Request_AfterIdleTimeout_SessionClosedAndOtherSessionsServed()
    {
        using var warehouse = new TempDirectory("session-expiry");
        var clock = new ManualClock();
        await using var server = await ConnectServer.StartAsync(new ConnectServerOptions
        {
            Port = 0,
            Engine = new EmbeddedOptions { Warehouse = warehouse.Path, SessionTimeout = TimeSpan.FromMinutes(60), Clock = clock },
        });
        await using var idle = await SparkSession.Builder().Remote(server.ConnectionString).CreateAsync();
        await using var active = await SparkSession.Builder().Remote(server.ConnectionString).CreateAsync();
        // Unary calls only until the expiry, so no background release can touch a session at a later clock reading.
        await idle.Conf.SetAsync("lakehouse.test", "idle");
        await active.Conf.SetAsync("lakehouse.test", "active");

        clock.Now += TimeSpan.FromMinutes(30);
        Assert.Equal("active", await active.Conf.GetAsync("lakehouse.test"));
        clock.Now += TimeSpan.FromMinutes(31);

        // 61 minutes idle: closed. 31 minutes idle: still served.
        Assert.Equal("active", await active.Conf.GetAsync("lakehouse.test"));
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => idle.Conf.GetAsync("lakehouse.test"));
        Assert.Equal("INVALID_HANDLE.SESSION_CLOSED", e.ErrorClass);
        Assert.Equal(4, await active.Range(4).CountAsync());
        await using var fresh = await SparkSession.Builder().Remote(server.ConnectionString).CreateAsync();
        Assert.Equal(5, await fresh.Range(5).CountAsync());
    }
}
