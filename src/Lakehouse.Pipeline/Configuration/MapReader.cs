using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Configuration;

/// <summary>Reads the fields of one YAML mapping with located errors, and rejects fields it was not asked for
/// (a misspelt key is an error, not a silently ignored setting).</summary>
internal sealed class MapReader
{
    private readonly YamlContext _context;
    private readonly HashSet<string> _read = [];

    public MapReader(YamlContext context, YamlNode node, string path)
    {
        _context = context;
        Path = path;
        Node = node as YamlMappingNode ?? throw context.Error(node, path, $"expected a mapping (key: value lines), found {Describe(node)}.");
    }

    public YamlMappingNode Node { get; }

    /// <summary>The field path of this mapping, e.g. <c>sources.orders</c>.</summary>
    public string Path { get; set; }

    public YamlContext Context => _context;

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public YamlNode? Get(string key)
    {
        _read.Add(key);
        return Node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;
    }

    public string? String(string key)
    {
        var node = Get(key);
        return node is null ? null : Scalar(node, Field(key));
    }

    public string RequiredString(string key, string hint)
    {
        var value = String(key);
        return string.IsNullOrWhiteSpace(value) ? throw _context.Error(Node, Field(key), $"is required; {hint}") : value;
    }

    public bool? Bool(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        var text = Scalar(node, Field(key));
        return bool.TryParse(text, out var value)
            ? value
            : throw _context.Error(node, Field(key), $"'{text}' is not a boolean; write true or false.");
    }

    public double? Number(string key, double min = double.MinValue)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        var text = Scalar(node, Field(key));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
        {
            throw _context.Error(node, Field(key), $"'{text}' is not a number; write a number such as 10 or 2.5.");
        }

        return value < min ? throw _context.Error(node, Field(key), $"{text} is too small; use a value of at least {min}.") : value;
    }

    public int? Integer(string key, int min)
    {
        var value = Number(key, min);
        if (value is null)
        {
            return null;
        }

        return value != Math.Floor(value.Value) || value > int.MaxValue
            ? throw _context.Error(Get(key), Field(key), $"{value} is not a whole number; write an integer.")
            : (int)value.Value;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var node = Get(key);
        return node switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children.Select((item, i) => Scalar(item, $"{Field(key)}[{i}]")).ToList(),
            // A lone value is a list of one, so `columns: order_id` means what it says.
            YamlScalarNode scalar => [Scalar(scalar, Field(key))],
            _ => throw _context.Error(node, Field(key), $"expected a list such as [a, b], found {Describe(node)}."),
        };
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return new Dictionary<string, string>();
        }

        var map = new MapReader(_context, node, Field(key));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Node.Children)
        {
            var name = Scalar(k, map.Field("<key>"));
            result[name] = IsNull(v) ? "" : Scalar(v, map.Field(name));
        }

        return result;
    }

    public MapReader? Map(string key)
    {
        var node = Get(key);
        return node is null ? null : new MapReader(_context, node, Field(key));
    }

    public IReadOnlyList<YamlNode> Sequence(string key)
    {
        var node = Get(key);
        return node switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children.ToList(),
            _ => throw _context.Error(node, Field(key), $"expected a list (lines starting with '- '), found {Describe(node)}."),
        };
    }

    /// <summary>Fails on the first key that no read asked for, naming the keys that are allowed.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, _) in Node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!_read.Contains(name))
            {
                throw _context.Error(key, Field(name), $"is not a known field; use one of: {string.Join(", ", _read.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    public string Scalar(YamlNode node, string field) =>
        node is YamlScalarNode scalar
            ? _context.ResolvePlaceholders(node, field, scalar.Value ?? "")
            : throw _context.Error(node, field, $"expected a single value, found {Describe(node)}.");

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };
}
