namespace Lakehouse.Pipeline.Bronze;

/// <summary>The columns bronze adds to every record (DESIGN.md, Data flow 2).</summary>
public static class BronzeColumns
{
    /// <summary>When the batch was ingested (timestamp, the same for every record of a batch).</summary>
    public const string IngestedAt = "_ingested_at";

    /// <summary>The landing file the record came from, as the engine names it.</summary>
    public const string SourceFile = "_source_file";

    /// <summary>The source's name.</summary>
    public const string SourceName = "_source_name";

    /// <summary>The date of <see cref="IngestedAt"/> (UTC); the bronze table's partition column.</summary>
    public const string IngestionDate = "_ingestion_date";

    /// <summary>The batch (bigint, increasing with every bronze commit of a source; the commit's txn version).</summary>
    public const string BatchId = "_batch_id";

    /// <summary>The raw text of a record that did not parse or did not fit the known schema; null for good records.</summary>
    public const string RescuedData = "_rescued_data";

    /// <summary>All bronze-added columns, including the rescue column.</summary>
    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { IngestedAt, SourceFile, SourceName, IngestionDate, BatchId, RescuedData };
}
