using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Silver;

public sealed class SilverJobTests
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
            delete_flag: is_deleted
            clean:
              trim: [status]
              lower: [status]
              cast: { amount: "decimal(12,2)", updated_at: timestamp, is_deleted: boolean }
              defaults: { status: unknown }
            expectations:
              - { name: amount_not_negative, condition: "amount >= 0", action: quarantine }
              - { name: has_customer, condition: "customer_id IS NOT NULL", action: drop }
              - { name: small_amount, condition: "amount < 1000", action: warn }
        """;

    private static string Order(string id, string customer, string amount, string status, string updatedAt, bool deleted = false) =>
        $"{{\"order_id\":\"{id}\",\"customer_id\":{(customer.Length == 0 ? "null" : $"\"{customer}\"")},\"amount\":\"{amount}\",\"status\":\"{status}\",\"updated_at\":\"{updatedAt}\",\"is_deleted\":\"{(deleted ? "true" : "false")}\"}}\n";

    private static readonly string Batch1 =
        Order("1", "c1", "10.50", " Placed ", "2026-01-01T10:00:00Z")
        + Order("2", "c2", "20", "placed", "2026-01-01T10:00:00Z")
        + Order("2", "c2", "21", "shipped", "2026-01-01T11:00:00Z")  // a newer duplicate in the same batch wins
        + Order("3", "c3", "-5", "placed", "2026-01-01T10:00:00Z")   // negative: quarantined
        + Order("4", "", "7", "placed", "2026-01-01T10:00:00Z")      // no customer: dropped
        + Order("5", "c5", "abc", "placed", "2026-01-01T10:00:00Z")  // not a number: quarantined by the cast rule
        + Order("6", "c6", "2000", "", "2026-01-01T10:00:00Z")       // warned only; a blank status gets the default
        + Order("7", "c7", "70", "placed", "2026-01-01T10:00:00Z");

    private static readonly string Batch2 =
        Order("1", "c1", "11", "shipped", "2026-01-02T10:00:00Z")     // update
        + Order("2", "c2", "19", "placed", "2026-01-01T09:00:00Z")    // late: older than what silver has
        + Order("7", "c7", "70", "placed", "2026-01-02T10:00:00Z", deleted: true) // delete
        + Order("7", "c7", "71", "placed", "2026-01-01T12:00:00Z")    // late data for the deleted key, older than the delete
        + Order("8", "c8", "80", "placed", "2026-01-02T10:00:00Z");   // insert

    [Fact]
    public async Task Run_FirstBatch_CleansChecksDedupesAndQuarantines()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/b1.json", Batch1);
        var config = h.Config(Yaml);
        await h.RunAsync(config, JobKind.Bronze, "orders");

        var report = await h.RunAsync(config, JobKind.Silver, "orders");

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        var rows = await h.Table(config, "silver.orders").OrderBy("order_id").CollectAsync();
        Assert.Equal(["1", "2", "6", "7"], rows.Select(r => r.Get<string>("order_id")));
        Assert.Equal("placed", rows[0].Get<string>("status"));
        Assert.Equal(10.50m, rows[0].Get<decimal>("amount"));
        Assert.Equal("shipped", rows[1].Get<string>("status"));
        Assert.Equal(8, report.RecordsRead);
        Assert.Equal(2, report.RecordsQuarantined);
        Assert.Equal(1, report.RecordsDropped);
        // 2000 is not small, and a null amount (the failed cast) does not satisfy the condition either.
        Assert.Contains(report.Checks, c => c.Check == "small_amount" && c.FailingRows == 2);
        var quarantine = await h.Table(config, "silver.orders_quarantine").OrderBy("order_id").CollectAsync();
        Assert.Equal(["3", "5"], quarantine.Select(r => r.Get<string>("order_id")));
        Assert.Equal("amount_not_negative", quarantine[0].Get<string>("_rules"));
        // The failed cast leaves amount null, which does not satisfy amount >= 0 either.
        Assert.Equal("cast_amount,amount_not_negative", quarantine[1].Get<string>("_rules"));
        Assert.Equal("abc", quarantine[1].Get<string>("amount"));
        Assert.Equal("test-run", quarantine[1].Get<string>("_run_id"));
        Assert.NotNull(quarantine[1].Get<string>("_source_file"));
    }

    [Fact]
    public async Task Run_SecondBatch_EqualsAFullRebuildFromAllFiles()
    {
        await using var incremental = await PipelineHarness.StartAsync();
        incremental.Land("orders/b1.json", Batch1);
        var config = incremental.Config(Yaml);
        await incremental.RunAsync(config, JobKind.Bronze, "orders");
        await incremental.RunAsync(config, JobKind.Silver, "orders");
        incremental.Land("orders/b2.json", Batch2);
        await incremental.RunAsync(config, JobKind.Bronze, "orders");
        var second = await incremental.RunAsync(config, JobKind.Silver, "orders");
        var rerun = await incremental.RunAsync(config, JobKind.Silver, "orders");

        await using var rebuild = await PipelineHarness.StartAsync();
        rebuild.Land("orders/b1.json", Batch1);
        rebuild.Land("orders/b2.json", Batch2);
        var rebuildConfig = rebuild.Config(Yaml);
        await rebuild.RunAsync(rebuildConfig, JobKind.Bronze, "orders");
        await rebuild.RunAsync(rebuildConfig, JobKind.Silver, "orders");

        Assert.True(second.Status == JobStatus.Succeeded, incremental.Logs.ToString());
        Assert.Equal(0, rerun.RecordsRead);
        var expected = await Snapshot(rebuild, rebuildConfig);
        var actual = await Snapshot(incremental, config);
        Assert.Equal(expected, actual);
        // Independently: 1 updated, 2 kept its newer version, 7 deleted (and its late row not revived), 8 inserted.
        Assert.Equal(["1|shipped|11.00", "2|shipped|21.00", "6|unknown|2000.00", "8|placed|80.00"], actual);

        // Silver is created with deletion vectors, so the incremental MERGE marked the updated and deleted rows (1, 7)
        // in the first file's vector and copied none of its other rows.
        var silver = TableLocations.Path(config, "silver.orders");
        Assert.Equal("true", Lakehouse.Delta.Snapshots.Snapshot.Load(silver).Metadata.Configuration["delta.enableDeletionVectors"]);
        // And with the change data feed, which gold reads the change from.
        Assert.Equal("true", Lakehouse.Delta.Snapshots.Snapshot.Load(silver).Metadata.Configuration["delta.enableChangeDataFeed"]);
        var merge = Lakehouse.Delta.Maintenance.TableHistory.Read(silver, 10).First(c => c.Operation == "MERGE").OperationMetrics;
        Assert.Equal(("0", "1", "1", "1", "1"), (merge["numTargetRowsCopied"], merge["numTargetDeletionVectorsAdded"], merge["numTargetRowsUpdated"],
            merge["numTargetRowsDeleted"], merge["numTargetRowsInserted"]));
    }

    [Fact]
    public async Task Run_LateRowsAfterADelete_AreKeptOutByTheTombstoneUnlessNewer()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        foreach (var (file, rows) in new[] { ("b1", Batch1), ("b2", Batch2) })
        {
            h.Land($"orders/{file}.json", rows);
            await h.RunAsync(config, JobKind.Bronze, "orders");
            await h.RunAsync(config, JobKind.Silver, "orders");
        }

        // Order 7 was deleted at 2026-01-02T10:00 in batch 2. A later batch's row an hour older than the delete is
        // outranked by the tombstone, and a row with the delete's own sequence value but ingested later is newer.
        h.Land("orders/b3.json", Order("7", "c7", "72", "placed", "2026-01-02T09:00:00Z") + Order("9", "c9", "90", "placed", "2026-01-01T10:00:00Z"));
        await h.RunAsync(config, JobKind.Bronze, "orders");
        var third = await h.RunAsync(config, JobKind.Silver, "orders");
        Assert.True(third.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(["1|shipped|11.00", "2|shipped|21.00", "6|unknown|2000.00", "8|placed|80.00", "9|placed|90.00"], await Snapshot(h, config));

        h.Land("orders/b4.json", Order("7", "c7", "73", "placed", "2026-01-02T10:00:00Z"));
        await h.RunAsync(config, JobKind.Bronze, "orders");
        await h.RunAsync(config, JobKind.Silver, "orders");
        Assert.Equal(["1|shipped|11.00", "2|shipped|21.00", "6|unknown|2000.00", "7|placed|73.00", "8|placed|80.00", "9|placed|90.00"], await Snapshot(h, config));
    }

    private static async Task<List<string>> Snapshot(PipelineHarness h, Pipeline.Configuration.PipelineConfig config)
    {
        var rows = await h.Table(config, "silver.orders").OrderBy("order_id").Select(Col("order_id"), Col("status"), Col("amount").Cast("string").Alias("amount")).CollectAsync();
        return rows.Select(r => $"{r.Get<string>("order_id")}|{r.Get<string>("status")}|{r.Get<string>("amount")}").ToList();
    }
}
