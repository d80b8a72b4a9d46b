namespace Lakehouse.Delta.Maintenance;

/// <summary>One row of a table's history, with the columns of Spark's <c>DESCRIBE HISTORY</c>.</summary>
public sealed record HistoryEntry
{
    /// <summary>The table version the commit created.</summary>
    public required long Version { get; init; }

    /// <summary>The commit timestamp: the in-commit timestamp where enabled, else the commit file's modification time (made strictly increasing).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The operation (WRITE, MERGE, DELETE, OPTIMIZE, RESTORE, …); null when the commit has no commitInfo.</summary>
    public string? Operation { get; init; }

    /// <summary>Operation parameters as written (values are JSON-encoded strings); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> OperationParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The version the transaction read.</summary>
    public long? ReadVersion { get; init; }

    /// <summary>The isolation level of the transaction.</summary>
    public string? IsolationLevel { get; init; }

    /// <summary>Whether the commit only appended data without reading the table.</summary>
    public bool? IsBlindAppend { get; init; }

    /// <summary>Operation metrics as written (values are strings); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> OperationMetrics { get; init; } = new Dictionary<string, string>();

    /// <summary>The engine that wrote the commit.</summary>
    public string? EngineInfo { get; init; }

    /// <summary>The user id, when the writer recorded one.</summary>
    public string? UserId { get; init; }

    /// <summary>The user name, when the writer recorded one.</summary>
    public string? UserName { get; init; }

    /// <summary>User metadata attached to the commit (<c>userMetadata</c>), when present.</summary>
    public string? UserMetadata { get; init; }
}
