using Grpc.Core;
using Grpc.Net.Client;
using Lakehouse.Spark.Connect;

namespace Lakehouse.Spark.Tests;

// Tests here touch process-wide state (SPARK_REMOTE, the local-engine registry); xunit runs one class's tests sequentially.
public sealed class SessionBuilderTests
{
    private sealed class ChannelTo(Uri address) : ISparkConnectTransport
    {
        public int Opened { get; private set; }

        public ChannelBase Open(SparkConnectionString connection)
        {
            Opened++;
            return GrpcChannel.ForAddress(address);
        }
    }

    [Fact]
    public async Task Build_NoRemote_UsesSparkRemoteEnvironmentVariable()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { SparkVersion = "3.5.3" });
        Environment.SetEnvironmentVariable(SparkSessionBuilder.RemoteEnvironmentVariable, server.ConnectionString());
        try
        {
            await using var spark = await SparkSession.Builder().Retry(LoopbackConnectServer.FastRetry()).CreateAsync();

            Assert.Equal("3.5.3", await spark.VersionAsync());
        }
        finally
        {
            Environment.SetEnvironmentVariable(SparkSessionBuilder.RemoteEnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task Build_LocalWithRegisteredEngine_UsesItsTransport()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { SparkVersion = "4.0.0" });
        var transport = new ChannelTo(new Uri($"http://127.0.0.1:{server.Port}"));
        SparkConnectTransports.RegisterLocal(transport);
        try
        {
            await using var spark = await SparkSession.Builder().Remote("local").CreateAsync();

            Assert.Equal("4.0.0", await spark.VersionAsync());
            Assert.Equal(1, transport.Opened);
        }
        finally
        {
            SparkConnectTransports.ClearLocal();
        }
    }

    [Fact]
    public void Build_LocalWithoutRegisteredEngine_ExplainsWhatToDo()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SparkSession.Builder().Remote("local").Build());

        Assert.Contains("Lakehouse.Embedded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_ExplicitTransport_IsUsedForLocal()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour());
        var transport = new ChannelTo(new Uri($"http://127.0.0.1:{server.Port}"));

        await using var spark = await SparkSession.Builder().Remote("local").Transport(transport).CreateAsync();

        Assert.Equal("4.0.0", await spark.VersionAsync());
    }
}
