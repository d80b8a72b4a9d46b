using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>add</c> action: a data file that is part of the table from this version on.</summary>
public sealed record AddFile
{
    /// <summary>Path relative to the table root (URI-encoded, as in the log), or an absolute URI.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>Partition column name → serialized value (null for a null value).</summary>
    [JsonPropertyName("partitionValues")] public IReadOnlyDictionary<string, string?> PartitionValues { get; init; } = new Dictionary<string, string?>();

    /// <summary>File size in bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }

    /// <summary>File modification time, milliseconds since the epoch.</summary>
    [JsonPropertyName("modificationTime")] public long ModificationTime { get; init; }

    /// <summary>False when the commit only rearranges existing data (optimize).</summary>
    [JsonPropertyName("dataChange")] public bool DataChange { get; init; } = true;

    /// <summary>Per-file statistics JSON (numRecords, minValues, maxValues, nullCount).</summary>
    [JsonPropertyName("stats")] public string? Stats { get; init; }

    /// <summary>Optional tags.</summary>
    [JsonPropertyName("tags")] public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The file's deletion vector, if rows of it were deleted.</summary>
    [JsonPropertyName("deletionVector")] public DeletionVectorDescriptor? DeletionVector { get; init; }

    /// <summary>Row tracking: the first row id of the file.</summary>
    [JsonPropertyName("baseRowId")] public long? BaseRowId { get; init; }

    /// <summary>Row tracking: the version that first committed the file's rows.</summary>
    [JsonPropertyName("defaultRowCommitVersion")] public long? DefaultRowCommitVersion { get; init; }

    /// <summary>Clustering provider, for clustered tables.</summary>
    [JsonPropertyName("clusteringProvider")] public string? ClusteringProvider { get; init; }

    /// <summary>The key log replay reconciles on: path plus deletion vector id (PROTOCOL.md, Action Reconciliation).</summary>
    [JsonIgnore]
    public (string Path, string? DvId) Key => (Path, DeletionVector?.UniqueId);
}
