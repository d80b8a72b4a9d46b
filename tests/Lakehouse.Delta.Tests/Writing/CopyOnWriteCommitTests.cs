using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>The remove+add primitive that copy-on-write MERGE builds on: one commit, and conflicts over what it read.</summary>
public sealed class CopyOnWriteCommitTests
{
    [Fact]
    public async Task Commit_RemoveOneAddTwo_OneCommitWithBothAndTheMetrics()
    {
        using var dir = new TempDirectory("cow");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 2)]);
        await table.AppendAsync([TestData.Ids(2, 2)]);
        var snapshot = table.Snapshot();
        var replaced = snapshot.Files.OrderBy(f => f.Path, StringComparer.Ordinal).First();
        var kept = snapshot.Files.Single(f => f != replaced);
        var adds = await table.WriteFilesAsync(snapshot, [TestData.Ids(10, 1), TestData.Ids(11, 2)], maxRowsPerFile: 1);

        var result = table.Commit(snapshot, "MERGE", [replaced], adds,
            parameters: new Dictionary<string, string> { ["predicate"] = "[\"id = 0\"]" },
            metrics: new Dictionary<string, long> { ["numTargetRowsUpdated"] = 1 });

        Assert.Equal(3, result.Version);
        var actions = TestData.Commit(dir.Path, 3);
        Assert.Equal("MERGE", actions[0].CommitInfo!.Operation);
        Assert.Equal("[\"id = 0\"]", actions[0].CommitInfo!.OperationParameters!["predicate"]);
        // PROTOCOL.md, Commit Provenance: Spark writes operation metrics as strings.
        Assert.Equal("1", actions[0].CommitInfo!.OperationMetrics!["numTargetRowsUpdated"]);
        Assert.Equal([replaced.Path], actions.Where(a => a.Remove is not null).Select(a => a.Remove!.Path));
        Assert.Equal(adds.Select(a => a.Path).Order(StringComparer.Ordinal), actions.Where(a => a.Add is not null).Select(a => a.Add!.Path).Order(StringComparer.Ordinal));
        var after = table.Snapshot();
        Assert.Equal(adds.Select(a => a.Path).Append(kept.Path).Order(StringComparer.Ordinal), after.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(2 + 3, TestData.RowCount(after));
    }

    [Fact]
    public async Task Commit_WinnerRemovedTheSameFile_ConcurrentModificationAndNothingCommitted()
    {
        using var dir = new TempDirectory("cow-conflict");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 2)]);
        var stale = table.Snapshot();
        var file = stale.Files.Single();
        table.Commit(stale, "DELETE", [file], []);

        var error = Assert.Throws<ConcurrentModificationException>(() => table.Commit(stale, "MERGE", [file], [NewFile("m.parquet")]));

        Assert.Equal(2, error.WinningVersion);
        Assert.Equal("DELETE", error.WinningOperation);
        Assert.Contains(file.Path, error.Message);
        Assert.Equal(2, table.Snapshot().Version);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Commit_WinnerAppended_ConflictsOnlyWhenTheWholeTableWasRead(bool readWholeTable, bool commits)
    {
        using var dir = new TempDirectory("cow-append");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 2)]);
        var stale = table.Snapshot();
        await table.AppendAsync([TestData.Ids(2, 2)]);

        CommitResult Run() => table.Commit(stale, "MERGE", [stale.Files.Single()], [NewFile("m.parquet")], readWholeTable: readWholeTable);

        if (commits)
        {
            Assert.Equal(3, Run().Version);
        }
        else
        {
            Assert.Contains("ConcurrentAppend", Assert.Throws<ConcurrentModificationException>(() => Run()).Conflict);
            Assert.Equal(2, table.Snapshot().Version);
        }
    }

    private static AddFile NewFile(string path) => new() { Path = path, Size = 1, ModificationTime = 1, DataChange = true, Stats = "{\"numRecords\":1}" };
}
