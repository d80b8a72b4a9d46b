using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lakehouse.Delta.Transactions;

/// <summary>Encodes structured <c>commitInfo.operationParameters</c> values as the JSON text Spark writes (<c>["a","b"]</c>, quotes unescaped).</summary>
public static class ParameterJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A list of strings as a JSON array.</summary>
    public static string Of(IEnumerable<string> values) => JsonSerializer.Serialize(values.ToArray(), Options);

    /// <summary>A string map as a JSON object.</summary>
    public static string Of(IReadOnlyDictionary<string, string> values) => JsonSerializer.Serialize(values.ToDictionary(), Options);
}
