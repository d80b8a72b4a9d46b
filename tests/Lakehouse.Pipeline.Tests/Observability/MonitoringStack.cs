using System.Globalization;
using System.Text.Json.Nodes;

namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>
/// A real Pushgateway and a real Prometheus that scrapes it every second and evaluates deploy/prometheus/alerts.yml,
/// on free loopback ports with storage in a temp dir; shared by the tests of the "monitoring" collection, which
/// keep apart by using sources of their own.
/// </summary>
public sealed class MonitoringStack : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private readonly TempDirectory dir = new("monitoring");
    private readonly ToolProcess? pushgateway;
    private readonly ToolProcess? prometheus;
    private readonly HttpClient http = new();

    public MonitoringStack()
    {
        if (!MonitoringTools.Installed)
        {
            if (MonitoringTools.InCi)
            {
                throw new InvalidOperationException(MonitoringTools.MissingMessage + "; CI=true, so the tests fail instead of skipping.");
            }

            return;
        }

        var pushPort = ToolProcess.FreePort();
        PushgatewayUrl = new Uri($"http://127.0.0.1:{pushPort}");
        pushgateway = ToolProcess.Start(MonitoringTools.Pushgateway, $"--web.listen-address=127.0.0.1:{pushPort}");

        File.Copy(MonitoringTools.Deploy("prometheus", "alerts.yml"), dir.Combine("alerts.yml"));
        File.WriteAllText(dir.Combine("prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - alerts.yml
            scrape_configs:
              - job_name: pushgateway
                honor_labels: true
                static_configs:
                  - targets: ["127.0.0.1:{pushPort}"]
            """);
        var promPort = ToolProcess.FreePort();
        PrometheusUrl = new Uri($"http://127.0.0.1:{promPort}");
        prometheus = ToolProcess.Start(MonitoringTools.Prometheus,
            $"--config.file={dir.Combine("prometheus.yml")}",
            $"--storage.tsdb.path={dir.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{promPort}");

        WaitReady(pushgateway, new Uri(PushgatewayUrl, "-/ready"));
        WaitReady(prometheus, new Uri(PrometheusUrl, "-/ready"));
    }

    public Uri PushgatewayUrl { get; } = new("http://127.0.0.1:1");

    public Uri PrometheusUrl { get; } = new("http://127.0.0.1:1");

    /// <summary>The result vector of an instant query (<c>/api/v1/query</c>); throws with Prometheus' error otherwise.</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        var url = new Uri(PrometheusUrl, "api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var response = await http.GetAsync(url);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if ((string?)body["status"] != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected {promql}: {body["errorType"]}: {body["error"]}");
        }

        var data = body["data"]!;
        return (string?)data["resultType"] switch
        {
            "vector" or "matrix" => data["result"]!.AsArray(),
            // A scalar or string result is one value.
            _ => new JsonArray(new JsonObject { ["value"] = data["result"]!.DeepClone() }),
        };
    }

    /// <summary>Queries until <paramref name="done"/> holds for the result (scrapes arrive every second), at most a
    /// minute; returns the last result either way, for the test's assertions to explain.</summary>
    public async Task<JsonArray> WaitForAsync(string promql, Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            var result = await QueryAsync(promql);
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>GETs a path of the Prometheus HTTP API and returns its <c>data</c>.</summary>
    public async Task<JsonNode> ApiAsync(string path)
    {
        var body = JsonNode.Parse(await http.GetStringAsync(new Uri(PrometheusUrl, path)))!;
        return body["data"]!;
    }

    /// <summary>The value of a sample of a query result.</summary>
    public static double Value(JsonNode? sample) =>
        double.Parse((string)sample!["value"]![1]!, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A label of a sample of a query result, or null.</summary>
    public static string? Label(JsonNode? sample, string name) => (string?)sample!["metric"]?[name];

    public void Dispose()
    {
        prometheus?.Dispose();
        pushgateway?.Dispose();
        http.Dispose();
        dir.Dispose();
    }

    private void WaitReady(ToolProcess tool, Uri ready)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (DateTime.UtcNow < deadline && !tool.HasExited)
        {
            try
            {
                using var response = http.GetAsync(ready).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException($"{ready} did not become ready:\n{tool.Output}");
    }
}

[CollectionDefinition("monitoring")]
public sealed class MonitoringCollection : ICollectionFixture<MonitoringStack>;
