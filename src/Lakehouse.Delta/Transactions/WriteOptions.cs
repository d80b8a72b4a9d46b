namespace Lakehouse.Delta.Transactions;

/// <summary>Options of <see cref="Lakehouse.Delta.DeltaTable.AppendAsync"/> and <see cref="Lakehouse.Delta.DeltaTable.OverwriteAsync"/>.</summary>
public sealed record WriteOptions
{
    /// <summary>Add columns the data has and the table does not (as nullable columns at the end of the schema). Default false: such data is rejected.</summary>
    public bool MergeSchema { get; init; }

    /// <summary>Overwrite only: a predicate on partition columns (<c>date = '2024-01-01'</c>); only matching partitions are replaced and every written row must match. Default null: the whole table.</summary>
    public string? ReplaceWhere { get; init; }

    /// <summary>At most this many rows per data file. Default 1,000,000.</summary>
    public int MaxRowsPerFile { get; init; } = 1_000_000;

    /// <summary>
    /// Aim for data files of about this many bytes (estimated from the uncompressed Arrow size of the rows, so compressed
    /// files come out smaller). Default null: only <see cref="MaxRowsPerFile"/> limits a file.
    /// </summary>
    public long? TargetFileSize { get; init; }

    /// <summary>Idempotent writes: the application id of the <c>txn</c> action (with <see cref="AppVersion"/>). Default null: not idempotent.</summary>
    public string? AppId { get; init; }

    /// <summary>Idempotent writes: the application's version; a write whose version is not above the committed one is skipped.</summary>
    public long AppVersion { get; init; }

    /// <summary>Written to <c>commitInfo.userMetadata</c>. Default null: none.</summary>
    public string? UserMetadata { get; init; }
}
