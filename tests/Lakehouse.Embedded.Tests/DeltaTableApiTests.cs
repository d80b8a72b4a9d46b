using Lakehouse.Spark;
using SparkDeltaTable = Lakehouse.Spark.Delta.DeltaTable;

namespace Lakehouse.Embedded.Tests;

/// <summary>Lakehouse.Spark's DeltaTable API end to end against the embedded engine: what the client sends, the engine executes.</summary>
public sealed class DeltaTableApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task MergeDeleteUpdateHistory_ThroughTheClientApi_ChangeTheTableAsDeltaDoes()
    {
        using var dir = new TempDirectory("api");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(3, 'c', 30)");
        Assert.True(await SparkDeltaTable.IsDeltaTableAsync(spark, path));

        var batch = (await spark.SqlAsync("SELECT * FROM (VALUES (CAST(2 AS BIGINT), 'B', CAST(21 AS BIGINT)), (CAST(4 AS BIGINT), 'd', CAST(40 AS BIGINT))) AS v(id, name, amount)")).Alias("s");
        var metrics = await SparkDeltaTable.ForPath(spark, path).As("t").Merge(batch, "t.id = s.id")
            .WhenMatched().UpdateAll()
            .WhenNotMatched().InsertAll()
            .ExecuteAsync();
        Assert.Equal(new Lakehouse.Spark.Delta.MergeMetrics(2, 1, 0, 1), metrics);
        DeltaTables.AssertRows(path, "1|a|10", "2|B|21", "3|c|30", "4|d|40");

        Assert.Equal(1, await SparkDeltaTable.ForPath(spark, path).DeleteAsync("id = 3"));
        Assert.Equal(1, await SparkDeltaTable.ForPath(spark, path).UpdateAsync("id = 1", new Dictionary<string, string> { ["amount"] = "amount + 1" }));
        DeltaTables.AssertRows(path, "1|a|11", "2|B|21", "4|d|40");

        var history = await SparkDeltaTable.ForPath(spark, path).History().CollectAsync();
        Assert.Equal(["UPDATE", "DELETE", "MERGE", "WRITE", "WRITE"], history.Select(r => r.Get<string>("operation")));
        var detail = (await SparkDeltaTable.ForPath(spark, path).Detail().CollectAsync()).Single();
        Assert.Equal("delta", detail.Get<string>("format"));
    }
}
