namespace Lakehouse.Delta;

/// <summary>What went wrong, as a stable value a caller can switch on.</summary>
public enum DeltaErrorKind
{
    /// <summary>The path holds no <c>_delta_log</c> with commits.</summary>
    NotADeltaTable,
    /// <summary>The table needs a protocol version or table feature this library does not support.</summary>
    UnsupportedProtocol,
    /// <summary>The log has a gap between commit versions.</summary>
    NonContiguousVersions,
    /// <summary>Log replay found no <c>metaData</c> action.</summary>
    MissingMetadata,
    /// <summary>Log replay found no <c>protocol</c> action.</summary>
    MissingProtocol,
    /// <summary>A data file that the snapshot references does not exist.</summary>
    DataFileNotFound,
    /// <summary>A data file that the snapshot references exists but is not a readable Parquet file (truncated, overwritten).</summary>
    CorruptDataFile,
    /// <summary>The requested version or timestamp is not in the table's history.</summary>
    VersionNotFound,
    /// <summary>The change data feed was not recorded for a version asked for (the feed was off, or the commit's
    /// row changes cannot be told from its actions).</summary>
    ChangeDataNotRecorded,
    /// <summary>A commit file, checkpoint or <c>_last_checkpoint</c> cannot be parsed.</summary>
    CorruptLog,
    /// <summary>Another writer committed something this transaction conflicts with.</summary>
    ConcurrentModification,
    /// <summary>The data or the request does not fit the table (schema, partitioning, options).</summary>
    InvalidRequest,
    /// <summary>The table already exists where a new one was to be created.</summary>
    TableAlreadyExists,
}
