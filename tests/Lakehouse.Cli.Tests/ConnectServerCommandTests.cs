using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Lakehouse.Spark;

namespace Lakehouse.Cli.Tests;

public sealed class ConnectServerCommandTests
{
    [Fact]
    public async Task ConnectServer_FreeLoopbackPort_ServesSparkConnectClients()
    {
        using var warehouse = new TempDirectory("cli-server");
        await using var server = await RunningServer.StartAsync("--port", "0", "--warehouse", warehouse.Path);
        await using var spark = await SparkSession.Builder().Remote(server.Url).CreateAsync();

        var one = Assert.Single(await (await spark.SqlAsync("SELECT 1 AS x")).CollectAsync());
        var ids = await spark.Range(0, 5).CollectAsync();

        Assert.Equal(["x"], one.Columns);
        Assert.Equal(1, one.Get<int>("x"));
        Assert.Equal([0L, 1L, 2L, 3L, 4L], ids.Select(r => r.Get<long>("id")));
        Assert.Contains($"(warehouse {Path.GetFullPath(warehouse.Path)})", server.Line, StringComparison.Ordinal);
        Assert.Equal("", server.Error.ToString());
    }

    [Fact]
    public async Task ConnectServer_Token_RefusesCallsWithoutItAndRedactsIt()
    {
        using var warehouse = new TempDirectory("cli-server");
        await using var server = await RunningServer.StartAsync("--port", "0", "--token", "s3cret-t0ken", "--warehouse", warehouse.Path);

        var refused = await Assert.ThrowsAsync<SparkConnectException>(async () =>
        {
            await using var anonymous = await SparkSession.Builder().Remote(server.Url).CreateAsync();
            await anonymous.Range(0, 1).CountAsync();
        });
        await using var spark = await SparkSession.Builder().Remote(server.Url + "/;token=s3cret-t0ken;use_ssl=false").CreateAsync();

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(3, await spark.Range(0, 3).CountAsync());
        Assert.Contains($"{server.Url}/;token=<redacted>;use_ssl=false ", server.Line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-t0ken", server.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectServer_Cancelled_StopsWithExitCodeOkAndClosesThePort()
    {
        using var warehouse = new TempDirectory("cli-server");
        await using var server = await RunningServer.StartAsync("--port", "0", "--warehouse", warehouse.Path);
        await using (var spark = await SparkSession.Builder().Remote(server.Url).CreateAsync())
        {
            Assert.Equal(2, await spark.Range(0, 2).CountAsync());
        }

        var code = await server.StopAsync();

        Assert.Equal(0, code);
        Assert.Equal("", server.Error.ToString());
        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, server.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task ConnectServer_AllowRemote_ListensOnAllAddressesAndWarnsWithoutToken()
    {
        using var warehouse = new TempDirectory("cli-server");
        await using var server = await RunningServer.StartAsync("--host", "0.0.0.0", "--allow-remote", "--port", "0", "--warehouse", warehouse.Path);
        await using var spark = await SparkSession.Builder().Remote(server.Url).CreateAsync();

        Assert.Equal(4, await spark.Range(0, 4).CountAsync());
        Assert.StartsWith("Spark Connect server listening on sc://0.0.0.0:", server.Line, StringComparison.Ordinal);
        Assert.Contains("without --token", server.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--host", "0.0.0.0", "--allow-remote")]
    [InlineData("--host", "192.168.1.10", "--allow-remote")]
    [InlineData("--host", "spark.example.com", "not an IP address")]
    [InlineData("--port", "65536", "out of range")]
    [InlineData("--port", "-1", "out of range")]
    public async Task ConnectServer_RefusedHostOrPort_ExitsBadInputWithOneLine(string option, string value, string expected)
    {
        using var warehouse = new TempDirectory("cli-server");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(["connect-server", option, value, "--warehouse", warehouse.Path], output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectServer_PortInUse_ExitsFailedNamingThePort()
    {
        using var warehouse = new TempDirectory("cli-server");
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            using var output = new StringWriter();
            using var error = new StringWriter();

            var code = await CliApp.RunAsync(["connect-server", "--port", $"{port}", "--warehouse", warehouse.Path], output, error, CancellationToken.None);

            Assert.Equal(1, code);
            Assert.Equal("", output.ToString());
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("another --port", line, StringComparison.Ordinal);
            Assert.Contains($"{port}", line, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
        }
    }
}
