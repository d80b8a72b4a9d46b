using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>
/// Where a file's deletion vector lives (PROTOCOL.md, Deletion Vector Descriptor Schema):
/// <c>u</c> = relative path encoded in Z85 with a UUID, <c>i</c> = inline (Z85 of the bitmap), <c>p</c> = absolute path.
/// </summary>
public sealed record DeletionVectorDescriptor
{
    /// <summary>Storage type: <c>u</c>, <c>i</c> or <c>p</c>.</summary>
    [JsonPropertyName("storageType")] public string StorageType { get; init; } = "u";

    /// <summary>The storage-type specific location or inline data.</summary>
    [JsonPropertyName("pathOrInlineDv")] public string PathOrInlineDv { get; init; } = "";

    /// <summary>Byte offset of the vector in its file (on-disk types only).</summary>
    [JsonPropertyName("offset")] public int? Offset { get; init; }

    /// <summary>Size of the serialized vector in bytes.</summary>
    [JsonPropertyName("sizeInBytes")] public int SizeInBytes { get; init; }

    /// <summary>Number of rows the vector marks as deleted.</summary>
    [JsonPropertyName("cardinality")] public long Cardinality { get; init; }

    /// <summary>The id used to tell two vectors for the same file apart: storage type, path/inline data and offset.</summary>
    [JsonIgnore]
    public string UniqueId => Offset is { } o ? $"{StorageType}{PathOrInlineDv}@{o}" : StorageType + PathOrInlineDv;
}
