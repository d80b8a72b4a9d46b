using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Configuration;

/// <summary>Turns the (overridden) YAML tree into a validated <see cref="PipelineConfig"/>.</summary>
internal static partial class PipelineConfigParser
{
    public static PipelineConfig Read(MapReader root, string? fileName)
    {
        var name = Identifier(root, "name", "name the pipeline, e.g. name: demo.");
        var warehouse = PathValue(root, "warehouse", "say where the tables go, e.g. warehouse: ./lakehouse-data.");
        var landing = PathValue(root, "landing", "say where the landing files are, e.g. landing: ./landing.");
        var schedule = root.String("schedule");

        var sourceNodes = root.Sequence("sources");
        if (sourceNodes.Count == 0)
        {
            throw root.Context.Error(root.Node, "sources", "is required and needs at least one source (name, format, path, business_key).");
        }

        var sources = new List<SourceConfig>();
        for (var i = 0; i < sourceNodes.Count; i++)
        {
            var source = ReadSource(new MapReader(root.Context, sourceNodes[i], $"sources[{i}]"), landing);
            if (sources.Any(s => s.Name == source.Name))
            {
                throw root.Context.Error(sourceNodes[i], $"sources[{i}].name", $"the source name '{source.Name}' is used twice; give each source its own name.");
            }

            sources.Add(source);
        }

        var gold = TableCheckParser.ReadGold(root, sources);
        var checks = TableCheckParser.ReadChecks(root, sources, gold);
        root.RejectUnknown();
        return new PipelineConfig
        {
            Name = name,
            Warehouse = warehouse,
            Landing = landing,
            Schedule = schedule,
            Sources = sources,
            Checks = checks,
            Gold = gold,
            SourceFile = fileName,
        };
    }

    /// <summary>A required name usable in table names and Airflow task ids.</summary>
    public static string Identifier(MapReader map, string key, string hint)
    {
        var value = map.RequiredString(key, hint);
        return IdentifierPattern().IsMatch(value)
            ? value
            : throw map.Context.Error(map.Get(key), map.Field(key), $"'{value}' is not a valid name; use letters, digits and underscores only.");
    }

    /// <summary>Combines a root (local directory or storage URI) with a relative path.</summary>
    public static string Combine(string root, string relative)
    {
        if (IsUri(relative) || Path.IsPathRooted(relative))
        {
            return relative;
        }

        return IsUri(root) ? $"{root.TrimEnd('/')}/{relative.TrimStart('/')}" : Path.GetFullPath(Path.Combine(root, relative));
    }

    private static bool IsUri(string path) => path.Contains("://", StringComparison.Ordinal);

    private static string PathValue(MapReader map, string key, string hint)
    {
        var value = map.RequiredString(key, hint);
        return Combine(map.Context.BaseDirectory(map.Get(key)!), value);
    }

    private static SourceConfig ReadSource(MapReader map, string landing)
    {
        var name = Identifier(map, "name", "name the source, e.g. name: orders.");
        map.Path = $"sources.{name}";
        var formatText = map.RequiredString("format", "use one of json, csv, parquet, http.");
        var format = formatText.ToLowerInvariant() switch
        {
            "json" => SourceFormat.Json,
            "csv" => SourceFormat.Csv,
            "parquet" => SourceFormat.Parquet,
            "http" => SourceFormat.Http,
            _ => throw map.Context.Error(map.Get("format"), map.Field("format"), $"'{formatText}' is not a source format; use one of json, csv, parquet, http."),
        };
        var path = map.RequiredString("path", $"give the source's directory under the landing zone, e.g. path: {name}.");
        var businessKey = map.StringList("business_key");
        if (businessKey.Count == 0)
        {
            throw map.Context.Error(map.Node, map.Field("business_key"), "is required: list the columns that identify a record, e.g. business_key: [order_id].");
        }

        var httpMap = map.Map("http");
        if (format == SourceFormat.Http && httpMap is null)
        {
            throw map.Context.Error(map.Node, map.Field("http"), "is required for format http: give at least http.url.");
        }

        if (format != SourceFormat.Http && httpMap is not null)
        {
            throw map.Context.Error(httpMap.Node, map.Field("http"), $"only applies to format http; remove it or set format: http.");
        }

        var scd2 = map.Bool("scd2") ?? false;
        if (scd2 && map.String("sequence") is null)
        {
            throw map.Context.Error(map.Node, map.Field("scd2"),
                "needs a sequence column (its value is each version's valid_from): add e.g. sequence: updated_at, or remove scd2.");
        }

        var source = new SourceConfig
        {
            Name = name,
            Format = format,
            Path = Combine(landing, path),
            Options = map.StringMap("options"),
            Schema = map.String("schema"),
            BusinessKey = businessKey,
            Sequence = map.String("sequence"),
            DeleteFlag = map.String("delete_flag"),
            EventTime = map.String("event_time"),
            Scd2 = scd2,
            Clean = ReadCleaning(map.Map("clean")),
            Expectations = ReadExpectations(map),
            Http = httpMap is null ? null : ReadHttp(httpMap),
        };
        map.RejectUnknown();
        return source;
    }

