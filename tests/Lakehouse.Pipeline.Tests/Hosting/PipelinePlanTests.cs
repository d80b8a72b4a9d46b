using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Pipeline.Tests.Hosting;

public sealed class PipelinePlanTests
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
    public void ToJson_ContractExample_HasExactlyTheDocumentedShape()
    {
        var config = PipelineConfigLoader.Parse(Yaml, Path.GetTempPath());

        using var json = JsonDocument.Parse(PipelinePlan.ToJson(config));

        // docs/pipeline-jobs.md, Task graph: the example for this pipeline, field by field.
        var expected = JsonDocument.Parse("""
            {
              "pipeline": "demo",
              "schedule": "0 */4 * * *",
              "tasks": [
                { "id": "bronze_orders",   "job": "bronze",  "layer": "bronze", "source": "orders", "table": "bronze.orders",
                  "args": ["--source", "orders"], "upstream": [] },
                { "id": "silver_orders",   "job": "silver",  "layer": "silver", "source": "orders", "table": "silver.orders",
                  "args": ["--source", "orders"], "upstream": ["bronze_orders"] },
                { "id": "quality_silver_orders", "job": "quality", "layer": "silver", "source": "orders", "table": "silver.orders",
                  "args": ["--table", "silver.orders"], "upstream": ["silver_orders"] },
                { "id": "gold_daily_revenue", "job": "gold", "layer": "gold", "source": null, "table": "gold.daily_revenue",
                  "args": ["--model", "daily_revenue"], "upstream": ["quality_silver_orders"] },
                { "id": "quality_gold_daily_revenue", "job": "quality", "layer": "gold", "source": null,
                  "table": "gold.daily_revenue", "args": ["--table", "gold.daily_revenue"], "upstream": ["gold_daily_revenue"] }
              ]
            }
            """);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, json.RootElement), PipelinePlan.ToJson(config));
    }

    [Fact]
    public void Tasks_DemoPipeline_AreTopologicalWithValidIds()
    {
        var config = PipelineConfigLoader.Parse(DemoData.PipelineFile, Path.GetTempPath());

        var tasks = PipelinePlan.Tasks(config);

        var seen = new HashSet<string>();
        foreach (var task in tasks)
        {
            Assert.Matches("^[A-Za-z0-9_]+$", task.Id);
            Assert.All(task.Upstream, u => Assert.Contains(u, seen));
            Assert.True(seen.Add(task.Id));
        }

        Assert.Equal(["quality_silver_orders", "quality_silver_customers"], tasks.Single(t => t.Id == "gold_customer_360").Upstream);
    }
}
