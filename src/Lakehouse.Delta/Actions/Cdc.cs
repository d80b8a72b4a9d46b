using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>cdc</c> action: a change-data file. Snapshots ignore it (PROTOCOL.md, Add CDC File).</summary>
public sealed record Cdc
{
    /// <summary>Path relative to the table root.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>Partition values of the file.</summary>
    [JsonPropertyName("partitionValues")] public IReadOnlyDictionary<string, string?> PartitionValues { get; init; } = new Dictionary<string, string?>();

    /// <summary>File size in bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }

    /// <summary>Always false for cdc files.</summary>
    [JsonPropertyName("dataChange")] public bool DataChange { get; init; }
}
