using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Delta;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos.Delta;
using static Lakehouse.Embedded.Tests.DeltaPlans;
using F = Lakehouse.Spark.Functions;
using SparkDeltaTable = Lakehouse.Spark.Delta.DeltaTable;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// MERGE's guarantees: ambiguous matches and NULL keys as Delta defines them, only the files with changed rows
/// rewritten (checked on the log's remove/add actions), one atomic commit (a failure before it leaves the table
/// unchanged; a concurrent merge of the same rows loses with a concurrent-modification error), schema evolution.
/// </summary>
public sealed class MergeSafetyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Source(string values) => $"SELECT * FROM (VALUES {values}) AS v(id, name, amount)";

    [Fact]
    public async Task Merge_TwoSourceRowsMatchOneTargetRow_FailsAndLeavesTableUnchanged()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, Source("(2, 'x', 1), (2, 'y', 2), (3, 'z', 3)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => MergeAsync(spark, merge));

        Assert.Equal("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE", e.ErrorClass);
        Assert.Equal(0, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
        Assert.Single(Directory.GetFiles(path, "*.parquet"));
    }

    [Fact]
    public async Task Merge_TwoSourceRowsMatchButOnlyOneWouldModify_Succeeds()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        // Delta counts a target row as multiply matched only when a matched clause applies to more than one pair.
        var merge = Merge(path, Source("(2, 'x', 1), (2, 'y', 2)"), "t.id = s.id");
        merge.MatchedActions.Add(Update("s.name = 'y'", Set("name", "s.name")));
        Assert.Equal(new long[] { 1, 1, 0, 0 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10", "2|y|20");
    }

    [Fact]
    public async Task Merge_DuplicateKeysWithOnlyUnconditionalDelete_DeletesOnce()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, Source("(2, 'x', 1), (2, 'y', 2)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete());
        Assert.Equal(new long[] { 1, 0, 1, 0 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10");
    }

    [Fact]
    public async Task Merge_NullKeys_NeverMatchSoSourceNullsAreInsertedAndTargetNullsKept()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (NULL, 'n', 0)");

        var merge = Merge(path, Source("(CAST(NULL AS BIGINT), 'm', 5), (1, 'A', 11)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|A|11", "NULL|m|5", "NULL|n|0");
    }

    [Fact]
    public async Task Merge_UnpartitionedTarget_RewritesOnlyTheFileWithMatchedRows()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)", "(21, 'u', 210), (22, 'v', 220)");
        var middle = DeltaTables.FileWithId(path, 11);

        // Source key 15 lies in no file's range (pruned by statistics); 11 lies in the middle file only.
        var merge = Merge(path, Source("(11, 'K', 111), (15, 'new', 150)"), "s.id = t.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal([middle], DeltaTables.Removed(path, 3));
        var m = DeltaTables.Info(path, 3).OperationMetrics!;
        Assert.Equal("1", m["numTargetFilesRemoved"]);
        Assert.Equal("1", m["numTargetRowsCopied"]);
        Assert.Equal("3", m["numOutputRows"]);
        DeltaTables.AssertRows(path, "1|a|10", "11|K|111", "12|l|120", "15|new|150", "2|b|20", "21|u|210", "22|v|220");
        // The rewritten rows and the inserted row go to one new file.
        Assert.Single(DeltaTables.Added(path, 3));
        Assert.Equal(3, Snapshot.Load(path).Files.Count);
    }

    [Fact]
    public async Task Merge_PartitionedTarget_RewritesOnlyTheTouchedPartitionsFiles()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, ["name"], "(1, 'a', 10), (2, 'b', 20), (3, 'b', 30), (4, 'c', 40)");
        var before = Snapshot.Load(path).Files.ToDictionary(f => f.PartitionValues["name"]!, f => f.Path);

        var merge = Merge(path, Source("(3, 'b', 33), (5, 'd', 50)"), "t.name = s.name AND t.id = s.id");
        merge.MatchedActions.Add(Update(null, Set("amount", "s.amount")));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal([before["b"]], DeltaTables.Removed(path, 1));
        var added = DeltaTables.Added(path, 1);
        Assert.Equal(2, added.Count);
        Assert.Contains(added, p => p.StartsWith("name=b/", StringComparison.Ordinal));
        Assert.Contains(added, p => p.StartsWith("name=d/", StringComparison.Ordinal));
        Assert.Equal(["1|a|10", "2|b|20", "3|b|33", "4|c|40", "5|d|50"], DeltaTables.Rows(path).Select(Reorder).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Merge_WithSchemaEvolution_AddsTheSourcesNewColumns()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, "SELECT * FROM (VALUES (2, 'B', 21, 'x'), (3, 'c', 30, 'y')) AS v(id, name, amount, note)", "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        merge.WithSchemaEvolution = true;
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        var snapshot = Snapshot.Load(path);
        Assert.Equal(["id", "name", "amount", "note"], snapshot.Schema.Fields.Select(f => f.Name));
        DeltaTables.AssertRows(path, "1|a|10|NULL", "2|B|21|x", "3|c|30|y");
    }

    [Fact]
    public async Task Merge_WithoutSchemaEvolution_IgnoresExtraSourceColumnsInUpdateAll()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");

        var merge = Merge(path, "SELECT * FROM (VALUES (1, 'A', 11, 'x')) AS v(id, name, amount, note)", "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        await MergeAsync(spark, merge);
        Assert.Equal(3, Snapshot.Load(path).Schema.Fields.Count);
        DeltaTables.AssertRows(path, "1|A|11");
    }

    [Fact]
    public async Task Merge_FailureBetweenDataWriteAndCommit_LeavesTableAndDirectoryUnchanged()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");
        var filesBefore = Directory.GetFiles(path, "*.parquet", SearchOption.AllDirectories).Order().ToList();

        var wrote = false;
        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () =>
        {
            wrote = Directory.GetFiles(path, "*.parquet", SearchOption.AllDirectories).Length > filesBefore.Count;
            throw new IOException("injected: the process died before the commit");
        };
        var merge = Merge(path, Source("(2, 'B', 21), (3, 'c', 30)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        await Assert.ThrowsAsync<SparkConnectException>(() => MergeAsync(spark, merge));

        Assert.True(wrote, "the new data files existed before the commit");
        Assert.Equal(0, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
        Assert.Equal(filesBefore, Directory.GetFiles(path, "*.parquet", SearchOption.AllDirectories).Order());
    }

    [Fact]
    public async Task Merge_ConcurrentMergesOfTheSameRows_OneWinsTheOtherGetsAConflict()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var first = await server.SessionAsync();
        await using var second = await server.SessionAsync();
        await DeltaTables.CreateAsync(first, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var winner = Merge(path, Source("(2, 'winner', 0)"), "t.id = s.id");
        winner.MatchedActions.Add(Update(null, Set("name", "s.name")));
        var loser = Merge(path, Source("(2, 'loser', 0)"), "t.id = s.id");
        loser.MatchedActions.Add(Update(null, Set("name", "s.name")));

        // The loser has read version 0 and written its files when the winner commits version 1.
        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () => MergeAsync(second, winner).GetAwaiter().GetResult();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => MergeAsync(first, loser));

        Assert.StartsWith("DELTA_CONCURRENT", e.ErrorClass, StringComparison.Ordinal);
        Assert.Equal("2D521", e.SqlState);
        Assert.Equal(1, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|winner|20");
    }

    [Fact]
    public async Task Merge_ConditionAsExpressionTree_MatchesLikeTheString()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var merge = new MergeIntoTable
        {
            Target = Target(path),
            Source = DeltaPlans.Source(Source("(2, 'B', 21), (3, 'c', 30)")),
            Condition = Fn("and", Fn("==", Col("t.id"), Col("s.id")), Fn(">", Col("s.amount"), Lit(0))),
        };
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|a|10", "2|B|21", "3|c|30");
    }

    [Fact]
    public async Task Merge_TxnAppIdAndUserMetadataConfs_AreIdempotentAndRecorded()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");
        await spark.Conf.SetAsync(CommitSettings.TxnAppIdKey, "silver-job");
        await spark.Conf.SetAsync(CommitSettings.TxnVersionKey, "7");
        await spark.Conf.SetAsync(CommitSettings.UserMetadataKey, "run 7");

        MergeIntoTable Upsert()
        {
            var merge = Merge(path, Source("(2, 'b', 20)"), "t.id = s.id");
            merge.NotMatchedActions.Add(InsertAll());
            return merge;
        }

        Assert.Equal(new long[] { 1, 0, 0, 1 }, await MergeAsync(spark, Upsert()));
        Assert.Equal(new long[] { 0, 0, 0, 0 }, await MergeAsync(spark, Upsert()));

        var snapshot = Snapshot.Load(path);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(7, snapshot.TransactionVersion("silver-job"));
        Assert.Equal("run 7", DeltaTables.Info(path, 1).UserMetadata);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
    }

    [Fact]
    public async Task Merge_ColumnMappedTable_WritesPhysicalNamesAndReadsBack()
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        var schema = new Lakehouse.Delta.Schema.StructType([
            new("id", Lakehouse.Delta.Schema.PrimitiveType.Long), new("name", Lakehouse.Delta.Schema.PrimitiveType.String), new("amount", Lakehouse.Delta.Schema.PrimitiveType.Long)]);
        Lakehouse.Delta.DeltaTable.ForPath(path).Create(schema, properties: new Dictionary<string, string> { ["delta.columnMapping.mode"] = "name" });
        var rows = await spark.SqlAsync("SELECT CAST(id AS BIGINT) AS id, name, CAST(amount AS BIGINT) AS amount FROM (VALUES (1, 'a', 10), (2, 'b', 20)) AS v(id, name, amount)");
        await rows.Write.Format("delta").Mode("append").SaveAsync(path);

        var merge = Merge(path, Source("(2, 'B', 21), (3, 'c', 30)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "2|B|21", "3|c|30");
        Assert.All(DeltaTables.Commit(path, 2).Where(a => a.Add is not null), a => Assert.DoesNotContain("\"name\"", a.Add!.Stats, StringComparison.Ordinal));
    }

    /// <summary>Rows as id|name|amount whether the reader puts the partition column in schema order or last.</summary>
    private static string Reorder(string row)
    {
        var parts = row.Split('|');
        return parts.Length == 3 && !long.TryParse(parts[1], out _) ? row : $"{parts[0]}|{parts[2]}|{parts[1]}";
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Merge_LateSourceRowWithNewerGuard_KeepsTheNewerTargetRow(bool overwriteExistingTable)
    {
        using var dir = new TempDirectory("merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        if (overwriteExistingTable)
        {
            await (await spark.SqlAsync("SELECT 'old' AS id, 'x' AS status, TIMESTAMPTZ '2020-01-01 00:00:00+00' AS updated_at, TIMESTAMPTZ '2020-01-01 00:00:00+00' AS ing"))
                .Write.Format("delta").Mode("overwrite").SaveAsync(path);
        }

        // Version 0 (or 1) of the table, with timestamps whose Parquet footer statistics the engine reads.
        await (await spark.SqlAsync("SELECT * FROM (VALUES "
                + "('1', 'placed', TIMESTAMPTZ '2026-01-01 08:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00'), "
                + "('2', 'shipped', TIMESTAMPTZ '2026-01-01 11:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00')) AS v(id, status, updated_at, ing)"))
            .Write.Format("delta").Mode("overwrite").SaveAsync(path);
        var batch = (await spark.SqlAsync("SELECT * FROM (VALUES "
                + "('1', 'shipped', TIMESTAMPTZ '2026-01-01 10:00:00+00', TIMESTAMPTZ '2026-01-02 00:00:00+00', false), "
                + "('2', 'placed', TIMESTAMPTZ '2026-01-01 09:00:00+00', TIMESTAMPTZ '2026-01-02 00:00:00+00', false), "
                + "('3', 'placed', TIMESTAMPTZ '2026-01-01 09:30:00+00', TIMESTAMPTZ '2026-01-02 00:00:00+00', false)) AS v(id, status, updated_at, ing, del)"))
            .Alias("s");
        var newer = (F.Col("s.updated_at") > F.Col("t.updated_at"))
            | (F.Col("t.updated_at").IsNull() & F.Col("s.updated_at").IsNotNull())
            | (F.Col("s.updated_at").EqNullSafe(F.Col("t.updated_at")) & (F.Col("s.ing") > F.Col("t.ing")));
        var set = new Dictionary<string, Column> { ["id"] = F.Col("s.id"), ["status"] = F.Col("s.status"), ["updated_at"] = F.Col("s.updated_at"), ["ing"] = F.Col("s.ing") };

        var metrics = await SparkDeltaTable.ForPath(spark, path).As("t").Merge(batch, F.Col("t.id") == F.Col("s.id"))
            .WhenMatched(F.Col("s.del") & newer).Delete()
            .WhenMatched(F.Col("s.del").Not() & newer).Update(set)
            .WhenNotMatched(F.Col("s.del").Not()).Insert(set)
            .ExecuteAsync();

        // Only id 1 has a newer source row; the 09:00 row of id 2 is older than the 11:00 one stored.
        Assert.Equal((1L, 0L, 1L), (metrics.NumUpdatedRows, metrics.NumDeletedRows, metrics.NumInsertedRows));
        var rows = (await spark.Read.Format("delta").Load(path).CollectAsync())
            .Select(r => (Id: (string)r.Values[0]!, Status: (string)r.Values[1]!, UpdatedAt: (DateTimeOffset)r.Values[2]!))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
        [
            ("1", "shipped", new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero)),
            ("2", "shipped", new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero)),
            ("3", "placed", new DateTimeOffset(2026, 1, 1, 9, 30, 0, TimeSpan.Zero)),
        ], rows);
    }
}
