using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Silver;

/// <summary>What reads an SCD type 2 silver table sees: table checks and gold models read its current rows.</summary>
public sealed class Scd2ReadersTests
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
            clean:
              cast: { amount: "decimal(12,2)", quantity: int, order_ts: timestamp, updated_at: timestamp }
          - name: customers
            format: json
            path: customers
            business_key: [customer_id]
            sequence: updated_at
            delete_flag: is_deleted
            scd2: true
            clean:
              cast: { signup_date: date, updated_at: timestamp, is_deleted: boolean }
        checks:
          silver.customers:
            - { name: customer_id_unique, type: unique, columns: [customer_id], severity: critical }
          silver.orders:
            - { name: customer_exists, type: relationship, column: customer_id, to: silver.customers, to_column: customer_id, severity: warning }
        gold:
          - { name: customer_360, inputs: [silver.orders, silver.customers] }
        """;

    private static string Customer(string id, string segment, string updatedAt, bool deleted = false) =>
        $"{{\"customer_id\":\"{id}\",\"name\":\"n{id}\",\"email\":\"{id}@x\",\"country\":\"DE\",\"region\":\"EMEA\",\"segment\":\"{segment}\",\"signup_date\":\"2025-01-01\",\"updated_at\":\"{updatedAt}\",\"is_deleted\":\"{(deleted ? "true" : "false")}\"}}\n";

    private static string Order(string id, string customer, string amount) =>
        $"{{\"order_id\":\"{id}\",\"customer_id\":\"{customer}\",\"product_id\":\"p\",\"quantity\":\"1\",\"amount\":\"{amount}\",\"status\":\"placed\",\"order_ts\":\"2026-01-02T10:00:00Z\",\"updated_at\":\"2026-01-02T10:00:00Z\"}}\n";

    [Fact]
    public async Task QualityAndGold_Scd2Customers_SeeCurrentRowsOnly()
    {
        await using var h = await PipelineHarness.StartAsync();
        // c1 has two versions, c2 one, c3 was deleted: history has 4 rows, 2 of them current.
        h.Land("customers/b1.json",
            Customer("c1", "consumer", "2026-01-01T10:00:00Z") + Customer("c1", "corporate", "2026-01-02T10:00:00Z")
            + Customer("c2", "consumer", "2026-01-01T10:00:00Z")
            + Customer("c3", "consumer", "2026-01-01T10:00:00Z") + Customer("c3", "consumer", "2026-01-02T10:00:00Z", deleted: true));
        h.Land("orders/b1.json", Order("o1", "c1", "10.00") + Order("o2", "c1", "5.00") + Order("o3", "c3", "7.00"));
        var config = h.Config(Yaml);
        foreach (var source in new[] { "orders", "customers" })
        {
            await h.RunAsync(config, JobKind.Bronze, source);
            await h.RunAsync(config, JobKind.Silver, source);
        }

        var customers = await h.RunAsync(config, JobKind.Quality, "silver.customers");
        var orders = await h.RunAsync(config, JobKind.Quality, "silver.orders");
        var gold = await h.RunAsync(config, JobKind.Gold, "customer_360");

        Assert.Equal(4, await h.Table(config, "silver.customers").CountAsync());
        Assert.True(customers.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(2, customers.RecordsRead);
        // o3's customer is deleted: not a current customer, so the relationship finds it missing.
        Assert.Contains(orders.Checks, c => c.Check == "customer_exists" && c.FailingRows == 1);
        Assert.True(gold.Status == JobStatus.Succeeded, h.Logs.ToString());
        var rows = await h.Table(config, "gold.customer_360").OrderBy("customer_id")
            .Select(Col("customer_id"), Col("segment"), Col("orders"), Col("lifetime_value").Cast("string").Alias("ltv")).CollectAsync();
        Assert.Equal(
            ["c1|corporate|2|15.00", "c2|consumer|0|0.00"],
            rows.Select(r => $"{r.Get<string>("customer_id")}|{r.Get<string>("segment")}|{r.Get<long>("orders")}|{r.Get<string>("ltv")}"));
    }
}
