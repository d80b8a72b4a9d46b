using System.Text.Json.Nodes;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// The counts a MERGE reports (its result row and commitInfo.operationMetrics) when inserts, updates and deletes mix,
/// including target files whose add actions carry no statistics (PROTOCOL.md makes them optional). Expected counts
/// are worked out by hand from the rows.
/// </summary>
public sealed class MergeCountTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Source(string values) => $"SELECT * FROM (VALUES {values}) AS v(id, name, amount)";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Merge_DeleteUpdateAndConditionalInsert_ReportsEachCount(bool withoutStatistics)
    {
        using var dir = new TempDirectory("merge-count");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");
        if (withoutStatistics)
        {
            StripStatistics(path, 0);
        }

        // 1 is deleted, 2 updated, 3 copied; 4 is inserted, 5 is not (the insert's condition is false for it).
        var merge = Merge(path, Source("(1, 'del', 0), (2, 'B', 200), (4, 'd', 40), (5, 'e', 50)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.name = 'del'"));
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll("s.id = 4"));
        Assert.Equal(new long[] { 3, 1, 1, 1 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "11|k|110", "12|l|120", "2|B|200", "3|c|30", "4|d|40");

        var m = DeltaTables.Info(path, 2).OperationMetrics!;
        Assert.Equal("4", m["numSourceRows"]);
        Assert.Equal("1", m["numTargetRowsInserted"]);
        Assert.Equal("1", m["numTargetRowsUpdated"]);
        Assert.Equal("1", m["numTargetRowsDeleted"]);
        Assert.Equal("1", m["numTargetRowsCopied"]);
        Assert.Equal("3", m["numOutputRows"]);
        Assert.Equal("1", m["numTargetFilesRemoved"]);
    }

    [Fact]
    public async Task Merge_OnlyInsertsIntoFileWithoutStatistics_CountsTheInsertedRows()
    {
        using var dir = new TempDirectory("merge-count");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");
        StripStatistics(path, 0);

        // 2 matches and stays as it is; 3 and 4 are new.
        var merge = Merge(path, Source("(2, 'x', 0), (3, 'c', 30), (4, 'd', 40)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > 100"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 0, 0, 2 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|c|30", "4|d|40");
        Assert.Empty(DeltaTables.Removed(path, 1));
        Assert.Equal("2", DeltaTables.Info(path, 1).OperationMetrics!["numTargetRowsInserted"]);
    }

    [Fact]
    public async Task Merge_DuplicateNewKeysOutsideEveryFilesRange_AreAllInsertedBesideAnUpdate()
    {
        using var dir = new TempDirectory("merge-count");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");
        var first = DeltaTables.FileWithId(path, 1);

        // 50 is above every file's id range, so it matches nothing and both its rows are inserted (Delta inserts every
        // not-matched source row, duplicates included); 2 is updated. The keys that can match (2) are unique.
        var merge = Merge(path, Source("(2, 'B', 200), (50, 'x', 1), (50, 'y', 2)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 3, 1, 0, 2 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120", "2|B|200", "3|c|30", "50|x|1", "50|y|2");
        Assert.Equal([first], DeltaTables.Removed(path, 2));

        var m = DeltaTables.Info(path, 2).OperationMetrics!;
        Assert.Equal("3", m["numSourceRows"]);
        Assert.Equal("2", m["numTargetRowsInserted"]);
        Assert.Equal("1", m["numTargetRowsUpdated"]);
        Assert.Equal("2", m["numTargetRowsCopied"]);
        Assert.Equal("5", m["numOutputRows"]);
    }

    [Fact]
    public async Task Merge_TwoKeysWithDuplicateTuplesOutsideTheFilesRanges_InsertsBothBesideAnUpdate()
    {
        using var dir = new TempDirectory("merge-count");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");
        var first = DeltaTables.FileWithId(path, 1);

        // (2, 'z'): id 2 lies in the first file's range but name 'z' lies above every file's name range, so the tuple
        // matches nothing and both its rows are inserted; (2, 'b') is updated.
        var merge = Merge(path, Source("(2, 'b', 200), (2, 'z', 5), (2, 'z', 6)"), "t.id = s.id AND t.name = s.name");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 3, 1, 0, 2 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120", "2|b|200", "2|z|5", "2|z|6");
        Assert.Equal([first], DeltaTables.Removed(path, 2));
        Assert.Equal("1", DeltaTables.Info(path, 2).OperationMetrics!["numTargetRowsCopied"]);
    }

    [Fact]
    public async Task Merge_DuplicateKeyInsideAFilesRangeBesideDuplicateNewKeys_StillFailsAsAmbiguous()
    {
        using var dir = new TempDirectory("merge-count");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");

        // The duplicates of 50 match nothing and may be inserted twice; the two rows for 11 both update one target row.
        var merge = Merge(path, Source("(50, 'x', 1), (50, 'y', 2), (11, 'K', 1), (11, 'L', 2)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        var e = await Assert.ThrowsAsync<Lakehouse.Spark.SparkConnectException>(() => MergeAsync(spark, merge));

        Assert.Equal("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE", e.ErrorClass);
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120", "2|b|20");
    }

    /// <summary>Rewrites one commit with its add actions' stats removed, as a writer that collects none would leave it.</summary>
    private static void StripStatistics(string path, long version)
    {
        var file = Path.Combine(path, "_delta_log", $"{version:D20}.json");
        var lines = File.ReadAllLines(file).Select(line =>
        {
            var action = JsonNode.Parse(line)!.AsObject();
            (action["add"] as JsonObject)?.Remove("stats");
            return action.ToJsonString();
        });
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
    }
}
