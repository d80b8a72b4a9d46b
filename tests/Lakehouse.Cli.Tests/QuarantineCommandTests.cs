namespace Lakehouse.Cli.Tests;

public sealed class QuarantineCommandTests
{
    private const string Pipeline = """
        name: t
        warehouse: ./warehouse
        landing: ./landing
        sources:
          - name: orders
            format: json
            path: orders
            business_key: [order_id]
            clean: { cast: { amount: int } }
            expectations:
              - { name: amount_positive, condition: "amount > 0", action: quarantine }
        """;

    [Fact]
    public void Replay_AfterTheRuleIsFixed_MovesTheRowFromQuarantineToSilver()
    {
        using var dir = new TempDirectory("replay");
        Directory.CreateDirectory(dir.Combine("landing", "orders"));
        File.WriteAllText(dir.Combine("landing", "orders", "b1.json"), "{\"order_id\":\"1\",\"amount\":\"5\"}\n{\"order_id\":\"2\",\"amount\":\"0\"}\n");
        var config = dir.Combine("lakehouse.yaml");
        File.WriteAllText(config, Pipeline);
        var run = CliRun.Of("run", "--config", config, "--log-file", dir.Combine("run.log"));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        File.WriteAllText(config, Pipeline.Replace("amount > 0", "amount >= 0", StringComparison.Ordinal));

        var replay = CliRun.Of("quarantine", "replay", "orders", "--config", config, "--metrics-file", dir.Combine("replay.prom"));

        Assert.True(replay.ExitCode == 0, replay.Output + replay.Error);
        Assert.Contains("job=\"replay\"", File.ReadAllText(dir.Combine("replay.prom")), StringComparison.Ordinal);
        var silver = CliRun.Of("table", "show", dir.Combine("warehouse", "silver", "orders"), "--json");
        var quarantine = CliRun.Of("table", "show", dir.Combine("warehouse", "silver", "orders_quarantine"), "--json");
        Assert.True(silver.ExitCode == 0 && quarantine.ExitCode == 0, silver.Error + quarantine.Error);
        Assert.Contains("\"2\"", silver.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"2\"", quarantine.Output, StringComparison.Ordinal);
    }
}