    private static CleaningConfig ReadCleaning(MapReader? map)
    {
        if (map is null)
        {
            return new CleaningConfig();
        }

        var cast = map.StringMap("cast");
        var castNode = map.Get("cast") as YamlMappingNode;
        foreach (var (column, type) in cast)
        {
            if (!CastType().IsMatch(type))
            {
                var node = castNode?.Children[new YamlScalarNode(column)];
                throw map.Context.Error(
                    node, $"{map.Field("cast")}.{column}",
                    $"'{type}' is not a type silver can cast to; use one of string, int, bigint, smallint, double, float, boolean, date, timestamp, decimal(p,s).");
            }
        }

        var cleaning = new CleaningConfig
        {
            Rename = map.StringMap("rename"),
            Trim = map.StringList("trim"),
            Lower = map.StringList("lower"),
            Cast = cast,
            Defaults = map.StringMap("defaults"),
        };
        map.RejectUnknown();
        return cleaning;
    }

    private static IReadOnlyList<ExpectationConfig> ReadExpectations(MapReader source)
    {
        var result = new List<ExpectationConfig>();
        var nodes = source.Sequence("expectations");
        for (var i = 0; i < nodes.Count; i++)
        {
            var map = new MapReader(source.Context, nodes[i], $"{source.Field("expectations")}[{i}]");
            var name = Identifier(map, "name", "name the rule, e.g. name: amount_not_negative.");
            var condition = map.RequiredString("condition", "give a SQL condition rows must satisfy, e.g. condition: \"amount >= 0\".");
            var actionText = map.String("action") ?? "warn";
            var action = actionText.ToLowerInvariant() switch
            {
                "warn" => ExpectationAction.Warn,
                "drop" => ExpectationAction.Drop,
                "quarantine" => ExpectationAction.Quarantine,
                "fail" => ExpectationAction.Fail,
                _ => throw map.Context.Error(map.Get("action"), map.Field("action"), $"'{actionText}' is not an action; use one of warn, drop, quarantine, fail."),
            };
            if (result.Any(e => e.Name == name))
            {
                throw map.Context.Error(nodes[i], map.Field("name"), $"the rule name '{name}' is used twice in this source; give each rule its own name.");
            }

            map.RejectUnknown();
            result.Add(new ExpectationConfig(name, condition, action));
        }

        return result;
    }

    private static HttpSourceConfig ReadHttp(MapReader map)
    {
        var urlText = map.RequiredString("url", "give the API's URL, e.g. url: https://jsonplaceholder.typicode.com/posts.");
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw map.Context.Error(map.Get("url"), map.Field("url"), $"'{urlText}' is not an absolute http(s) URL; write it as https://host/path.");
        }

        PagingConfig? paging = null;
        if (map.Map("paging") is { } pagingMap)
        {
            paging = new PagingConfig
            {
                PageParam = pagingMap.String("page_param") ?? "_page",
                SizeParam = pagingMap.String("size_param") ?? "_limit",
                Size = pagingMap.Integer("size", 1) ?? 100,
                MaxPages = pagingMap.Integer("max_pages", 1) ?? 100,
            };
            pagingMap.RejectUnknown();
        }

        var http = new HttpSourceConfig
        {
            Url = url,
            Paging = paging,
            RateLimitPerSecond = map.Number("rate_limit_per_second", 0.001) ?? 5,
            Retries = map.Integer("retries", 0) ?? 5,
            TimeoutSeconds = map.Number("timeout_seconds", 0.001) ?? 30,
            Headers = map.StringMap("headers"),
        };
        map.RejectUnknown();
        return http;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^(?i)(string|int|integer|bigint|long|smallint|short|tinyint|byte|double|float|real|boolean|bool|date|timestamp|timestamp_ntz|decimal(\(\s*\d+\s*(,\s*\d+\s*)?\))?)$")]
    private static partial Regex CastType();
}
