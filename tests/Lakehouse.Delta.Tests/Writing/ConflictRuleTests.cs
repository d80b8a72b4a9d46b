using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Each conflict rule of docs/delta-writing.md: a winner commits first, then the loser from the same snapshot.</summary>
public sealed class ConflictRuleTests
{
    private static async Task<(DeltaTable Table, Snapshots.Snapshot Stale, TempDirectory Dir)> TableWithTwoPartitions()
    {
        var dir = new TempDirectory("conflict-rule");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);
        await table.AppendAsync([TestData.Ids(0, 1, "a"), TestData.Ids(1, 1, "b")]);
        return (table, table.Snapshot(), dir);
    }

    private static AddFile File(string part) => new() { Path = $"part={part}/x-{Guid.NewGuid()}.parquet", PartitionValues = new Dictionary<string, string?> { ["part"] = part }, Size = 1 };

    [Fact]
    public async Task Commit_WinnerRemovedFileThisTxnRead_ConcurrentDeleteRead()
    {
        var (table, stale, dir) = await TableWithTwoPartitions();
        using var _ = dir;
        await table.DeleteAsync("part = 'a'");

        var txn = Transaction.Start(stale, "UPDATE");
        txn.ReadPartitions(p => p["part"] == "a", "part = 'a'");
        txn.Add(File("a"));

        Assert.Contains("ConcurrentDeleteRead", Assert.Throws<ConcurrentModificationException>(() => txn.Commit()).Conflict);
    }

    [Fact]
    public async Task Commit_WinnerChangedOtherPartition_NoConflictAndRebased()
    {
        var (table, stale, dir) = await TableWithTwoPartitions();
        using var _ = dir;
        await table.DeleteAsync("part = 'b'");

        var txn = Transaction.Start(stale, "DELETE");
        txn.ReadPartitions(p => p["part"] == "a", "part = 'a'");
        foreach (var f in stale.Files.Where(f => f.PartitionValues["part"] == "a"))
        {
            txn.Remove(f);
        }

        Assert.Equal(3, txn.Commit().Version);
        Assert.Empty(table.Snapshot().Files);
    }

    [Fact]
    public async Task Commit_WinnerChangedMetadata_MetadataChanged()
    {
        var (table, stale, dir) = await TableWithTwoPartitions();
        using var _ = dir;
        var winner = table.StartTransaction("SET TBLPROPERTIES");
        winner.SetMetadata(stale.Metadata with { Configuration = new Dictionary<string, string> { ["k"] = "v" } });
        winner.Commit();

        var txn = Transaction.Start(stale, "WRITE");
        txn.Add(File("a"));

        Assert.Contains("MetadataChanged", Assert.Throws<ConcurrentModificationException>(() => txn.Commit()).Conflict);
    }

    [Fact]
    public async Task Commit_WinnerUsedSameAppId_ConcurrentTransaction()
    {
        var (table, stale, dir) = await TableWithTwoPartitions();
        using var _ = dir;
        await table.AppendAsync([TestData.Ids(5, 1, "a")], new WriteOptions { AppId = "app", AppVersion = 1 });

        var txn = Transaction.Start(stale, "WRITE");
        txn.SetAppTransaction("app", 2);
        txn.Add(File("a"));

        Assert.Contains("ConcurrentTransaction", Assert.Throws<ConcurrentModificationException>(() => txn.Commit()).Conflict);
    }

    [Fact]
    public async Task Commit_WinnerChangedSameDomain_ConcurrentDomainMetadata()
    {
        var (table, stale, dir) = await TableWithTwoPartitions();
        using var _ = dir;
        var winner = table.StartTransaction("DOMAIN");
        winner.SetDomainMetadata(new DomainMetadata { Domain = "d", Configuration = "{}" });
        winner.Commit();

        var txn = Transaction.Start(stale, "DOMAIN");
        txn.SetDomainMetadata(new DomainMetadata { Domain = "d", Configuration = "{\"x\":1}" });

        Assert.Contains("ConcurrentDomainMetadata", Assert.Throws<ConcurrentModificationException>(() => txn.Commit()).Conflict);
    }

    [Fact]
    public async Task Commit_WinnerOnlyRearrangedData_NoConcurrentAppend()
    {
        var (table, stale, dir) = await TableWithTwoPartitions();
        using var _ = dir;
        var optimize = table.StartTransaction("OPTIMIZE");
        optimize.Add(File("a") with { DataChange = false });
        optimize.Commit();

        var txn = Transaction.Start(stale, "DELETE");
        txn.ReadPartitions(p => p["part"] == "a", "part = 'a'");
        txn.Add(File("a"));

        Assert.Equal(3, txn.Commit().Version);
    }

    [Fact]
    public async Task Snapshot_AtACheckpointVersionWithInCommitTimestamps_TakesTheCommitsTimestampNotTheFileTime()
    {
        using var dir = new TempDirectory("ict-checkpoint");
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        var table = DeltaTable.ForStore(new Storage.LocalLogStore(dir.Path), clock);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string>
        {
            ["delta.enableInCommitTimestamps"] = "true",
            ["delta.checkpointInterval"] = "2",
        });
        await table.AppendAsync([TestData.Ids(0, 1)]);
        await table.AppendAsync([TestData.Ids(1, 1)]);

        // Version 2 is checkpointed, so loading it replays no commit; its timestamp is still version 2's
        // in-commit timestamp (1_000_000 + 2, strictly increasing from a clock that did not move), and the
        // next commit continues from it.
        var snapshot = table.Snapshot();
        Assert.Equal(2, snapshot.Segment.CheckpointVersion);
        Assert.Equal(1_000_002, snapshot.Timestamp);
        await table.AppendAsync([TestData.Ids(2, 1)]);
        Assert.Equal(1_000_003, TestData.Commit(dir.Path, 3)[0].CommitInfo!.InCommitTimestamp);
    }

    [Fact]
    public async Task Commit_InCommitTimestampsEnabled_StrictlyIncreasingAndFirstField()
    {
        using var dir = new TempDirectory("ict");
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        var table = DeltaTable.ForStore(new Storage.LocalLogStore(dir.Path), clock);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.enableInCommitTimestamps"] = "true" });
        await table.AppendAsync([TestData.Ids(0, 1)]);

        var first = TestData.Commit(dir.Path, 0)[0].CommitInfo!;
        var second = TestData.Commit(dir.Path, 1)[0].CommitInfo!;
        Assert.Equal(1_000_000, first.InCommitTimestamp);
        // The clock did not move: the second commit still gets a strictly later timestamp (PROTOCOL.md, In-Commit Timestamps).
        Assert.Equal(1_000_001, second.InCommitTimestamp);
        Assert.StartsWith("{\"commitInfo\":{\"inCommitTimestamp\":", System.Text.Encoding.UTF8.GetString(System.IO.File.ReadAllBytes(Path.Combine(dir.Path, "_delta_log", $"{1:D20}.json"))));
        var snapshot = table.Snapshot();
        Assert.Equal(1_000_001, snapshot.Timestamp);
        Assert.Equal(["appendOnly", "invariants", "inCommitTimestamp"], snapshot.Protocol.WriterFeatures);
    }
}
