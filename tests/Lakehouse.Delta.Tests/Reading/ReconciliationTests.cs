namespace Lakehouse.Delta.Tests.Reading;

/// <summary>PROTOCOL.md, Action Reconciliation, applied by snapshot replay to a hand-written log whose outcome follows from the rules alone.</summary>
public sealed class ReconciliationTests
{
    private const string SchemaA = "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
    private const string SchemaB = "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";

    [Fact]
    public void Load_EveryActionKind_ReconciledAsTheSpecSays()
    {
        using var dir = new TempDirectory("reconcile");
        var log = Directory.CreateDirectory(Path.Combine(dir.Path, "_delta_log")).FullName;
        Commit(log, 0,
            "{\"commitInfo\":{\"timestamp\":1,\"operation\":\"CREATE TABLE\"}}",
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
            $"{{\"metaData\":{{\"id\":\"t\",\"format\":{{\"provider\":\"parquet\",\"options\":{{}}}},\"schemaString\":\"{SchemaA}\",\"partitionColumns\":[],\"configuration\":{{}}}}}}",
            Add("a.parquet", 10), Add("b.parquet", 20),
            "{\"txn\":{\"appId\":\"app\",\"version\":1}}");
        Commit(log, 1,
            Remove("a.parquet", 2),
            Add("c.parquet", 30),
            "{\"cdc\":{\"path\":\"_change_data/cdc-1.parquet\",\"partitionValues\":{},\"size\":5,\"dataChange\":false}}",
            "{\"domainMetadata\":{\"domain\":\"d1\",\"configuration\":\"{}\",\"removed\":false}}",
            "{\"txn\":{\"appId\":\"app\",\"version\":2}}",
            "{\"txn\":{\"appId\":\"other\",\"version\":9}}",
            "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":3}}",
            $"{{\"metaData\":{{\"id\":\"t\",\"format\":{{\"provider\":\"parquet\",\"options\":{{}}}},\"schemaString\":\"{SchemaB}\",\"partitionColumns\":[],\"configuration\":{{\"k\":\"v\"}}}}}}");
        Commit(log, 2,
            Add("a.parquet", 11),
            Add("c.parquet", 31),
            Remove("b.parquet", 3),
            "{\"domainMetadata\":{\"domain\":\"d1\",\"configuration\":\"{}\",\"removed\":true}}",
            "{\"domainMetadata\":{\"domain\":\"d2\",\"configuration\":\"{\\\"k\\\":1}\",\"removed\":false}}",
            "{\"txn\":{\"appId\":\"app\",\"version\":3}}");

        var snapshot = Snapshots.Snapshot.Load(dir.Path);

        // a: removed then added again, live with the re-add's size; b: removed, a tombstone; c: the newer add replaces the older.
        Assert.Equal([("a.parquet", 11L), ("c.parquet", 31L)], snapshot.Files.Select(f => (f.Path, f.Size)).OrderBy(f => f.Path, StringComparer.Ordinal));
        Assert.Equal(["b.parquet"], snapshot.Tombstones.Select(t => t.Path));
        // The newest protocol and metaData win; cdc files are never part of the table's state.
        Assert.Equal(3, snapshot.Protocol.MinWriterVersion);
        Assert.Equal(["id", "x"], snapshot.Schema.Fields.Select(f => f.Name));
        Assert.Equal("v", snapshot.Metadata.Configuration["k"]);
        Assert.DoesNotContain(snapshot.Files, f => f.Path.Contains("cdc", StringComparison.Ordinal));
        // Per appId the newest txn; a removed domain is gone.
        Assert.Equal(3, snapshot.TransactionVersion("app"));
        Assert.Equal(9, snapshot.TransactionVersion("other"));
        Assert.Equal(["d2"], snapshot.Domains.Keys);
        Assert.Equal("{\"k\":1}", snapshot.Domains["d2"].Configuration);

        // At version 1 the same rules give the state of that moment.
        var v1 = Snapshots.Snapshot.Load(dir.Path, 1);
        Assert.Equal(["b.parquet", "c.parquet"], v1.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["a.parquet"], v1.Tombstones.Select(t => t.Path));
        Assert.Equal(["d1"], v1.Domains.Keys);
        Assert.Equal(2, v1.TransactionVersion("app"));
    }

    private static string Add(string path, long size) =>
        $"{{\"add\":{{\"path\":\"{path}\",\"partitionValues\":{{}},\"size\":{size},\"modificationTime\":1,\"dataChange\":true}}}}";

    private static string Remove(string path, long at) =>
        $"{{\"remove\":{{\"path\":\"{path}\",\"deletionTimestamp\":{at},\"dataChange\":true}}}}";

    private static void Commit(string log, long version, params string[] lines) =>
        File.WriteAllText(Path.Combine(log, $"{version:D20}.json"), string.Join("\n", lines) + "\n");
}
