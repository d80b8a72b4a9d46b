using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Configuration;

/// <summary>
/// Applies <c>--set key=value</c> overrides to the parsed YAML before it is validated, so an override is checked
/// exactly like the file. The key is a dotted path: mapping keys by name (<c>warehouse</c>,
/// <c>checks.silver.orders</c>: the longest key that matches wins, so table names with dots work), list items by
/// their <c>name</c> (<c>sources.orders.path</c>) or by index. The value is read as YAML, so lists work too
/// (<c>--set sources.orders.business_key=[id]</c>).
/// </summary>
internal static class ConfigOverrides
{
    public static void Apply(YamlMappingNode root, IEnumerable<string> overrides, YamlContext context)
    {
        foreach (var item in overrides)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new PipelineConfigException(
                    "--set", null, item, "expected key=value, e.g. --set warehouse=/data/lakehouse or --set sources.orders.path=orders.");
            }

            var key = item[..equals].Trim();
            var value = ParseValue(item[(equals + 1)..], key);
            context.MarkOverride(value, key);
            Set(root, key.Split('.'), value, key);
        }
    }

    private static YamlNode ParseValue(string text, string key)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PipelineConfigException($"--set {key}", null, key, $"the value is not valid YAML ({e.Message}); quote it.");
        }

        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }

    private static void Set(YamlNode node, string[] segments, YamlNode value, string key)
    {
        var i = 0;
        while (true)
        {
            switch (node)
            {
                case YamlMappingNode map:
                {
                    var (existing, used) = LongestKey(map, segments, i);
                    if (existing is null)
                    {
                        // A key the file does not have: create it (and the mappings above it).
                        used = 1;
                        existing = new YamlScalarNode(segments[i]);
                        map.Children[existing] = i + 1 == segments.Length ? value : new YamlMappingNode();
                    }

                    i += used;
                    if (i == segments.Length)
                    {
                        map.Children[existing] = value;
                        return;
                    }

                    node = map.Children[existing];
                    break;
                }

                case YamlSequenceNode list:
                {
                    var index = FindItem(list, segments[i]);
                    if (index < 0)
                    {
                        throw new PipelineConfigException(
                            $"--set {key}", null, key,
                            $"no item named '{segments[i]}' in {string.Join('.', segments[..i])}; use an existing name or a 0-based index.");
                    }

                    i++;
                    if (i == segments.Length)
                    {
                        list.Children[index] = value;
                        return;
                    }

                    node = list.Children[index];
                    break;
                }

                default:
                    throw new PipelineConfigException(
                        $"--set {key}", null, key, $"{string.Join('.', segments[..i])} is a single value, so it has no field '{segments[i]}'.");
            }
        }
    }

    private static (YamlScalarNode? Key, int Used) LongestKey(YamlMappingNode map, string[] segments, int start)
    {
        for (var end = segments.Length; end > start; end--)
        {
            var candidate = new YamlScalarNode(string.Join('.', segments[start..end]));
            if (map.Children.ContainsKey(candidate))
            {
                return (candidate, end - start);
            }
        }

        return (null, 0);
    }

    private static int FindItem(YamlSequenceNode list, string segment)
    {
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlMappingNode item
                && item.Children.TryGetValue(new YamlScalarNode("name"), out var name)
                && (name as YamlScalarNode)?.Value == segment)
            {
                return i;
            }
        }

        return int.TryParse(segment, out var index) && index >= 0 && index < list.Children.Count ? index : -1;
    }
}
