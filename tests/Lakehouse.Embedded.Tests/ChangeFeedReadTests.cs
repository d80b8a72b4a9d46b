using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Reading a Delta table's change data feed (<c>readChangeFeed</c>) through the Spark API. Tables are built commit by
/// commit (<see cref="ChangeFeedTable"/>): appends, overwrites and OPTIMIZE by Lakehouse.Delta, commits with cdc
/// actions by hand. Each expected row is written out from the commit that made it: (id, name, _change_type,
/// _commit_version) plus the commit timestamp the test gave that version.
/// </summary>
public sealed class ChangeFeedReadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static DataFrameReader Changes(SparkSession spark, long start, long? end = null)
    {
        var reader = spark.Read.Format("delta").Option("readChangeFeed", "true").Option("startingVersion", start.ToString(CultureInfo.InvariantCulture));
        return end is { } e ? reader.Option("endingVersion", e.ToString(CultureInfo.InvariantCulture)) : reader;
    }

    /// <summary>A feed row as "id|name|change|version|timestamp", the timestamp as <see cref="ChangeFeedTable.Time"/> of the version.</summary>
    private static string Expected(long id, string? name, string change, long version) =>
        $"{id}|{name ?? "NULL"}|{change}|{version}|{ChangeFeedTable.Time(version):O}";

    private static async Task<List<string>> RowsAsync(DataFrame df) =>
        [.. (await df.CollectAsync()).Select(r =>
            $"{r.Get<long>("id")}|{r.Get<string>("name") ?? "NULL"}|{r.Get<string>("_change_type")}|{r.Get<long>("_commit_version")}|{Instant(r["_commit_timestamp"]):O}")
            .Order(StringComparer.Ordinal)];

    private static DateTimeOffset Instant(object? value) => value switch
    {
        DateTimeOffset d => d.ToUniversalTime(),
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => throw new InvalidOperationException($"_commit_timestamp is {value?.GetType().Name ?? "null"}"),
    };

    private static List<string> Sorted(params string[] rows) => [.. rows.Order(StringComparer.Ordinal)];

    /// <summary>v1 appends 1..3; v2 is a MERGE with cdc actions (2 updated, 3 deleted) whose add and remove are not
    /// changes; v3 appends 4.</summary>
    private static async Task<ChangeFeedTable> AppendsAndMergeAsync(string path)
    {
        var t = ChangeFeedTable.Create(path);
        await t.AppendAsync((1, "a", null), (2, "b", null), (3, "c", null));
        var old = t.Table.Snapshot().Files.Single();
        var rewritten = await t.DataFilesAsync((1, "a", null), (2, "B", null));
        var cdc = await t.ChangeFilesAsync((2, "b", null, "update_preimage"), (2, "B", null, "update_postimage"), (3, "c", null, "delete"));
        t.Commit("MERGE", cdc.Select(c => (DeltaAction)new DeltaAction { Cdc = c }), [RemoveFile.For(old, 0)], rewritten.Select(a => (DeltaAction)a));
        await t.AppendAsync((4, "d", null));
        t.SetCommitTimes();
        return t;
    }

    [Fact]
    public async Task Load_CdcActionsAndAppends_CdcFilesAreTheMergeChangesAndAddsAreInserts()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = await AppendsAndMergeAsync(dir.Combine("t"));
        await using var spark = await server.SessionAsync();

        Assert.Equal(
            Sorted(
                Expected(1, "a", "insert", 1), Expected(2, "b", "insert", 1), Expected(3, "c", "insert", 1),
                Expected(2, "b", "update_preimage", 2), Expected(2, "B", "update_postimage", 2), Expected(3, "c", "delete", 2),
                Expected(4, "d", "insert", 3)),
            await RowsAsync(Changes(spark, 1, 3).Load(t.Path)));
        Assert.Equal(
            Sorted(Expected(2, "b", "update_preimage", 2), Expected(2, "B", "update_postimage", 2), Expected(3, "c", "delete", 2)),
            await RowsAsync(Changes(spark, 2, 2).Load(t.Path)));
        // Without endingVersion the feed runs to the latest version; version 0 (CREATE TABLE) changed no rows.
        Assert.Equal(
            Sorted(Expected(2, "b", "update_preimage", 2), Expected(2, "B", "update_postimage", 2), Expected(3, "c", "delete", 2), Expected(4, "d", "insert", 3)),
            await RowsAsync(Changes(spark, 2).Load(t.Path)));
        Assert.Equal(7, await Changes(spark, 0).Load(t.Path).CountAsync());
    }

    [Fact]
    public async Task Load_Schema_TableColumnsThenTheFeedColumns()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = await AppendsAndMergeAsync(dir.Combine("t"));
        await using var spark = await server.SessionAsync();

        var columns = await Changes(spark, 1).Load(t.Path).ColumnsAsync();

        Assert.Equal(["id", "name", "_change_type", "_commit_version", "_commit_timestamp"], columns);
    }

    [Fact]
    public async Task Load_FilterAggregateAndJoin_WorkOnTheFeed()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = await AppendsAndMergeAsync(dir.Combine("t"));
        await using var spark = await server.SessionAsync();
        var feed = Changes(spark, 1, 3).Load(t.Path);

        var counts = (await feed.GroupBy("_change_type").Agg(Count(Lit(1)).Alias("n"), Max(Col("_commit_version")).Alias("v")).CollectAsync())
            .ToDictionary(r => r.Get<string>("_change_type")!, r => (r.Get<long>("n"), r.Get<long>("v")));
        var newest = await feed.Filter(Col("_change_type").IsIn("insert", "update_postimage") & (Col("_commit_version") >= 2)).Select("id", "name").CollectAsync();
        var current = spark.Read.Format("delta").Load(t.Path);
        var deletedStillThere = await feed.Filter(Col("_change_type") == "delete").Join(current, "id").CountAsync();

        Assert.Equal(new Dictionary<string, (long, long)>
        {
            ["insert"] = (4, 3), ["update_preimage"] = (1, 2), ["update_postimage"] = (1, 2), ["delete"] = (1, 2),
        }, counts);
        Assert.Equal(["2|B", "4|d"], newest.Select(r => $"{r.Get<long>("id")}|{r.Get<string>("name")}").Order(StringComparer.Ordinal));
        Assert.Equal(0, deletedStillThere);
    }
}
