using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

public sealed class SmokeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Range_FilterAndSelect_ReturnsRows()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.Range(0, 5).Filter(Col("id") > 1).Select(Col("id"), (Col("id") * 2).Alias("twice")).CollectAsync();
        Assert.Equal([2L, 3L, 4L], rows.Select(r => r.Get<long>("id")));
        Assert.Equal([4L, 6L, 8L], rows.Select(r => r.Get<long>("twice")));
    }
}
