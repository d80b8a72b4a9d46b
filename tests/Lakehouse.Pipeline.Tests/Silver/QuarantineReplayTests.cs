using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Silver;

public sealed class QuarantineReplayTests
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
              trim: [status]
              cast: { amount: "decimal(12,2)", updated_at: timestamp }
            expectations:
              - { name: amount_in_range, condition: "amount >= 0", action: quarantine }
        """;

    // The fix: refunds down to -10 are valid after all.
    private static readonly string RelaxedYaml = Yaml.Replace("amount >= 0", "amount >= -10", StringComparison.Ordinal);

    private static string Order(string id, string amount, string status, string updatedAt) =>
        $"{{\"order_id\":\"{id}\",\"amount\":\"{amount}\",\"status\":\"{status}\",\"updated_at\":\"{updatedAt}\"}}\n";

    private static readonly string Batch =
        Order("1", "10", "placed", "2026-01-01T10:00:00Z")
        + Order("2", "20", "shipped", "2026-01-01T11:00:00Z")
        + Order("2", "-1", "placed", "2026-01-01T09:00:00Z")    // quarantined, and older than the 2 silver keeps
        + Order("3", "-5", " refunded ", "2026-01-01T10:00:00Z") // quarantined; passes the relaxed rule
        + Order("5", "abc", "placed", "2026-01-01T10:00:00Z")    // not a number: fails the cast under any rule
        + Order("6", "-50", "placed", "2026-01-01T10:00:00Z");   // fails the relaxed rule too

    [Fact]
    public async Task Replay_RuleRelaxed_MergesRowsThatPassAndKeepsTheRest()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/b1.json", Batch);
        var strict = h.Config(Yaml);
        await h.RunAsync(strict, JobKind.Bronze, "orders");
        var silver = await h.RunAsync(strict, JobKind.Silver, "orders");
        Assert.Equal(4, silver.RecordsQuarantined);
        var relaxed = h.Config(RelaxedYaml);

        var report = await h.RunAsync(relaxed, JobKind.Replay, "orders", runId: "replay-run");

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(4, report.RecordsRead);
        Assert.Equal(2, report.RecordsQuarantined);
        // Only 3 is written: the replayed 2 is older than silver's and is not merged over it.
        Assert.Equal(1, report.RecordsWritten);
        Assert.Equal(["1|placed|10.00", "2|shipped|20.00", "3|refunded|-5.00"], await Silver(h, relaxed));
        Assert.Equal(["5", "6"], await QuarantinedKeys(h, relaxed));
        var runs = await h.Table(relaxed, "ops.job_runs").Filter(Col("job") == Lit("replay")).CountAsync();
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Replay_Rerun_ReplaysNothingTwice()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/b1.json", Batch);
        var strict = h.Config(Yaml);
        await h.RunAsync(strict, JobKind.Bronze, "orders");
        await h.RunAsync(strict, JobKind.Silver, "orders");
        var relaxed = h.Config(RelaxedYaml);
        await h.RunAsync(relaxed, JobKind.Replay, "orders");
        var silverAfterReplay = await Silver(h, relaxed);

        var rerun = await h.RunAsync(relaxed, JobKind.Replay, "orders");
        var silverRun = await h.RunAsync(relaxed, JobKind.Silver, "orders");

        Assert.True(rerun.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(2, rerun.RecordsRead);
        Assert.Equal(2, rerun.RecordsQuarantined);
        Assert.Equal(0, rerun.RecordsWritten);
        Assert.Equal(silverAfterReplay, await Silver(h, relaxed));
        Assert.Equal(["5", "6"], await QuarantinedKeys(h, relaxed));
        // The replay's commits do not move silver's bronze progress: no bronze row is read again.
        Assert.True(silverRun.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(0, silverRun.RecordsRead);
    }

    [Fact]
    public async Task Replay_RulesUnchanged_LeavesEverythingInQuarantine()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/b1.json", Batch);
        var strict = h.Config(Yaml);
        await h.RunAsync(strict, JobKind.Bronze, "orders");
        await h.RunAsync(strict, JobKind.Silver, "orders");

        var report = await h.RunAsync(strict, JobKind.Replay, "orders");

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(4, report.RecordsQuarantined);
        Assert.Equal(["1|placed|10.00", "2|shipped|20.00"], await Silver(h, strict));
        Assert.Equal(["2", "3", "5", "6"], await QuarantinedKeys(h, strict));
    }

    [Fact]
    public async Task Replay_RowOlderThanADelete_IsNotReinserted()
    {
        const string yaml = """
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
                  cast: { amount: "decimal(12,2)", updated_at: timestamp }
                expectations:
                  - { name: amount_in_range, condition: "amount >= 0", action: quarantine }
            """;
        static string Row(string id, string amount, string updatedAt, string deleted) =>
            $"{{\"order_id\":\"{id}\",\"amount\":\"{amount}\",\"updated_at\":\"{updatedAt}\",\"is_deleted\":\"{deleted}\"}}\n";
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/b1.json", Row("7", "70", "2026-01-01T10:00:00Z", "false") + Row("8", "-8", "2026-01-01T10:00:00Z", "false"));
        h.Land("orders/b2.json", Row("7", "70", "2026-01-02T10:00:00Z", "true") + Row("7", "-7", "2026-01-01T12:00:00Z", "false"));
        var strict = h.Config(yaml);
        await h.RunAsync(strict, JobKind.Bronze, "orders");
        await h.RunAsync(strict, JobKind.Silver, "orders");
        var relaxed = h.Config(yaml.Replace("amount >= 0", "amount >= -10", StringComparison.Ordinal));

        var report = await h.RunAsync(relaxed, JobKind.Replay, "orders");

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        // 7 was deleted on 2 January; its replayed row of 1 January stays deleted. 8 has no delete and comes back.
        var keys = await h.Table(relaxed, "silver.orders").OrderBy("order_id").Select(Col("order_id")).CollectAsync();
        Assert.Equal(["8"], keys.Select(r => r.Get<string>("order_id")));
        Assert.Empty(await QuarantinedKeys(h, relaxed));
    }

    private static async Task<List<string>> Silver(PipelineHarness h, Pipeline.Configuration.PipelineConfig config)
    {
        var rows = await h.Table(config, "silver.orders").OrderBy("order_id")
            .Select(Col("order_id"), Col("status"), Col("amount").Cast("string").Alias("amount")).CollectAsync();
        return rows.Select(r => $"{r.Get<string>("order_id")}|{r.Get<string>("status")}|{r.Get<string>("amount")}").ToList();
    }

    private static async Task<List<string>> QuarantinedKeys(PipelineHarness h, Pipeline.Configuration.PipelineConfig config)
    {
        var rows = await h.Table(config, "silver.orders_quarantine").OrderBy("order_id").Select(Col("order_id")).CollectAsync();
        return rows.Select(r => r.Get<string>("order_id")!).ToList();
    }
}
