using System.Text.Json.Nodes;
using Lakehouse.Pipeline.Demo;

namespace Lakehouse.Deploy.Tests;

/// <summary>The DAG against the real <c>lakehouse plan --json</c> output for the demo pipeline, not only against fixtures.</summary>
public sealed class RealPlanTests : IDisposable
{
    private readonly TempDirectory _dir = new("real-plan");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DagTests_WithTheDemoPipelinesPlan_AllPass()
    {
        var pipelineFile = _dir.Combine("lakehouse.yaml");
        File.WriteAllText(pipelineFile, DemoData.PipelineFile);
        var plan = ProcessRun.Run(
            Path.Combine(BuiltExecutables.CliDirectory, "lakehouse"),
            ["plan", "--config", pipelineFile, "--json"],
            new Dictionary<string, string?> { [BuiltExecutables.DotnetRoot.Key] = BuiltExecutables.DotnetRoot.Value });
        Assert.True(plan.ExitCode == 0, plan.ToString());
        var tasks = JsonNode.Parse(plan.Stdout)!["tasks"]!.AsArray();
        Assert.Contains(tasks, t => (string?)t!["job"] == "gold");
        var planFile = _dir.Combine("lakehouse_plan.json");
        File.WriteAllText(planFile, plan.Stdout);

        var result = ProcessRun.Run(
            "python3",
            ["-m", "unittest", "discover", "-s", "airflow/tests"],
            new Dictionary<string, string?>
            {
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["LAKEHOUSE_TEST_REAL_PLAN"] = planFile,
            });

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
