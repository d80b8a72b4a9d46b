using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lakehouse.Pipeline.Observability;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Tests.Observability;

[Collection("monitoring")]
public sealed partial class DeployFilesTests(MonitoringStack stack)
{
    [MonitoringFact]
    public async Task PromtoolCheckConfig_DeployConfig_Passes()
    {
        var (code, output) = await ToolProcess.RunAsync(MonitoringTools.Promtool, MonitoringTools.Deploy("prometheus"), "check", "config", "prometheus.yml");

        Assert.True(code == 0, output);
    }

    [MonitoringFact]
    public async Task PromtoolCheckRules_AlertRules_Pass()
    {
        var (code, output) = await ToolProcess.RunAsync(MonitoringTools.Promtool, MonitoringTools.Deploy("prometheus"), "check", "rules", "alerts.yml");

        Assert.True(code == 0, output);
    }

    [MonitoringFact]
    public async Task PromtoolTestRules_AlertUnitTests_Pass()
    {
        // alerts.test.yml: among others, a bronze job that stops succeeding after its 8h run fires
        // LakehouseJobNotSucceeded after 9 more hours (17h05m) and not at 17h, while a job that keeps succeeding never does.
        var (code, output) = await ToolProcess.RunAsync(MonitoringTools.Promtool, MonitoringTools.Deploy("prometheus"), "test", "rules", "alerts.test.yml");

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [MonitoringFact]
    public async Task Expressions_EveryRuleAndDashboardQuery_ReturnsDataFromPublishedRuns()
    {
        var source = SampleReports.UniqueSource("expr");
        var model = SampleReports.UniqueSource("exprmodel");
        using var log = new LogCapture();
        var options = new MetricsPublishOptions { PushgatewayUrl = stack.PushgatewayUrl };
        Assert.True(await MetricsPublisher.PublishAsync(SampleReports.Silver(source, SampleReports.WholeSecondsAgo(30)), options, log.Logger, CancellationToken.None));
        Assert.True(await MetricsPublisher.PublishAsync(SampleReports.QualityGate(source, SampleReports.WholeSecondsAgo(20)), options, log.Logger, CancellationToken.None));
        Assert.True(await MetricsPublisher.PublishAsync(SampleReports.FailedGold(model, SampleReports.WholeSecondsAgo(10)), options, log.Logger, CancellationToken.None));
        await stack.WaitForAsync($"lakehouse_job_failed{{source=\"{model}\"}}", r => r.Count > 0);

        var expressions = PromQlExpressions.Rules().Select(r => (r.Origin, Expr: PromQlExpressions.WithBoolComparisons(r.Expr)))
            .Concat(PromQlExpressions.DashboardFiles().SelectMany(PromQlExpressions.Dashboard)
                .Select(d => (d.Origin, Expr: PromQlExpressions.WithGrafanaVariables(d.Expr))))
            .ToList();
        var empty = new List<string>();
        foreach (var (origin, expr) in expressions)
        {
            if ((await stack.WaitForAsync(expr, r => r.Count > 0)).Count == 0)
            {
                empty.Add($"{origin}: {expr}");
            }
        }

        Assert.True(expressions.Count > 30, $"only {expressions.Count} expressions found in deploy/");
        Assert.True(empty.Count == 0, "No data for:\n" + string.Join("\n", empty));
    }

    [MonitoringFact]
    public async Task AlertRules_LoadedInPrometheus_EvaluateWithoutErrorsAndFireOnFailedRuns()
    {
        var source = SampleReports.UniqueSource("alert");
        using var log = new LogCapture();
        var options = new MetricsPublishOptions { PushgatewayUrl = stack.PushgatewayUrl };
        Assert.True(await MetricsPublisher.PublishAsync(SampleReports.QualityGate(source, SampleReports.WholeSecondsAgo(5)), options, log.Logger, CancellationToken.None));

        var firing = await WaitForAlertAsync("LakehouseCriticalQualityCheckFailed", source);

        Assert.NotNull(firing);
        Assert.Equal("order_id_unique", (string?)firing!["labels"]!["check"]);
        Assert.Equal($"silver.{source}", (string?)firing["labels"]!["table"]);
        var rules = (await stack.ApiAsync("api/v1/rules"))["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).ToList();
        Assert.Equal(PromQlExpressions.Rules().Count, rules.Count);
        Assert.All(rules, r => Assert.True((string?)r!["health"] != "err", $"{r["name"]}: {r["lastError"]}"));
    }

    [Fact]
    public void Dashboards_EveryQuery_UsesTheProvisionedDatasourceAndTheJobAndSourceVariables()
    {
        var datasources = Yaml(MonitoringTools.Deploy("grafana", "provisioning", "datasources", "prometheus.yml"));
        var uid = ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)datasources["datasources"])[0])["uid"]).Value;
        var files = PromQlExpressions.DashboardFiles().ToList();
        Assert.Equal(["data-quality.json", "data-volumes.json", "freshness.json", "pipeline-health.json"], files.Select(Path.GetFileName));

        foreach (var file in files)
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            var variables = dashboard["templating"]!["list"]!.AsArray().Select(v => (string?)v!["name"]).ToList();
            Assert.Equal(["job", "source"], variables);
            foreach (var panel in dashboard["panels"]!.AsArray())
            {
                Assert.Equal(uid, (string?)panel!["datasource"]!["uid"]);
                Assert.All(panel["targets"]!.AsArray(), t => Assert.Equal(uid, (string?)t!["datasource"]!["uid"]));
            }

            foreach (var (origin, expr) in PromQlExpressions.Dashboard(file).Where(e => !e.Origin.Contains(" variable ", StringComparison.Ordinal)))
            {
                foreach (Match selector in MetricSelector().Matches(expr))
                {
                    Assert.True(selector.Value.Contains("job=~\"$job\"", StringComparison.Ordinal) && selector.Value.Contains("source=~\"$source\"", StringComparison.Ordinal),
                        $"{origin}: {selector.Value} does not filter by $job and $source");
                }
            }
        }
    }

    [Fact]
    public void DashboardProvider_PointsAtAFolderOfJsonFiles()
    {
        var providers = Yaml(MonitoringTools.Deploy("grafana", "provisioning", "dashboards", "lakehouse.yml"));
        var provider = (YamlMappingNode)((YamlSequenceNode)providers["providers"])[0];

        Assert.Equal("file", ((YamlScalarNode)provider["type"]).Value);
        Assert.StartsWith("/", ((YamlScalarNode)((YamlMappingNode)provider["options"])["path"]).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void WithBoolComparisons_ComparisonsOutsideSelectors_GetBool()
    {
        Assert.Equal("a{x=\"1\",y!=\"2\"} > bool 3 * b[7d] and c == bool 0",
            PromQlExpressions.WithBoolComparisons("a{x=\"1\",y!=\"2\"} > 3 * b[7d] and c == 0"));
        Assert.Equal("a >= bool 1 and b != bool 2 and c < bool 1", PromQlExpressions.WithBoolComparisons("a >= 1 and b != 2 and c < bool 1"));
    }

    private static YamlMappingNode Yaml(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private async Task<JsonNode?> WaitForAlertAsync(string name, string source)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var alerts = (await stack.ApiAsync("api/v1/alerts"))["alerts"]!.AsArray();
            var match = alerts.FirstOrDefault(a => (string?)a!["labels"]!["alertname"] == name && (string?)a["labels"]!["source"] == source
                && (string?)a["state"] == "firing");
            if (match is not null || DateTime.UtcNow > deadline)
            {
                return match;
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"lakehouse_[a-z_]+(\{[^}]*\})?")]
    private static partial Regex MetricSelector();
}
