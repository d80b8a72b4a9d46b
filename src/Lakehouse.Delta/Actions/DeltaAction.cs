using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>
/// One line of a commit file: exactly one of the properties is set, and it serializes as
/// <c>{"add":{…}}</c>, <c>{"remove":{…}}</c> and so on. Unknown action kinds are ignored when reading.
/// </summary>
public sealed record DeltaAction
{
    /// <summary>A <c>commitInfo</c> action.</summary>
    [JsonPropertyName("commitInfo")] public CommitInfo? CommitInfo { get; init; }

    /// <summary>A <c>protocol</c> action.</summary>
    [JsonPropertyName("protocol")] public Protocol? Protocol { get; init; }

    /// <summary>A <c>metaData</c> action.</summary>
    [JsonPropertyName("metaData")] public Metadata? Metadata { get; init; }

    /// <summary>A <c>txn</c> action.</summary>
    [JsonPropertyName("txn")] public Txn? Txn { get; init; }

    /// <summary>A <c>domainMetadata</c> action.</summary>
    [JsonPropertyName("domainMetadata")] public DomainMetadata? DomainMetadata { get; init; }

    /// <summary>An <c>add</c> action.</summary>
    [JsonPropertyName("add")] public AddFile? Add { get; init; }

    /// <summary>A <c>remove</c> action.</summary>
    [JsonPropertyName("remove")] public RemoveFile? Remove { get; init; }

    /// <summary>A <c>cdc</c> action.</summary>
    [JsonPropertyName("cdc")] public Cdc? Cdc { get; init; }

    /// <summary>A <c>checkpointMetadata</c> action (V2 checkpoints).</summary>
    [JsonPropertyName("checkpointMetadata")] public CheckpointMetadata? CheckpointMetadata { get; init; }

    /// <summary>A <c>sidecar</c> action (V2 checkpoints).</summary>
    [JsonPropertyName("sidecar")] public Sidecar? Sidecar { get; init; }

    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(AddFile a) => new() { Add = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(RemoveFile a) => new() { Remove = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(Metadata a) => new() { Metadata = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(Protocol a) => new() { Protocol = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(Txn a) => new() { Txn = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(CommitInfo a) => new() { CommitInfo = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(DomainMetadata a) => new() { DomainMetadata = a };
    /// <summary>Wraps an action.</summary>
    public static implicit operator DeltaAction(Cdc a) => new() { Cdc = a };
}
