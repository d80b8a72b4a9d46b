using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>txn</c> action: the latest version an application committed, for idempotent writes.</summary>
public sealed record Txn
{
    /// <summary>The application id.</summary>
    [JsonPropertyName("appId")] public string AppId { get; init; } = "";

    /// <summary>The application's version (monotonic per app id).</summary>
    [JsonPropertyName("version")] public long Version { get; init; }

    /// <summary>When it was committed, milliseconds since the epoch.</summary>
    [JsonPropertyName("lastUpdated")] public long? LastUpdated { get; init; }
}
