using System.Text.Json;
using System.Text.Json.Serialization;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Log;

/// <summary>The <c>_delta_log/_last_checkpoint</c> file (PROTOCOL.md, Last Checkpoint File Schema).</summary>
public sealed record LastCheckpoint
{
    /// <summary>The file name.</summary>
    public const string FileName = "_last_checkpoint";

    /// <summary>The checkpoint's version.</summary>
    [JsonPropertyName("version")] public long Version { get; init; }

    /// <summary>Number of actions in the checkpoint.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }

    /// <summary>Number of parts, for multi-part checkpoints.</summary>
    [JsonPropertyName("parts")] public int? Parts { get; init; }

    /// <summary>Total size of the checkpoint in bytes.</summary>
    [JsonPropertyName("sizeInBytes")] public long? SizeInBytes { get; init; }

    /// <summary>Number of add actions in the checkpoint.</summary>
    [JsonPropertyName("numOfAddFiles")] public long? NumOfAddFiles { get; init; }

    /// <summary>V2 checkpoints: the checkpoint file (name, size, mtime) and its non-file actions.</summary>
    [JsonPropertyName("v2Checkpoint")] public JsonElement? V2Checkpoint { get; init; }

    /// <summary>Fields this library does not model (checkpointSchema, checksum, …).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }

    /// <summary>Reads <c>_last_checkpoint</c>; null when it is missing or unreadable, since readers then fall back to listing (PROTOCOL.md, Last Checkpoint File).</summary>
    public static LastCheckpoint? TryRead(ILogStore store)
    {
        try
        {
            return JsonSerializer.Deserialize(store.Read(FileName), LastCheckpointJsonContext.Default.LastCheckpoint);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Serializes the record as Delta writes it.</summary>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, LastCheckpointJsonContext.Default.LastCheckpoint);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LastCheckpoint))]
internal sealed partial class LastCheckpointJsonContext : JsonSerializerContext;
