namespace Lakehouse.Delta.Tests.Checkpoints;

/// <summary>
/// A hand-written four-commit log that uses every action a checkpoint carries: table features, partition
/// values with a null, tags, a deletion vector, row tracking fields, application transactions, domain
/// metadata, and tombstones both inside and outside the deleted-file retention.
/// </summary>
internal static class RichLog
{
    /// <summary>The deletion timestamp of the fresh tombstone (and the base of the test clock).</summary>
    public const long RecentDeletion = 1_700_000_000_000;

    /// <summary>The deletion timestamp of a tombstone older than the 7-day default retention at <see cref="RecentDeletion"/>.</summary>
    public const long OldDeletion = RecentDeletion - 30L * 24 * 3600 * 1000;

    public static void Write(TestTable table, bool v2Policy)
    {
        var policy = v2Policy ? ",\"delta.checkpointPolicy\":\"v2\"" : "";
        const string schema = "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"day\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
        Commit(table, 0,
            "{\"commitInfo\":{\"timestamp\":1699990000000,\"operation\":\"CREATE TABLE\"}}",
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\",\"v2Checkpoint\"],\"writerFeatures\":[\"deletionVectors\",\"domainMetadata\",\"v2Checkpoint\"]}}",
            "{\"metaData\":{\"id\":\"7d3c0c1e-55a4-4c8e-9d7a-1f0e2a3b4c5d\",\"name\":\"events\",\"description\":\"rich log\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
            + $"\"schemaString\":\"{schema}\",\"partitionColumns\":[\"day\"],\"configuration\":{{\"delta.enableDeletionVectors\":\"true\"{policy}}},\"createdTime\":1699990000000}}}}");
        Commit(table, 1,
            "{\"add\":{\"path\":\"day=2024-01-01/a1.parquet\",\"partitionValues\":{\"day\":\"2024-01-01\"},\"size\":100,\"modificationTime\":1699990001000,\"dataChange\":true,"
            + "\"stats\":\"{\\\"numRecords\\\":3}\",\"tags\":{\"INSERTION_TIME\":\"1699990001000000\"}}}",
            "{\"add\":{\"path\":\"day=__HIVE_DEFAULT_PARTITION__/a2.parquet\",\"partitionValues\":{\"day\":null},\"size\":200,\"modificationTime\":1699990002000,\"dataChange\":true}}",
            "{\"add\":{\"path\":\"day=__HIVE_DEFAULT_PARTITION__/a4.parquet\",\"partitionValues\":{\"day\":null},\"size\":400,\"modificationTime\":1699990004000,\"dataChange\":true,"
            + "\"tags\":{\"INSERTION_TIME\":\"1699990004000000\",\"OPTIMIZE_TARGET_SIZE\":\"268435456\"}}}",
            "{\"txn\":{\"appId\":\"job-1\",\"version\":5,\"lastUpdated\":1699990002000}}");
        Commit(table, 2,
            $"{{\"remove\":{{\"path\":\"day=2024-01-01/a1.parquet\",\"deletionTimestamp\":{RecentDeletion},\"dataChange\":true,\"extendedFileMetadata\":true,\"partitionValues\":{{\"day\":\"2024-01-01\"}},\"size\":100}}}}",
            "{\"add\":{\"path\":\"day=2024-01-01/a1.parquet\",\"partitionValues\":{\"day\":\"2024-01-01\"},\"size\":100,\"modificationTime\":1699990001000,\"dataChange\":true,"
            + "\"stats\":\"{\\\"numRecords\\\":3}\",\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K{vb[*k^\",\"offset\":1,\"sizeInBytes\":36,\"cardinality\":2},"
            + "\"baseRowId\":10,\"defaultRowCommitVersion\":1}}",
            "{\"domainMetadata\":{\"domain\":\"lakehouse.app\",\"configuration\":\"{\\\"owner\\\":\\\"etl\\\"}\",\"removed\":false}}",
            "{\"txn\":{\"appId\":\"job-1\",\"version\":6,\"lastUpdated\":1699990003000}}",
            "{\"txn\":{\"appId\":\"job-2\",\"version\":1}}");
        Commit(table, 3,
            "{\"add\":{\"path\":\"day=2024-01-02/a3.parquet\",\"partitionValues\":{\"day\":\"2024-01-02\"},\"size\":300,\"modificationTime\":1699990004000,\"dataChange\":true}}",
            $"{{\"remove\":{{\"path\":\"day=__HIVE_DEFAULT_PARTITION__/a2.parquet\",\"deletionTimestamp\":{OldDeletion},\"dataChange\":true}}}}");
    }

    private static void Commit(TestTable table, long version, params string[] lines) =>
        File.WriteAllText(table.Log($"{version:D20}.json"), string.Join("\n", lines) + "\n");
}
