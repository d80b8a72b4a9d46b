using Lakehouse.Embedded.Delta;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// MERGE on tables with <c>delta.enableChangeDataFeed=true</c>: the commit names its change data files in <c>cdc</c>
/// actions, and the files hold exactly the changed rows (PROTOCOL.md, Change Data Files): the old values of deleted rows
/// (<c>delete</c>), old and new values of updated rows (<c>update_preimage</c>, <c>update_postimage</c>) and the inserted
/// rows (<c>insert</c>). Expected rows are worked out from the table's rows and the source in each test. Both
/// merge-on-read (deletion vectors; the general pass 2 and the pairs path) and copy-on-write.
/// </summary>
public sealed class ChangeDataMergeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Source(string values) => $"SELECT * FROM (VALUES {values}) AS v(id, name, amount)";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_UpdateDeleteInsert_WritesPreimagesPostimagesDeletesAndInserts(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(4, 'd', 40)");

        // Updates set a computed value (t.amount + s.amount): the general pass 2, which joins the touched files again.
        var merge = Merge(path, Source("(2, 'B', 200), (3, 'x', 0), (4, 'D', 4), (9, 'z', 900)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.amount = 0"));
        merge.MatchedActions.Add(Update(null, Set("name", "s.name"), Set("amount", "t.amount + s.amount")));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 4, 2, 1, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "2|B|220", "4|D|44", "9|z|900");
        ChangeDataFiles.AssertRows(path, 2,
            "2|b|20|update_preimage", "2|B|220|update_postimage",
            "3|c|30|delete",
            "4|d|40|update_preimage", "4|D|44|update_postimage",
            "9|z|900|insert");
        var cdc = ChangeDataFiles.Actions(path, 2);
        Assert.All(cdc, c => Assert.StartsWith("_change_data/", c.Path, StringComparison.Ordinal));
        Assert.All(cdc, c => Assert.Empty(c.PartitionValues));
        Assert.Equal(cdc.Count, ChangeDataFiles.Metric(path, 2, "numTargetChangeFilesAdded"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_SourceOnlyValues_PairsPathCarriesTheTargetRowsOldValues(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");

        // The silver shape: updateAll / insertAll under conditions that read both sides (the pairs path on a
        // deletion-vector table), plus a delete whose condition reads the source.
        var merge = Merge(path, Source("(1, 'A', 5), (2, 'B', 25), (12, 'gone', 0), (13, 'n', 130), (14, 'o', 140)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.name = 'gone'"));
        merge.MatchedActions.Add(UpdateAll("s.amount > t.amount"));
        merge.NotMatchedActions.Add(InsertAll("s.id <> 14"));
        Assert.Equal(new long[] { 3, 1, 1, 1 }, await MergeAsync(spark, merge));

        // 1 is matched but not newer (5 < 10): unchanged, no change row. 14 is not inserted.
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "13|n|130", "2|B|25", "3|c|30");
        ChangeDataFiles.AssertRows(path, 2, "12|l|120|delete", "13|n|130|insert", "2|B|25|update_postimage", "2|b|20|update_preimage");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_PartitionedTable_WritesChangeDataPerPartitionWithoutThePartitionColumn(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, ["name"], deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'a', 30)");

        var merge = Merge(path, Source("(1, 'a', 11), (2, 'b', 0), (5, 'c', 50)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.amount = 0"));
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 3, 1, 1, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|11", "3|a|30", "5|c|50");
        Assert.Equal(
            new[] { "1|a|10|update_preimage", "1|a|11|update_postimage", "2|b|20|delete", "5|c|50|insert" },
            ChangeDataFiles.Rows(path, 1, partitionColumn: "name"));
        var cdc = ChangeDataFiles.Actions(path, 1);
        Assert.Equal(new[] { "a", "b", "c" }, cdc.Select(c => c.PartitionValues["name"]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(cdc, c => Assert.StartsWith($"_change_data/name={c.PartitionValues["name"]}/", c.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_InsertOnly_WritesTheInsertsAsChangeData(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, Source("(2, 'x', 5), (4, 'd', 40), (5, 'e', 50)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > t.amount"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 0, 0, 2 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "4|d|40", "5|e|50");
        ChangeDataFiles.AssertRows(path, 1, "4|d|40|insert", "5|e|50|insert");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_SeveralSourceRowsDeleteOneTargetRow_OneDeleteRow(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");

        var merge = Merge(path, Source("(2, 'x', 0), (2, 'y', 0), (3, 'z', 0)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete());
        await MergeAsync(spark, merge);

        DeltaTables.AssertRows(path, "1|a|10");
        ChangeDataFiles.AssertRows(path, 1, "2|b|20|delete", "3|c|30|delete");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_NotMatchedBySource_WritesTheUnmatchedRowsChanges(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110)");

        var merge = Merge(path, Source("(2, 'x', 0), (7, 'n', 70)"), "t.id = s.id");
        merge.NotMatchedActions.Add(InsertAll());
        merge.NotMatchedBySourceActions.Add(Delete("t.id > 10"));
        merge.NotMatchedBySourceActions.Add(Update(null, Set("amount", "-1")));
        await MergeAsync(spark, merge);

        DeltaTables.AssertRows(path, "1|a|-1", "2|b|20", "3|c|-1", "7|n|70");
        ChangeDataFiles.AssertRows(path, 2,
            "1|a|-1|update_postimage", "1|a|10|update_preimage", "11|k|110|delete",
            "3|c|-1|update_postimage", "3|c|30|update_preimage", "7|n|70|insert");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_FeedOff_WritesNoChangeData(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: false, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, Source("(1, 'A', 11), (2, 'b', 0), (3, 'c', 30)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.amount = 0"));
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 3, 1, 1, 1 }, await MergeAsync(spark, merge));

        ChangeDataFiles.AssertNone(path, 1);
        Assert.Equal(0, ChangeDataFiles.Metric(path, 1, "numTargetChangeFilesAdded"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_NothingChanges_CommitsNothingAndWritesNoChangeData(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20)");

        // Matches whose clause condition is false, and no insert clause.
        var merge = Merge(path, Source("(1, 'A', 1), (9, 'z', 900)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > t.amount"));
        Assert.Equal(new long[] { 0, 0, 0, 0 }, await MergeAsync(spark, merge));

        Assert.False(File.Exists(Path.Combine(path, "_delta_log", $"{1:D20}.json")));
        ChangeDataFiles.AssertNone(path, 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_CrashBeforeTheCommit_LeavesNoChangeDataFiles(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20)");
        var wrote = false;
        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () =>
        {
            wrote = Directory.GetFiles(Path.Combine(path, "_change_data"), "*.parquet", SearchOption.AllDirectories).Length > 0;
            throw new IOException("injected: the process died before the commit");
        };

        var merge = Merge(path, Source("(2, 'B', 21), (3, 'c', 30)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        await Assert.ThrowsAsync<Lakehouse.Spark.SparkConnectException>(() => MergeAsync(spark, merge));

        Assert.True(wrote, "the change data file existed before the commit");
        Assert.Empty(Directory.GetFiles(Path.Combine(path, "_change_data"), "*", SearchOption.AllDirectories));
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
    }
}
