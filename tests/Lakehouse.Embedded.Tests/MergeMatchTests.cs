using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// MERGE cases where a match changes nothing: a source row that matches a target row is never inserted, even when
/// no clause changes that row and its file is not rewritten; a target row matched by several source rows of which
/// none changes it is written back once.
/// </summary>
public sealed class MergeMatchTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Source(string values) => $"SELECT * FROM (VALUES {values}) AS v(id, name, amount)";

    [Fact]
    public async Task Merge_SourceRowMatchedInAnUnchangedFile_IsNotInsertedWhileAnotherFileIsRewritten()
    {
        using var dir = new TempDirectory("merge-match");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");
        var first = DeltaTables.FileWithId(path, 1);

        // 11 matches but the clause condition is false for it: matched, unchanged, and so not inserted either.
        var merge = Merge(path, Source("(1, 'A', 5000), (11, 'K', 1), (15, 'new', 150)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > 1000"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal([first], DeltaTables.Removed(path, 2));
        DeltaTables.AssertRows(path, "1|A|5000", "11|k|110", "12|l|120", "15|new|150", "2|b|20");
    }

    [Fact]
    public async Task Merge_SourceRowMatchedInAnUnchangedFile_IsNotInsertedWhenNoFileIsRewritten()
    {
        using var dir = new TempDirectory("merge-match");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");

        var merge = Merge(path, Source("(11, 'K', 1), (15, 'new', 150)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > 1000"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 1, 0, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Empty(DeltaTables.Removed(path, 2));
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120", "15|new|150", "2|b|20");
    }

    [Fact]
    public async Task Merge_TargetRowMatchedTwiceWithoutChange_IsCopiedOnceWhenItsFileIsRewritten()
    {
        using var dir = new TempDirectory("merge-match");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");

        // Row 2 is matched by two source rows, neither of which the clause applies to; row 1 is updated, so the file
        // is rewritten and row 2 must come out exactly once.
        var merge = Merge(path, Source("(2, 'x', 1), (2, 'y', 2), (1, 'A', 5000)"), "t.id = s.id");
        merge.MatchedActions.Add(Update("s.amount > 1000", Set("name", "s.name")));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 1, 1, 0, 0 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|A|10", "2|b|20", "3|c|30");
        Assert.Single(DeltaTables.Removed(path, 1));
    }
}
