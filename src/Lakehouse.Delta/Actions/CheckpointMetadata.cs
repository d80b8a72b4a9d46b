using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>checkpointMetadata</c> action of a V2 checkpoint.</summary>
public sealed record CheckpointMetadata
{
    /// <summary>The version the checkpoint describes.</summary>
    [JsonPropertyName("version")] public long Version { get; init; }

    /// <summary>Optional tags.</summary>
    [JsonPropertyName("tags")] public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>The <c>sidecar</c> action of a V2 checkpoint: a Parquet file under <c>_delta_log/_sidecars</c> holding file actions.</summary>
public sealed record Sidecar
{
    /// <summary>File name, relative to <c>_delta_log/_sidecars</c>.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>Size in bytes.</summary>
    [JsonPropertyName("sizeInBytes")] public long SizeInBytes { get; init; }

    /// <summary>Modification time, milliseconds since the epoch.</summary>
    [JsonPropertyName("modificationTime")] public long ModificationTime { get; init; }

    /// <summary>Optional tags.</summary>
    [JsonPropertyName("tags")] public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
