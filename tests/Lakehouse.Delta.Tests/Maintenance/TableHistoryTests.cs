using System.Text.Json.Nodes;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Maintenance;

public sealed class TableHistoryTests
{
    [Fact]
    public void Read_SparkTable_OneEntryPerCommitNewestFirstWithCommitInfoFields()
    {
        using var table = TableCopy.Of("snapshot-vacuumed");

        var history = TableHistory.Read(table.Path);

        Assert.Equal([5L, 4, 3, 2, 1, 0], history.Select(h => h.Version));
        foreach (var entry in history)
        {
            var info = CommitInfoOf(table.Path, entry.Version);
            Assert.Equal(info["operation"]!.GetValue<string>(), entry.Operation);
            Assert.Equal(info["readVersion"]?.GetValue<long>(), entry.ReadVersion);
            Assert.Equal(info["isBlindAppend"]?.GetValue<bool>(), entry.IsBlindAppend);
            Assert.Equal(
                info["operationParameters"]!.AsObject().Select(kv => (kv.Key, kv.Value!.GetValue<string>())).OrderBy(kv => kv.Key),
                entry.OperationParameters.Select(kv => (kv.Key, kv.Value)).OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void Read_WithLimit_ReturnsNewestEntriesOnly()
    {
        using var table = TableCopy.Of("snapshot-vacuumed");

        var history = TableHistory.Read(table.Path, limit: 2);

        Assert.Equal([5L, 4], history.Select(h => h.Version));
        Assert.Equal("WRITE", history[0].Operation);
        Assert.Equal("DELETE", history[1].Operation);
    }

    [Fact]
    public void Read_CommitTimestamps_AreFileTimesMadeIncreasing()
    {
        using var table = TableCopy.Of("snapshot-vacuumed");
        for (var v = 0; v <= 5; v++)
        {
            // v0..v2 share one mtime; v3..v5 are a minute apart.
            table.SetModified("_delta_log/" + LogFileName.Commit(v), v <= 2 ? 1_600_000_000_000 : 1_600_000_000_000 + (v * 60_000));
        }

        var byVersion = TableHistory.Read(table.Path).ToDictionary(h => h.Version, h => h.Timestamp.ToUnixTimeMilliseconds());

        Assert.Equal(1_600_000_000_000, byVersion[0]);
        Assert.Equal(1_600_000_000_001, byVersion[1]);
        Assert.Equal(1_600_000_000_002, byVersion[2]);
        Assert.Equal(1_600_000_180_000, byVersion[3]);
    }

    [Fact]
    public void Read_SparkRestoreCommit_NonStringParametersKeptAsJsonText()
    {
        using var table = TableCopy.Of("basic-with-inserts-overwrite-restore");
        // Replay from the JSON commits only: this test is about the commitInfo, not the checkpoint.
        File.Delete(Path.Combine(table.Path, "_delta_log", "00000000000000000003.checkpoint.parquet"));
        File.Delete(Path.Combine(table.Path, "_delta_log", "_last_checkpoint"));

        var restore = TableHistory.Read(table.Path, limit: 1).Single();

        Assert.Equal("RESTORE", restore.Operation);
        Assert.Equal("1", restore.OperationParameters["version"]);
        Assert.Equal("null", restore.OperationParameters["timestamp"]);
        Assert.Equal("4", restore.OperationMetrics["numRestoredFiles"]);
        Assert.Equal("Serializable", restore.IsolationLevel);
        Assert.Equal("Apache-Spark/3.5.0 Delta-Lake/3.0.0-SNAPSHOT", restore.EngineInfo);
    }

    [Fact]
    public void Read_CommitsBeforeCheckpointCleanedUp_ListsOnlyCommitsStillInTheLog()
    {
        using var table = TableCopy.Of("basic-with-inserts-deletes-checkpoint");
        for (var v = 0; v <= 9; v++)
        {
            File.Delete(Path.Combine(table.Path, "_delta_log", LogFileName.Commit(v)));
        }

        var history = TableHistory.Read(table.Path);

        Assert.Equal([13L, 12, 11, 10], history.Select(h => h.Version));
    }

    private static JsonNode CommitInfoOf(string tablePath, long version) =>
        File.ReadLines(Path.Combine(tablePath, "_delta_log", LogFileName.Commit(version)))
            .Select(line => JsonNode.Parse(line)!)
            .First(n => n["commitInfo"] is not null)["commitInfo"]!;
}
