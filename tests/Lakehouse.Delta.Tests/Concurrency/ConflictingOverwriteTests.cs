using Lakehouse.Delta.Tests.Writing;

namespace Lakehouse.Delta.Tests.Concurrency;

public sealed class ConflictingOverwriteTests
{
    [Fact]
    public async Task Overwrite_TwoThreadsRace_ExactlyOneWinsTheOtherGetsConcurrentModification()
    {
        using var dir = new TempDirectory("overwrite-threads");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 3)]);
        using var start = new Barrier(2);

        // Both read version 1 before either commits, so one of them must lose.
        var snapshot = table.Snapshot();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run<Exception?>(() =>
        {
            var txn = Transactions.Transaction.Start(snapshot, "WRITE");
            txn.ReadWholeTable();
            foreach (var f in snapshot.Files)
            {
                txn.Remove(f);
            }

            start.SignalAndWait();
            try
            {
                txn.Commit();
                return null;
            }
            catch (ConcurrentModificationException e)
            {
                return e;
            }
        })));

        Assert.Single(outcomes, o => o is null);
        var loser = Assert.IsType<ConcurrentModificationException>(Assert.Single(outcomes, o => o is not null));
        Assert.Equal(1, loser.ReadVersion);
        Assert.Equal(2, table.Snapshot().Version);
    }

    [Fact]
    public async Task OverwriteAsync_StaleSnapshotOfWinner_LoserFailsAndTableKeepsWinnersData()
    {
        using var dir = new TempDirectory("overwrite-api");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 3)]);
        var stale = table.Snapshot();
        await table.OverwriteAsync([TestData.Ids(100, 1)]);

        var txn = Transactions.Transaction.Start(stale, "WRITE", new Dictionary<string, string> { ["mode"] = "Overwrite" });
        txn.ReadWholeTable();
        foreach (var f in stale.Files)
        {
            txn.Remove(f);
        }

        var error = Assert.Throws<ConcurrentModificationException>(() => txn.Commit());
        Assert.Equal("WRITE", error.WinningOperation);
        Assert.Contains("Help:", error.Message);
        Assert.Equal(1, TestData.RowCount(table.Snapshot()));
    }
}
