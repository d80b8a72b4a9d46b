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

    [Fact]
    public async Task Load_OverwriteRestoreAndOptimize_RemovesAreDeletesAddsAreInsertsWithTheirDeletionVectorsAndOptimizeIsNothing()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = ChangeFeedTable.Create(dir.Combine("t"), deletionVectors: true);
        await t.AppendAsync((1, "a", null), (2, "b", null), (3, "c", null));                // v1: F1
        t.DeleteRows(t.Table.Snapshot().Files.Single().Path, 1);                              // v2: F1 loses row 1 (id 2) by a deletion vector
        await t.AppendAsync((4, "d", null));                                                  // v3: F2
        await t.Table.OverwriteAsync([new Apache.Arrow.RecordBatch.Builder()
            .Append("id", false, new Apache.Arrow.Int64Array.Builder().Append(5).Build())
            .Append("name", true, new Apache.Arrow.StringArray.Builder().Append("e").Build()).Build()]); // v4: F1 (with its vector) and F2 out, F3 in
        Lakehouse.Delta.Maintenance.Restore.ToVersion(t.Path, 3);                             // v5: F1 (with its vector) and F2 back, F3 out
        await Lakehouse.Delta.Maintenance.Optimize.RunAsync(t.Path);                           // v6: F1 and F2 compacted, no data change
        t.SetCommitTimes();
        await using var spark = await server.SessionAsync();

        Assert.Equal(
            Sorted(
                Expected(4, "d", "insert", 3),
                Expected(1, "a", "delete", 4), Expected(3, "c", "delete", 4), Expected(4, "d", "delete", 4), Expected(5, "e", "insert", 4),
                Expected(1, "a", "insert", 5), Expected(3, "c", "insert", 5), Expected(4, "d", "insert", 5), Expected(5, "e", "delete", 5)),
            await RowsAsync(Changes(spark, 3, 6).Load(t.Path)));
        Assert.Empty(await RowsAsync(Changes(spark, 6).Load(t.Path)));
    }

    [Fact]
    public async Task Load_CommitReplacingADeletionVectorWithoutCdc_RefusedNamingTheVersion()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = ChangeFeedTable.Create(dir.Combine("t"), deletionVectors: true);
        await t.AppendAsync((1, "a", null), (2, "b", null));
        t.DeleteRows(t.Table.Snapshot().Files.Single().Path, 0);
        await t.AppendAsync((3, "c", null));
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 1).Load(t.Path).CollectAsync());

        Assert.Equal("DELTA_MISSING_CHANGE_DATA", e.ErrorClass);
        Assert.Contains("Version 2 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("deletion vector", e.Message, StringComparison.Ordinal);
        Assert.Single(await Changes(spark, 3).Load(t.Path).CollectAsync());
    }

    [Fact]
    public async Task Load_Partitioned_PartitionValuesComeFromEachActionAndFiltersOnThemWork()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = ChangeFeedTable.Create(dir.Combine("t"), partitioned: true);
        await t.AppendAsync((1, "a", "x"), (2, "b", "y"));
        var cdc = await t.ChangeFilesAsync((1, "a", "x", "delete"), (3, "c", "y", "insert"), (2, "b", null, "update_preimage"), (2, "B", null, "update_postimage"));
        var snapshot = t.Table.Snapshot();
        var adds = await t.DataFilesAsync((2, "b", "y"), (3, "c", "y"));
        t.Commit("MERGE", cdc.Select(c => new DeltaAction { Cdc = c }), snapshot.Files.Select(f => (DeltaAction)RemoveFile.For(f, 0)), adds.Select(a => (DeltaAction)a));
        t.SetCommitTimes();
        await using var spark = await server.SessionAsync();
        var feed = Changes(spark, 1).Load(t.Path);

        var rows = (await feed.CollectAsync()).Select(r => $"{r.Get<long>("id")}|{r.Get<string>("name")}|{r.Get<string>("part") ?? "NULL"}|{r.Get<string>("_change_type")}|{r.Get<long>("_commit_version")}");
        var inY = await feed.Filter(Col("part") == "y").Select("id", "_change_type").CollectAsync();

        Assert.Equal(
            ["1|a|x|delete|2", "1|a|x|insert|1", "2|B|NULL|update_postimage|2", "2|b|NULL|update_preimage|2", "2|b|y|insert|1", "3|c|y|insert|2"],
            rows.Order(StringComparer.Ordinal));
        Assert.Equal(["2|insert", "3|insert"], inY.Select(r => $"{r.Get<long>("id")}|{r.Get<string>("_change_type")}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Table_ByName_ReadsTheFeedOfTheWarehouseTable()
    {
        var t = await AppendsAndMergeAsync(Path.Combine(server.Warehouse, "cdfdb", "orders_" + Guid.NewGuid().ToString("N")));
        await using var spark = await server.SessionAsync();

        var df = spark.Read.Option("readChangeFeed", "true").Option("startingVersion", "3").Table("cdfdb." + Path.GetFileName(t.Path));

        Assert.Equal([Expected(4, "d", "insert", 3)], await RowsAsync(df));
    }

    [Fact]
    public async Task Load_FeedTurnedOnLater_RangeFromBeforeIsRefusedNamingTheVersionAndFromTheChangeOnReads()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = ChangeFeedTable.Create(dir.Combine("t"), enabled: false);
        await t.AppendAsync((1, "a", null));                                                        // v1: feed off
        t.Table.SetProperties(new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "true" }); // v2
        await t.AppendAsync((2, "b", null));                                                        // v3
        t.Table.SetProperties(new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "false" }); // v4: off again
        t.SetCommitTimes();
        await using var spark = await server.SessionAsync();

        var before = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 1, 3).Load(t.Path).CollectAsync());
        var after = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 2).Load(t.Path).CollectAsync());

        Assert.Equal("DELTA_MISSING_CHANGE_DATA", before.ErrorClass);
        Assert.Contains("at version 1 ", before.Message, StringComparison.Ordinal);
        Assert.Contains("delta.enableChangeDataFeed", before.Message, StringComparison.Ordinal);
        Assert.Equal("DELTA_MISSING_CHANGE_DATA", after.ErrorClass);
        Assert.Contains("at version 4 ", after.Message, StringComparison.Ordinal);
        Assert.Equal([Expected(2, "b", "insert", 3)], await RowsAsync(Changes(spark, 2, 3).Load(t.Path)));
    }

    [Fact]
    public async Task Load_RangeOutsideTheTable_ClearErrorsAndAnEndBeyondTheLatestStopsAtIt()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = await AppendsAndMergeAsync(dir.Combine("t"));
        await using var spark = await server.SessionAsync();

        // Delta on Spark refuses a start after the latest version (latest + 1 included), and an end before the start;
        // an end after the latest version reads to the latest.
        var afterLatest = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 4).Load(t.Path).CollectAsync());
        var backwards = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 3, 2).Load(t.Path).CollectAsync());
        var noStart = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Format("delta").Option("readChangeFeed", "true").Load(t.Path).CollectAsync());
        var notANumber = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Format("delta").Option("readChangeFeed", "true").Option("startingVersion", "two").Load(t.Path).CollectAsync());

        Assert.Contains("starting version 4", afterLatest.Message, StringComparison.Ordinal);
        Assert.Contains("latest version", afterLatest.Message, StringComparison.Ordinal);
        Assert.Equal("DELTA_INVALID_CDC_RANGE", backwards.ErrorClass);
        Assert.Contains("before it starts", backwards.Message, StringComparison.Ordinal);
        Assert.Contains("startingVersion", noStart.Message, StringComparison.Ordinal);
        Assert.Contains("'two'", notANumber.Message, StringComparison.Ordinal);
        Assert.Equal([Expected(4, "d", "insert", 3)], await RowsAsync(Changes(spark, 3, 99).Load(t.Path)));
    }

    [Fact]
    public async Task Load_VacuumedFiles_ErrorNamesTheVersionThatNeedsThem()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = await AppendsAndMergeAsync(dir.Combine("t"));
        // VACUUM with no retention deletes the file v1 added and v2 removed, and v2's cdc file (no snapshot reads
        // cdc files), but nothing the latest version reads.
        Lakehouse.Delta.Maintenance.Vacuum.Run(t.Path, new Lakehouse.Delta.Maintenance.VacuumOptions { Retention = TimeSpan.Zero, DisableRetentionCheck = true });
        await using var spark = await server.SessionAsync();

        var fromOne = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 1).Load(t.Path).CollectAsync());
        var fromTwo = await Assert.ThrowsAsync<SparkConnectException>(() => Changes(spark, 2).Load(t.Path).CollectAsync());

        Assert.Equal("DELTA_CHANGE_DATA_FILE_NOT_FOUND", fromOne.ErrorClass);
        Assert.Contains("at version 1", fromOne.Message, StringComparison.Ordinal);
        Assert.Equal("DELTA_CHANGE_DATA_FILE_NOT_FOUND", fromTwo.ErrorClass);
        Assert.Contains("change data file at version 2", fromTwo.Message, StringComparison.Ordinal);
        Assert.Equal([Expected(4, "d", "insert", 3)], await RowsAsync(Changes(spark, 3).Load(t.Path)));
    }

    [Fact]
    public async Task Load_Timestamps_StartIsTheFirstCommitAtOrAfterAndEndTheLastAtOrBefore()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = await AppendsAndMergeAsync(dir.Combine("t"));   // version v committed at 2026-01-01 + v hours
        await using var spark = await server.SessionAsync();
        DataFrameReader Feed() => spark.Read.Format("delta").Option("readChangeFeed", "true");

        var between = await RowsAsync(Feed().Option("startingTimestamp", "2026-01-01 01:30:00").Option("endingTimestamp", "2026-01-01T02:59:59Z").Load(t.Path));
        var exact = await RowsAsync(Feed().Option("startingTimestamp", "2026-01-01T03:00:00Z").Load(t.Path));
        var versionToTime = await RowsAsync(Feed().Option("startingVersion", "1").Option("endingTimestamp", "2026-01-01 01:00:00").Load(t.Path));
        var late = await Assert.ThrowsAsync<SparkConnectException>(() => Feed().Option("startingTimestamp", "2026-01-01 03:00:01").Load(t.Path).CollectAsync());
        var both = await Assert.ThrowsAsync<SparkConnectException>(() => Feed().Option("startingVersion", "1").Option("startingTimestamp", "2026-01-01 01:00:00").Load(t.Path).CollectAsync());

        Assert.Equal(Sorted(Expected(2, "b", "update_preimage", 2), Expected(2, "B", "update_postimage", 2), Expected(3, "c", "delete", 2)), between);
        Assert.Equal([Expected(4, "d", "insert", 3)], exact);
        Assert.Equal(Sorted(Expected(1, "a", "insert", 1), Expected(2, "b", "insert", 1), Expected(3, "c", "insert", 1)), versionToTime);
        Assert.Contains("after the latest commit", late.Message, StringComparison.Ordinal);
        Assert.Equal("DELTA_MULTIPLE_CDC_BOUNDARY", both.ErrorClass);
    }

    [Fact]
    public async Task Load_ColumnAddedInTheRange_EndVersionSchemaAndOlderFilesReadNull()
    {
        using var dir = new TempDirectory("cdf-read");
        var t = ChangeFeedTable.Create(dir.Combine("t"));
        await t.AppendAsync((1, "a", null));                                                                  // v1
        await t.Table.AppendAsync([new Apache.Arrow.RecordBatch.Builder()
            .Append("id", false, new Apache.Arrow.Int64Array.Builder().Append(2).Build())
            .Append("name", true, new Apache.Arrow.StringArray.Builder().Append("b").Build())
            .Append("score", true, new Apache.Arrow.Int64Array.Builder().Append(10).Build()).Build()],
            new Lakehouse.Delta.Transactions.WriteOptions { MergeSchema = true });                            // v2 adds score
        await using var spark = await server.SessionAsync();
        var feed = Changes(spark, 1).Load(t.Path);

        var rows = (await feed.CollectAsync()).Select(r => $"{r.Get<long>("id")}|{r.Get<string>("name")}|{r["score"] ?? "NULL"}|{r.Get<string>("_change_type")}|{r.Get<long>("_commit_version")}");

        Assert.Equal(["id", "name", "score", "_change_type", "_commit_version", "_commit_timestamp"], await feed.ColumnsAsync());
        Assert.Equal(["1|a|NULL|insert|1", "2|b|10|insert|2"], rows.Order(StringComparer.Ordinal));
        Assert.Equal(["id", "name", "_change_type", "_commit_version", "_commit_timestamp"], await Changes(spark, 1, 1).Load(t.Path).ColumnsAsync());
    }
}
