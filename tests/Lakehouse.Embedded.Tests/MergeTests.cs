using Lakehouse.Spark;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// MERGE on the embedded engine against Delta's documented semantics ("Upsert into a table using merge", MERGE INTO):
/// clauses in order with conditions, NULL keys never matching, ambiguous matches rejected, only touched files rewritten.
/// Expected rows are written by hand from those rules.
/// </summary>
public sealed class MergeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Batch1 = "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)";
    private const string Batch2 = "(11, 'k', 110), (12, 'l', 120)";
    private const string Batch3 = "(21, 'u', 210), (22, 'v', 220)";

    private static string Source(string values) => $"SELECT * FROM (VALUES {values}) AS v(id, name, amount)";

    [Fact]
    public async Task Merge_MatchedUpdate_UpdatesMatchedRowsOnly()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, Batch1);

        var merge = Merge(path, Source("(2, 'B', 200), (9, 'z', 900)"), "t.id = s.id");
        merge.MatchedActions.Add(Update(null, Set("name", "s.name"), Set("t.amount", "t.amount + s.amount")));
        var metrics = await MergeAsync(spark, merge);

        Assert.Equal(new long[] { 1, 1, 0, 0 }, metrics);
        DeltaTables.AssertRows(path, "1|a|10", "2|B|220", "3|c|30");
    }

    [Fact]
    public async Task Merge_MatchedDelete_DeletesMatchedRows()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, Batch1);

        var merge = Merge(path, Source("(1, 'x', 0), (3, 'y', 0), (7, 'q', 0)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete());
        Assert.Equal(new long[] { 2, 0, 2, 0 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "2|b|20");
    }

    [Fact]
    public async Task Merge_NotMatchedInsert_InsertsValuesAndNullsForUnassignedColumns()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, Batch1);

        var merge = Merge(path, Source("(2, 'x', 5), (4, 'd', 40), (5, 'e', 50)"), "t.id = s.id");
        merge.NotMatchedActions.Add(Insert("s.id = 4", Set("id", "s.id"), Set("name", "upper(s.name)")));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 0, 0, 2 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|c|30", "4|D|NULL", "5|e|50");
        // An insert-only merge rewrites nothing.
        Assert.Empty(DeltaTables.Removed(path, 1));
    }

    [Fact]
    public async Task Merge_NotMatchedBySource_UpdatesAndDeletesOnlyUnmatchedTargetRows()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, Batch1, Batch2);

        var merge = Merge(path, Source("(2, 'x', 0), (12, 'y', 0)"), "t.id = s.id");
        merge.NotMatchedBySourceActions.Add(Delete("t.id > 10"));
        merge.NotMatchedBySourceActions.Add(Update(null, Set("amount", "-1")));
        Assert.Equal(new long[] { 3, 2, 1, 0 }, await MergeAsync(spark, merge));
        // 2 and 12 matched (no matched clause: unchanged); 11 deleted; 1 and 3 updated.
        DeltaTables.AssertRows(path, "1|a|-1", "12|l|120", "2|b|20", "3|c|-1");
    }

    [Fact]
    public async Task Merge_AllClauseKinds_FirstApplicableClauseWins()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, Batch1, Batch2);

        // op u: update, op d: delete, op i: insert; the NOT MATCHED BY SOURCE clause marks the rest.
        var source = "SELECT * FROM (VALUES (1, 'u', 1), (2, 'd', 2), (3, 'n', 3), (4, 'i', 4), (5, 'd', 5), (11, 'u', 11)) AS v(id, op, amount)";
        var merge = Merge(path, source, "t.id = s.id");
        merge.MatchedActions.Add(Update("s.op = 'u' AND t.amount < 100", Set("amount", "t.amount + 1000")));
        merge.MatchedActions.Add(Delete("s.op = 'd'"));
        merge.MatchedActions.Add(Update("s.op = 'u'", Set("name", "'big'")));
        merge.NotMatchedActions.Add(Insert("s.op = 'i'", Set("id", "s.id"), Set("name", "s.op"), Set("amount", "s.amount")));
        merge.NotMatchedBySourceActions.Add(Update("t.id >= 12", Set("name", "'orphan'")));
        Assert.Equal(new long[] { 5, 3, 1, 1 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|1010", "11|big|110", "12|orphan|120", "3|c|30", "4|i|4");

        var info = DeltaTables.Info(path, 2);
        Assert.Equal("MERGE", info.Operation);
        var m = info.OperationMetrics!;
        Assert.Equal("6", m["numSourceRows"]);
        Assert.Equal("1", m["numTargetRowsInserted"]);
        Assert.Equal("3", m["numTargetRowsUpdated"]);
        Assert.Equal("1", m["numTargetRowsNotMatchedBySourceUpdated"]);
        Assert.Equal("1", m["numTargetRowsDeleted"]);
        // Both files had a changed row: 5 target rows read, 1 deleted, 3 updated, 1 copied (id 3); plus 1 insert.
        Assert.Equal("1", m["numTargetRowsCopied"]);
        Assert.Equal("5", m["numOutputRows"]);
        Assert.Equal("2", m["numTargetFilesRemoved"]);
        Assert.Equal("[\"t.id = s.id\"]", info.OperationParameters!["predicate"]);
        Assert.Contains("\"actionType\":\"delete\"", info.OperationParameters["matchedPredicates"], StringComparison.Ordinal);
        // Every new file carries statistics, as readers' data skipping needs.
        Assert.All(Lakehouse.Delta.Snapshots.Snapshot.Load(path).Files, f => Assert.Contains("\"numRecords\"", f.Stats, StringComparison.Ordinal));
    }
}
