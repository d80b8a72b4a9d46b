using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>remove</c> action: a data file that is no longer part of the table (a tombstone until vacuum).</summary>
public sealed record RemoveFile
{
    /// <summary>Path as in the matching <c>add</c>.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>When the file was removed, milliseconds since the epoch.</summary>
    [JsonPropertyName("deletionTimestamp")] public long? DeletionTimestamp { get; init; }

    /// <summary>False when the commit only rearranges existing data.</summary>
    [JsonPropertyName("dataChange")] public bool DataChange { get; init; } = true;

    /// <summary>True when partitionValues, size and tags are present.</summary>
    [JsonPropertyName("extendedFileMetadata")] public bool? ExtendedFileMetadata { get; init; }

    /// <summary>Partition values of the removed file.</summary>
    [JsonPropertyName("partitionValues")] public IReadOnlyDictionary<string, string?>? PartitionValues { get; init; }

    /// <summary>Size of the removed file in bytes.</summary>
    [JsonPropertyName("size")] public long? Size { get; init; }

    /// <summary>Statistics of the removed file.</summary>
    [JsonPropertyName("stats")] public string? Stats { get; init; }

    /// <summary>Tags of the removed file.</summary>
    [JsonPropertyName("tags")] public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The deletion vector of the removed (path, dv) pair.</summary>
    [JsonPropertyName("deletionVector")] public DeletionVectorDescriptor? DeletionVector { get; init; }

    /// <summary>Row tracking: base row id of the removed file.</summary>
    [JsonPropertyName("baseRowId")] public long? BaseRowId { get; init; }

    /// <summary>Row tracking: default row commit version of the removed file.</summary>
    [JsonPropertyName("defaultRowCommitVersion")] public long? DefaultRowCommitVersion { get; init; }

    /// <summary>The reconciliation key (path, deletion vector id).</summary>
    [JsonIgnore]
    public (string Path, string? DvId) Key => (Path, DeletionVector?.UniqueId);

    /// <summary>The tombstone Spark writes when <paramref name="add"/> leaves the table.</summary>
    public static RemoveFile For(AddFile add, long deletionTimestamp, bool dataChange = true) => new()
    {
        Path = add.Path,
        DeletionTimestamp = deletionTimestamp,
        DataChange = dataChange,
        ExtendedFileMetadata = true,
        PartitionValues = add.PartitionValues,
        Size = add.Size,
        Stats = add.Stats,
        Tags = add.Tags,
        DeletionVector = add.DeletionVector,
        BaseRowId = add.BaseRowId,
        DefaultRowCommitVersion = add.DefaultRowCommitVersion,
    };
}
