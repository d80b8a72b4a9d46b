using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>
/// The <c>commitInfo</c> action: provenance of a commit (operation, parameters, metrics).
/// The protocol leaves its content free; the known fields are typed, the rest kept as JSON.
/// </summary>
public sealed record CommitInfo
{
    /// <summary>In-commit timestamp (milliseconds), when <c>delta.enableInCommitTimestamps</c> is on.</summary>
    [JsonPropertyName("inCommitTimestamp")] public long? InCommitTimestamp { get; init; }

    /// <summary>Commit time, milliseconds since the epoch.</summary>
    [JsonPropertyName("timestamp")] public long? Timestamp { get; init; }

    /// <summary>Operation name as DESCRIBE HISTORY shows it (WRITE, MERGE, DELETE, OPTIMIZE, …).</summary>
    [JsonPropertyName("operation")] public string? Operation { get; init; }

    /// <summary>Operation parameters; values are JSON-encoded strings, as Spark writes them (non-string values are kept as their JSON text).</summary>
    [JsonPropertyName("operationParameters"), JsonConverter(typeof(LenientStringMapConverter))] public IReadOnlyDictionary<string, string>? OperationParameters { get; init; }

    /// <summary>The version the transaction read (absent for the first commit).</summary>
    [JsonPropertyName("readVersion")] public long? ReadVersion { get; init; }

    /// <summary>Isolation level (<c>Serializable</c> or <c>WriteSerializable</c>).</summary>
    [JsonPropertyName("isolationLevel")] public string? IsolationLevel { get; init; }

    /// <summary>True when the commit only appended data without reading the table.</summary>
    [JsonPropertyName("isBlindAppend")] public bool? IsBlindAppend { get; init; }

    /// <summary>Operation metrics (numFiles, numOutputRows, …); values are strings, as Spark writes them.</summary>
    [JsonPropertyName("operationMetrics"), JsonConverter(typeof(LenientStringMapConverter))] public IReadOnlyDictionary<string, string>? OperationMetrics { get; init; }

    /// <summary>User metadata for the commit (Spark's <c>spark.databricks.delta.commitInfo.userMetadata</c> or the <c>userMetadata</c> writer option).</summary>
    [JsonPropertyName("userMetadata")] public string? UserMetadata { get; init; }

    /// <summary>The writing engine, e.g. <c>Lakehouse.Delta/1.0</c>.</summary>
    [JsonPropertyName("engineInfo")] public string? EngineInfo { get; init; }

    /// <summary>A unique id of the transaction.</summary>
    [JsonPropertyName("txnId")] public string? TxnId { get; init; }

    /// <summary>Fields this library does not model, kept as written.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }
}
