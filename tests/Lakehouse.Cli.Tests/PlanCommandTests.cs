using System.Text.Json;

namespace Lakehouse.Cli.Tests;

public sealed class PlanCommandTests
{
    private const string Yaml = """
        name: demo
        warehouse: w
        landing: l
        schedule: "0 */4 * * *"
        sources:
          - { name: orders, format: json, path: orders, business_key: [order_id] }
        gold:
          - { name: daily_revenue, inputs: [silver.orders] }
        """;

    [Fact]
    public void Plan_Json_PrintsTheTaskGraph()
    {
        using var dir = new TempDirectory("plan");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), Yaml);

        var run = CliRun.Of("plan", "--config", dir.Combine("lakehouse.yaml"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("demo", json.RootElement.GetProperty("pipeline").GetString());
        Assert.Equal(
            ["bronze_orders", "silver_orders", "quality_silver_orders", "gold_daily_revenue", "quality_gold_daily_revenue"],
            json.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public void Plan_BadPipelineFile_ExitsWithBadInputNamingTheField()
    {
        using var dir = new TempDirectory("plan");
        File.WriteAllText(dir.Combine("lakehouse.yaml"), Yaml.Replace("format: json", "format: xml", StringComparison.Ordinal));

        var run = CliRun.Of("plan", "--config", dir.Combine("lakehouse.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("sources.orders.format", run.Error);
    }
}
