using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>domainMetadata</c> action: configuration owned by a named domain.</summary>
public sealed record DomainMetadata
{
    /// <summary>The domain name.</summary>
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";

    /// <summary>The domain's configuration (usually JSON text).</summary>
    [JsonPropertyName("configuration")] public string Configuration { get; init; } = "";

    /// <summary>True when this action removes the domain.</summary>
    [JsonPropertyName("removed")] public bool Removed { get; init; }
}
