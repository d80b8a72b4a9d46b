namespace Lakehouse.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_WithMetricsFile_WritesEachTasksMetricsToAFileOfItsOwn()
    {
        using var dir = new TempDirectory("run");
        Directory.CreateDirectory(dir.Combine("landing", "orders"));
        File.WriteAllText(dir.Combine("landing", "orders", "b1.json"), "{\"order_id\":\"1\",\"amount\":\"5\"}\n{\"order_id\":\"2\",\"amount\":\"7\"}\n");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), """
            name: t
            warehouse: ./warehouse
            landing: ./landing
            sources:
              - { name: orders, format: json, path: orders, business_key: [order_id] }
            """);

        var run = CliRun.Of("run", "--config", dir.Combine("lakehouse.yaml"), "--metrics-file", dir.Combine("metrics.prom"), "--log-file", dir.Combine("run.log"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // One file per task of the graph (bronze, silver, silver quality), each with that task's success metric.
        foreach (var task in new[] { "bronze_orders", "silver_orders", "quality_silver_orders" })
        {
            var text = File.ReadAllText(dir.Combine($"metrics.{task}.prom"));
            Assert.Contains("lakehouse_job_last_success_timestamp_seconds", text, StringComparison.Ordinal);
        }

        Assert.Contains("job=\"bronze\"", File.ReadAllText(dir.Combine("metrics.bronze_orders.prom")), StringComparison.Ordinal);
    }
}
