using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>Every PromQL expression of deploy/: the alert rules' and the Grafana dashboards' (targets and variables).</summary>
internal static partial class PromQlExpressions
{
    public static IReadOnlyList<(string Origin, string Expr)> Rules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(MonitoringTools.Deploy("prometheus", "alerts.yml")))
        {
            yaml.Load(reader);
        }

        var result = new List<(string, string)>();
        foreach (var group in (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"])
        {
            foreach (var rule in (YamlSequenceNode)((YamlMappingNode)group)["rules"])
            {
                var map = (YamlMappingNode)rule;
                result.Add(($"alerts.yml {map["alert"]}", ((YamlScalarNode)map["expr"]).Value!.Trim()));
            }
        }

        return result;
    }

    public static IEnumerable<string> DashboardFiles() =>
        Directory.GetFiles(MonitoringTools.Deploy("grafana", "dashboards"), "*.json").Order();

    /// <summary>The expressions of a dashboard's panels, and the metric selector of each <c>label_values</c> variable.</summary>
    public static IReadOnlyList<(string Origin, string Expr)> Dashboard(string file)
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
        var name = Path.GetFileName(file);
        var result = new List<(string, string)>();
        foreach (var panel in Panels(dashboard["panels"]!.AsArray()))
        {
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                result.Add(($"{name} panel '{panel["title"]}' {target!["refId"]}", (string)target["expr"]!));
            }
        }

        foreach (var variable in dashboard["templating"]!["list"]!.AsArray())
        {
            var query = (string?)variable!["query"]?["query"] ?? (string?)variable["query"];
            var match = query is null ? null : LabelValues().Match(query);
            if (match is { Success: true })
            {
                result.Add(($"{name} variable {variable["name"]}", match.Groups["selector"].Value));
            }
        }

        return result;
    }

    /// <summary>An expression as Grafana sends it when every variable is "All" and the range is the last hour.</summary>
    public static string WithGrafanaVariables(string expr) => expr
        .Replace("${job}", ".*").Replace("$job", ".*")
        .Replace("${source}", ".*").Replace("$source", ".*")
        .Replace("$__rate_interval", "1m").Replace("$__interval", "15s").Replace("$__range", "1h");

    /// <summary>
    /// An alert expression with <c>bool</c> after each comparison, so it returns every series it compares, firing or
    /// not: data back means each selector matches series and the operands' labels line up.
    /// </summary>
    public static string WithBoolComparisons(string expr)
    {
        var result = new StringBuilder();
        var depth = 0;
        char? quote = null;
        for (var i = 0; i < expr.Length; i++)
        {
            var c = expr[i];
            result.Append(c);
            if (quote is not null)
            {
                quote = c == quote && expr[i - 1] != '\\' ? null : quote;
                continue;
            }

            switch (c)
            {
                case '"' or '\'' or '`':
                    quote = c;
                    continue;
                case '{' or '[':
                    depth++;
                    continue;
                case '}' or ']':
                    depth--;
                    continue;
            }

            if (depth > 0 || c is not ('>' or '<' or '=' or '!'))
            {
                continue;
            }

            var next = i + 1 < expr.Length ? expr[i + 1] : ' ';
            var comparison = c is '>' or '<' ? true : next == '=';
            if (!comparison)
            {
                continue;
            }

            if (next == '=')
            {
                result.Append(next);
                i++;
            }

            if (!expr[(i + 1)..].TrimStart().StartsWith("bool", StringComparison.Ordinal))
            {
                result.Append(" bool");
            }
        }

        return result.ToString();
    }

    private static IEnumerable<JsonNode> Panels(JsonArray panels)
    {
        foreach (var panel in panels)
        {
            yield return panel!;
            foreach (var inner in Panels(panel!["panels"]?.AsArray() ?? []))
            {
                yield return inner;
            }
        }
    }

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*\w+\)$")]
    private static partial Regex LabelValues();
}
