using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Cli.Output;

/// <summary>Writes the one JSON object a <c>--json</c> command prints.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Table data is printed, not embedded in HTML: keep non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="node"/> followed by a newline.</summary>
    public static void Write(TextWriter output, JsonNode node) => output.WriteLine(node.ToJsonString(Options));

    /// <summary>A schema as <c>[{name, type, nullable}]</c>; the type is a string for primitives, Delta's schema JSON (without field metadata) for nested types.</summary>
    public static JsonArray Schema(StructType schema) =>
        new(schema.Fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["type"] = SchemaJson.ToNode(f.Type, includeMetadata: false),
            ["nullable"] = f.Nullable,
        }).ToArray());

    /// <summary>A string map as a JSON object, keys in order.</summary>
    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> map) =>
        new(map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    /// <summary>A list of strings as a JSON array.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
