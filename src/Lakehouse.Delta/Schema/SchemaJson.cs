using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lakehouse.Delta.Schema;

/// <summary>Delta's schema JSON (the <c>schemaString</c> of <c>metaData</c>), in both directions.</summary>
public static partial class SchemaJson
{
    /// <summary>Parses a <c>schemaString</c>; raises <see cref="DeltaErrorKind.CorruptLog"/> when it is not a valid struct schema.</summary>
    public static StructType Parse(string schemaString)
    {
        try
        {
            var node = JsonNode.Parse(schemaString) ?? throw new FormatException("the schema is JSON null");
            return ParseType(node) as StructType ?? throw new FormatException("the top-level type is not a struct");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new DeltaException(DeltaErrorKind.CorruptLog, $"The table schema cannot be parsed: {e.Message}. The metaData action in the log is damaged.", inner: e);
        }
    }

    /// <summary>Parses one type: a JSON string for primitives, an object for struct/array/map.</summary>
    public static DeltaType ParseType(JsonNode node)
    {
        if (node is JsonValue v)
        {
            var name = v.GetValue<string>();
            if (PrimitiveType.FromName(name) is { } p)
            {
                return p;
            }

            var m = DecimalPattern().Match(name);
            if (m.Success)
            {
                return new DecimalType(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }

            if (name == "decimal")
            {
                return new DecimalType(10, 0);
            }

            throw new FormatException($"unknown type '{name}'");
        }

        var o = node.AsObject();
        var kind = o["type"]?.GetValue<string>() ?? throw new FormatException("a nested type has no 'type'");
        return kind switch
        {
            "struct" => new StructType(o["fields"]!.AsArray().Select(ParseField)),
            "array" => new ArrayType(ParseType(o["elementType"]!), o["containsNull"]?.GetValue<bool>() ?? true),
            "map" => new MapType(ParseType(o["keyType"]!), ParseType(o["valueType"]!), o["valueContainsNull"]?.GetValue<bool>() ?? true),
            _ => throw new FormatException($"unknown nested type '{kind}'"),
        };
    }

    private static StructField ParseField(JsonNode? node)
    {
        var o = node!.AsObject();
        var metadata = o["metadata"] is JsonObject md ? (JsonObject)md.DeepClone() : null;
        return new StructField(o["name"]!.GetValue<string>(), ParseType(o["type"]!), o["nullable"]?.GetValue<bool>() ?? true, metadata);
    }

    /// <summary>Serializes a schema as Delta writes it (field metadata included, <c>{}</c> when empty).</summary>
    public static string ToJson(StructType schema) => TypeToJson(schema, includeMetadata: true);

    /// <summary>Serializes a type; without metadata it is the logical form that expected results and users see.</summary>
    public static string TypeToJson(DeltaType type, bool includeMetadata) => ToNode(type, includeMetadata).ToJsonString();

    /// <summary>The type as a JSON node (a string value for primitives).</summary>
    public static JsonNode ToNode(DeltaType type, bool includeMetadata) => type switch
    {
        PrimitiveType or DecimalType => JsonValue.Create(type.ToString())!,
        ArrayType a => new JsonObject
        {
            ["type"] = "array",
            ["elementType"] = ToNode(a.ElementType, includeMetadata),
            ["containsNull"] = a.ContainsNull,
        },
        MapType m => new JsonObject
        {
            ["type"] = "map",
            ["keyType"] = ToNode(m.KeyType, includeMetadata),
            ["valueType"] = ToNode(m.ValueType, includeMetadata),
            ["valueContainsNull"] = m.ValueContainsNull,
        },
        StructType s => new JsonObject
        {
            ["type"] = "struct",
            ["fields"] = new JsonArray(s.Fields.Select(f => (JsonNode)FieldNode(f, includeMetadata)).ToArray()),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown Delta type"),
    };

    private static JsonObject FieldNode(StructField f, bool includeMetadata)
    {
        var node = new JsonObject
        {
            ["name"] = f.Name,
            ["type"] = ToNode(f.Type, includeMetadata),
            ["nullable"] = f.Nullable,
        };
        if (includeMetadata)
        {
            node["metadata"] = f.Metadata?.DeepClone() ?? new JsonObject();
        }

        return node;
    }

    [GeneratedRegex(@"^decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)$")]
    private static partial Regex DecimalPattern();
}
