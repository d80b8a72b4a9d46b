using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Quality;

public sealed class QualityJobTests
{
    private const string Yaml = """
        name: t
        warehouse: w
        landing: l
        sources:
          - name: orders
            format: json
            path: orders
            business_key: [order_id]
            sequence: updated_at
          - name: products
            format: json
            path: products
            business_key: [product_id]
        checks:
          silver.orders:
            - { name: order_id_unique, type: unique, columns: [order_id], severity: critical }
            - { name: amount_range, type: range, column: amount, min: 0, severity: warning }
        """;

    [Fact]
    public async Task Run_TableWithChecks_ReportsTheRowsItChecked()
    {
        await using var h = await PipelineHarness.StartAsync();
        // Four records, three keys: silver keeps three rows, and the checks see those three.
        h.Land("orders/b1.json",
            "{\"order_id\":\"1\",\"amount\":5,\"updated_at\":\"2026-01-01T10:00:00Z\"}\n"
            + "{\"order_id\":\"1\",\"amount\":6,\"updated_at\":\"2026-01-01T11:00:00Z\"}\n"
            + "{\"order_id\":\"2\",\"amount\":-1,\"updated_at\":\"2026-01-01T10:00:00Z\"}\n"
            + "{\"order_id\":\"3\",\"amount\":7,\"updated_at\":\"2026-01-01T10:00:00Z\"}\n");
        h.Land("products/b1.json", "{\"product_id\":\"p1\"}\n{\"product_id\":\"p2\"}\n");
        var config = h.Config(Yaml);
        foreach (var source in new[] { "orders", "products" })
        {
            await h.RunAsync(config, JobKind.Bronze, source);
            await h.RunAsync(config, JobKind.Silver, source);
        }

        var checkedRun = await h.RunAsync(config, JobKind.Quality, "silver.orders", runId: "q-orders");
        var withoutChecks = await h.RunAsync(config, JobKind.Quality, "silver.products", runId: "q-products");

        Assert.True(checkedRun.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(3, checkedRun.RecordsRead);
        Assert.Contains(checkedRun.Checks, c => c.Check == "amount_range" && c.FailingRows == 1);
        Assert.Equal(2, withoutChecks.RecordsRead);
        var logged = await h.Table(config, "ops.job_runs").Filter(Col("run_id") == Lit("q-orders")).Select("records_read").CollectAsync();
        Assert.Equal(3, Assert.Single(logged).Get<long>("records_read"));
    }
}
