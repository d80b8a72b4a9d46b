using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Pipeline.Configuration;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>
/// The task graph of a pipeline (docs/pipeline-jobs.md): per source bronze → silver → quality of the silver table, which
/// also waits for the silver tasks of the tables its relationship checks point to; per gold model the model after the quality tasks of its inputs, then its own quality task. Tasks are listed in
/// a topological order (a gold model only reads tables produced before it).
/// </summary>
public static class PipelinePlan
{
    /// <summary>The tasks of <paramref name="config"/>, in topological order.</summary>
    public static IReadOnlyList<PipelineTask> Tasks(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tasks = new List<PipelineTask>();
        var qualityOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var silverOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in config.Sources)
        {
            var bronze = $"bronze_{source.Name}";
            var silver = $"silver_{source.Name}";
            tasks.Add(new PipelineTask(bronze, JobKind.Bronze, "bronze", source.Name, source.BronzeTable, ["--source", source.Name], []));
            tasks.Add(new PipelineTask(silver, JobKind.Silver, "silver", source.Name, source.SilverTable, ["--source", source.Name], [bronze]));
            silverOf[source.SilverTable] = silver;
        }

        foreach (var source in config.Sources)
        {
            // A relationship check reads the table it points to: that table's silver task comes first too.
            var references = config.Checks.GetValueOrDefault(source.SilverTable, [])
                .Where(c => c.Type == TableCheckType.Relationship && c.To != source.SilverTable && c.To is not null && silverOf.ContainsKey(c.To))
                .Select(c => silverOf[c.To!]);
            var quality = $"quality_silver_{source.Name}";
            tasks.Add(new PipelineTask(quality, JobKind.Quality, "silver", source.Name, source.SilverTable, ["--table", source.SilverTable],
                [.. new[] { silverOf[source.SilverTable] }.Concat(references).Distinct()]));
            qualityOf[source.SilverTable] = quality;
        }

        foreach (var model in config.Gold)
        {
            var gold = $"gold_{model.Name}";
            var quality = $"quality_gold_{model.Name}";
            tasks.Add(new PipelineTask(gold, JobKind.Gold, "gold", null, model.Table, ["--model", model.Name], [.. model.Inputs.Select(i => qualityOf[i]).Distinct()]));
            tasks.Add(new PipelineTask(quality, JobKind.Quality, "gold", null, model.Table, ["--table", model.Table], [gold]));
            qualityOf[model.Table] = quality;
        }

        return tasks;
    }

    /// <summary>The graph as the JSON object <c>lakehouse plan --json</c> prints.</summary>
    public static string ToJson(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tasks = new JsonArray();
        foreach (var t in Tasks(config))
        {
            tasks.Add(new JsonObject
            {
                ["id"] = t.Id,
                ["job"] = t.Job,
                ["layer"] = t.Layer,
                ["source"] = t.Source,
                ["table"] = t.Table,
                ["args"] = new JsonArray([.. t.Args.Select(a => (JsonNode?)JsonValue.Create(a))]),
                ["upstream"] = new JsonArray([.. t.Upstream.Select(a => (JsonNode?)JsonValue.Create(a))]),
            });
        }

        var root = new JsonObject
        {
            ["pipeline"] = config.Name,
            ["schedule"] = config.Schedule,
            ["tasks"] = tasks,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
