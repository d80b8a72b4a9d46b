using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Hosting;

public sealed class JobHostTests
{
    private const string Yaml = """
        name: t
        warehouse: ./warehouse
        landing: ./landing
        sources:
          - { name: orders, format: json, path: orders, business_key: [order_id] }
        """;

    [Fact]
    public async Task RunAsync_BadConfig_ExitsWithBadInput()
    {
        using var dir = new TempDirectory("jobhost");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), Yaml.Replace("format: json", "format: xml", StringComparison.Ordinal));

        var code = await JobHost.RunAsync(JobKind.Bronze, ["--config", dir.Combine("lakehouse.yaml"), "--source", "orders"], null);

        Assert.Equal(JobExitCodes.BadInput, code);
    }

    [Fact]
    public async Task RunAsync_HalfAnInterval_ExitsWithBadInput()
    {
        using var dir = new TempDirectory("jobhost");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), Yaml);

        var code = await JobHost.RunAsync(JobKind.Bronze, ["--config", dir.Combine("lakehouse.yaml"), "--source", "orders", "--data-interval-start", "2026-01-01T00:00:00Z"], null);

        Assert.Equal(JobExitCodes.BadInput, code);
    }

    [Fact]
    public async Task RunAsync_MalformedPushgatewayUrl_ExitsWithBadInputAndWritesNothing()
    {
        using var dir = new TempDirectory("jobhost");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), Yaml);
        Directory.CreateDirectory(dir.Combine("landing", "orders"));

        var code = await JobHost.RunAsync(JobKind.Bronze, ["--config", dir.Combine("lakehouse.yaml"), "--source", "orders", "--pushgateway", "ftp://pushgateway"], null);

        Assert.Equal(JobExitCodes.BadInput, code);
        Assert.False(Directory.Exists(dir.Combine("warehouse")));
    }

    [Fact]
    public async Task ConnectAsync_NothingListens_FailsAsRetryableEngineUnavailable()
    {
        using var dir = new TempDirectory("jobhost");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), Yaml);
        var config = Lakehouse.Pipeline.Configuration.PipelineConfigLoader.Load(dir.Combine("lakehouse.yaml"));
        // A port that was free a moment ago: nothing answers, so every attempt is UNAVAILABLE.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var oneRetry = new Lakehouse.Spark.Connect.SparkConnectRetryOptions { MaxRetries = 1 };

        await using var spark = await JobHost.ConnectAsync($"sc://127.0.0.1:{port}", config, null, oneRetry, CancellationToken.None);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => spark.Range(1).CountAsync());

        Assert.Equal(ErrorKinds.EngineUnavailable, ErrorKinds.Classify(e));
        Assert.Equal(JobExitCodes.Retryable, JobExitCodes.ForErrorKind(ErrorKinds.Classify(e)));
    }

    [Fact]
    public async Task RunAsync_Bronze_SucceedsAndWritesOneJobRunRow()
    {
        await using var h = await PipelineHarness.StartAsync();
        File.WriteAllText(Path.Combine(h.Root, "lakehouse.yaml"), Yaml);
        h.Land("orders/a.json", "{\"order_id\":\"1\"}\n");

        var code = await JobHost.RunAsync(JobKind.Bronze, [
            "--config", Path.Combine(h.Root, "lakehouse.yaml"), "--source", "orders", "--remote", h.Remote, "--run-id", "host-1",
            "--set", "warehouse=" + h.Warehouse, "--set", "landing=" + h.Landing, "--log-format", "text",
        ], null);

        Assert.Equal(JobExitCodes.Success, code);
        var config = h.Config(Yaml);
        var row = Assert.Single(await h.Table(config, TableLocations.JobRuns).Filter(Col("run_id") == Lit("host-1")).CollectAsync());
        Assert.Equal("succeeded", row.Get<string>("status"));
        Assert.Equal("bronze.orders", row.Get<string>("table_name"));
        Assert.Equal(1, row.Get<long>("records_written"));
    }
}
