using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

public sealed class InterruptTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task InterruptAll_RunningQuery_FailsItAndSessionKeepsWorking()
    {
        await using var spark = await server.SessionAsync();
        // 10^10 joined rows: far longer than the test takes to interrupt it.
        var huge = spark.Range(0, 100_000).CrossJoin(spark.Range(0, 100_000).Select(Col("id").Alias("j"))).Agg(Sum(Col("j")).Alias("s"));
        var running = huge.CollectAsync();
        IReadOnlyList<string> interrupted = [];
        while (interrupted.Count == 0 && !running.IsCompleted)
        {
            interrupted = await spark.InterruptAllAsync();
            await Task.Delay(10);
        }

        Assert.NotEmpty(interrupted);
        await Assert.ThrowsAnyAsync<Exception>(() => running);
        Assert.Equal(2, await spark.Range(0, 2).CountAsync());
    }
}
