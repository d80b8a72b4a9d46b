using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Configuration;

/// <summary>Reads the <c>gold</c> and <c>checks</c> sections; every table they name must be one the pipeline
/// produces, so the task graph can order them.</summary>
internal static class TableCheckParser
{
    public static IReadOnlyList<GoldModelConfig> ReadGold(MapReader root, IReadOnlyList<SourceConfig> sources)
    {
        var nodes = root.Sequence("gold");
        var models = new List<GoldModelConfig>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var map = new MapReader(root.Context, nodes[i], $"gold[{i}]");
            var name = PipelineConfigParser.Identifier(map, "name", "name the model, e.g. name: daily_revenue.");
            map.Path = $"gold.{name}";
            if (models.Any(m => m.Name == name))
            {
                throw map.Context.Error(nodes[i], map.Field("name"), $"the model name '{name}' is used twice; give each model its own name.");
            }

            var inputs = map.StringList("inputs");
            if (inputs.Count == 0)
            {
                throw map.Context.Error(nodes[i], map.Field("inputs"), "is required: list the tables the model reads, e.g. inputs: [silver.orders].");
            }

            foreach (var input in inputs)
            {
                var known = sources.Any(s => s.SilverTable == input) || models.Any(m => m.Table == input);
                if (!known)
                {
                    throw map.Context.Error(
                        map.Get("inputs"), map.Field("inputs"),
                        $"'{input}' is not produced by this pipeline; use silver.<source> of a source above or gold.<model> of an earlier model.");
                }
            }

            map.RejectUnknown();
            models.Add(new GoldModelConfig(name, inputs));
        }

        return models;
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<TableCheckConfig>> ReadChecks(
        MapReader root, IReadOnlyList<SourceConfig> sources, IReadOnlyList<GoldModelConfig> gold)
    {
        var result = new Dictionary<string, IReadOnlyList<TableCheckConfig>>(StringComparer.Ordinal);
        var map = root.Map("checks");
        if (map is null)
        {
            return result;
        }

        var tables = sources.Select(s => s.SilverTable).Concat(sources.Select(s => s.BronzeTable)).Concat(gold.Select(g => g.Table)).ToHashSet();
        foreach (var (keyNode, _) in map.Node.Children)
        {
            var table = map.Scalar(keyNode, "checks.<table>");
            if (!tables.Contains(table))
            {
                throw map.Context.Error(
                    keyNode, $"checks.{table}", "is not a table this pipeline produces; use bronze.<source>, silver.<source> or gold.<model>.");
            }

            var checks = new List<TableCheckConfig>();
            var nodes = map.Sequence(table);
            for (var i = 0; i < nodes.Count; i++)
            {
                var check = ReadCheck(new MapReader(root.Context, nodes[i], $"checks.{table}[{i}]"), tables);
                if (checks.Any(c => c.Name == check.Name))
                {
                    throw map.Context.Error(nodes[i], $"checks.{table}[{i}].name", $"the check name '{check.Name}' is used twice for {table}; give each check its own name.");
                }

                checks.Add(check);
            }

            result[table] = checks;
        }

        return result;
    }

    private static TableCheckConfig ReadCheck(MapReader map, IReadOnlySet<string> tables)
    {
        var name = PipelineConfigParser.Identifier(map, "name", "name the check, e.g. name: order_id_not_null.");
        var typeText = map.RequiredString("type", $"use one of {TypeNames}.");
        var type = typeText switch
        {
            "not_null" => TableCheckType.NotNull,
            "unique" => TableCheckType.Unique,
            "accepted_values" => TableCheckType.AcceptedValues,
            "range" => TableCheckType.Range,
            "relationship" => TableCheckType.Relationship,
            "freshness" => TableCheckType.Freshness,
            "row_count_change" => TableCheckType.RowCountChange,
            _ => throw map.Context.Error(map.Get("type"), map.Field("type"), $"'{typeText}' is not a check type; use one of {TypeNames}."),
        };
        var severityText = map.String("severity") ?? "critical";
        var severity = severityText.ToLowerInvariant() switch
        {
            "critical" => CheckSeverity.Critical,
            "warning" => CheckSeverity.Warning,
            _ => throw map.Context.Error(map.Get("severity"), map.Field("severity"), $"'{severityText}' is not a severity; use critical or warning."),
        };
        var check = new TableCheckConfig
        {
            Name = name,
            Type = type,
            Columns = map.StringList("columns"),
            Column = map.String("column"),
            Values = map.StringList("values"),
            Min = map.Number("min"),
            Max = map.Number("max"),
            To = map.String("to"),
            ToColumn = map.String("to_column"),
            MaxAgeHours = map.Number("max_age_hours", 0),
            MaxChangePercent = map.Number("max_change_percent", 0),
            Severity = severity,
        };
        map.RejectUnknown();

        void Require(bool present, string field, string hint)
        {
            if (!present)
            {
                throw map.Context.Error(map.Node, map.Field(field), $"is required for a {typeText} check; {hint}");
            }
        }

        switch (type)
        {
            case TableCheckType.NotNull or TableCheckType.Unique:
                Require(check.Columns.Count > 0, "columns", "list the columns, e.g. columns: [order_id].");
                break;
            case TableCheckType.AcceptedValues:
                Require(check.Column is not null, "column", "name the column.");
                Require(check.Values.Count > 0, "values", "list the accepted values, e.g. values: [a, b].");
                break;
            case TableCheckType.Range:
                Require(check.Column is not null, "column", "name the column.");
                Require(check.Min is not null || check.Max is not null, "min", "give min, max or both.");
                break;
            case TableCheckType.Relationship:
                Require(check.Column is not null, "column", "name the column.");
                Require(check.To is not null, "to", "name the referenced table, e.g. to: silver.customers.");
                Require(check.ToColumn is not null, "to_column", "name the referenced column.");
                if (!tables.Contains(check.To!))
                {
                    throw map.Context.Error(map.Get("to"), map.Field("to"), $"'{check.To}' is not a table this pipeline produces; use silver.<source> of a source above.");
                }

                break;
            case TableCheckType.Freshness:
                Require(check.Column is not null, "column", "name the timestamp column.");
                Require(check.MaxAgeHours is not null, "max_age_hours", "give the largest accepted age in hours.");
                break;
            case TableCheckType.RowCountChange:
                Require(check.MaxChangePercent is not null, "max_change_percent", "give the largest accepted change in percent.");
                break;
        }

        return check;
    }

    private const string TypeNames = "not_null, unique, accepted_values, range, relationship, freshness, row_count_change";
}
