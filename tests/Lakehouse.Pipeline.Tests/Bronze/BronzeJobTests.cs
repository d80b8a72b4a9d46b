using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;

namespace Lakehouse.Pipeline.Tests.Bronze;

public sealed class BronzeJobTests
{
    private const string Yaml = """
        name: t
        warehouse: w
        landing: l
        sources:
          - { name: orders, format: json, path: orders, business_key: [order_id] }
        """;

    [Fact]
    public async Task Run_NewFiles_AppendsThemOnce()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/a.json", "{\"order_id\":\"1\",\"amount\":\"5\"}\n{\"order_id\":\"2\",\"amount\":\"6\"}\n");
        var config = h.Config(Yaml);

        var report = await h.RunAsync(config, JobKind.Bronze, "orders");

        Assert.True(report.Status == JobStatus.Succeeded, report.Error);
        Assert.Equal(2, report.RecordsWritten);
        Assert.Equal(2, await h.Table(config, "bronze.orders").CountAsync());
    }
}
