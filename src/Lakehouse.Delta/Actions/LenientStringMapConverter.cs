using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>
/// Reads a JSON object whose values should be strings but, from some writers, are not: Spark's RESTORE writes
/// <c>"operationParameters":{"version":1,"timestamp":null}</c>. Strings are kept, other values become their JSON
/// text (<c>1</c>, <c>true</c>, <c>null</c>), so history shows them as Spark's map of strings does. Writes plain strings.
/// </summary>
internal sealed class LenientStringMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object, found {reader.TokenType}");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                map[key] = reader.GetString()!;
            }
            else
            {
                using var value = JsonDocument.ParseValue(ref reader);
                map[key] = value.RootElement.GetRawText();
            }
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, text);
        }

        writer.WriteEndObject();
    }
}
