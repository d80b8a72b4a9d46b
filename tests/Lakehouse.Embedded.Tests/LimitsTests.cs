using Grpc.Core;
using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>Bad input the transport must refuse while the server keeps serving.</summary>
public sealed class LimitsTests
{
    private sealed record Blob(string Text);

    [Fact]
    public async Task LocalRelation_LargerThanMessageLimit_IsRefusedAndServerKeepsServing()
    {
        using var dir = new TempDirectory("embedded");
        await using var server = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, MaxMessageSize = 1024 * 1024, Engine = new EmbeddedOptions { Warehouse = dir.Path } });
        await using var spark = await SparkSession.Builder().Remote(server.ConnectionString).CreateAsync();
        var big = Enumerable.Range(0, 64).Select(i => new Blob(new string('x', 32 * 1024))).ToList();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.CreateDataFrame(big).CountAsync());
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal(3, await spark.Range(0, 3).CountAsync());
    }
}
