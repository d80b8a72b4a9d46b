using System.Globalization;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Delta;
using Lakehouse.Spark;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// MERGE on tables with <c>delta.enableDeletionVectors=true</c> (merge-on-read, as Delta 3.x does): the MERGE matrix
/// of <see cref="MergeTests"/>, <see cref="MergeSafetyTests"/> and <see cref="MergeMatchTests"/> on such tables. Rows
/// are expected from Delta's documented MERGE semantics and checked with Lakehouse.Delta's reader (which verifies each
/// vector's checksum and cardinality); the log is checked for vectors instead of rewrites: the touched file's
/// remove + add of the same path with a vector, only the changed rows in new files, <c>numTargetRowsCopied</c> 0.
/// </summary>
public sealed class DeletionVectorMergeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Source(string values) => $"SELECT * FROM (VALUES {values}) AS v(id, name, amount)";

    /// <summary>One data file per VALUES list, on a table created with the property (version 0), so versions match the copy-on-write tests.</summary>
    private static Task CreateAsync(SparkSession spark, string path, string[]? partitionBy, params string[] valueLists) =>
        DeltaTables.CreateAsync(spark, path, partitionBy, deletionVectors: true, valueLists);

    private static long Metric(string path, long version, string name) =>
        long.Parse(DeltaTables.Info(path, version).OperationMetrics![name], CultureInfo.InvariantCulture);

    private static long[] DvMetrics(string path, long version) =>
        [Metric(path, version, "numTargetDeletionVectorsAdded"), Metric(path, version, "numTargetDeletionVectorsRemoved"), Metric(path, version, "numTargetDeletionVectorsUpdated")];

    private static long[] Deleted(string path, string file) =>
        new DeltaScan(Snapshot.Load(path)).Files.Single(f => f.Add.Path == file).DeletedRowIndexes().ToArray();

    [Fact]
    public async Task Merge_MatchedUpdate_MarksTheOldRowAndWritesOnlyTheUpdatedRow()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        var file = DeltaTables.FileWithId(path, 1);

        var merge = Merge(path, Source("(2, 'B', 200), (9, 'z', 900)"), "t.id = s.id");
        merge.MatchedActions.Add(Update(null, Set("name", "s.name"), Set("t.amount", "t.amount + s.amount")));
        Assert.Equal(new long[] { 1, 1, 0, 0 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "2|B|220", "3|c|30");
        Assert.Equal([1L], Deleted(path, file));
        var actions = DeltaTables.Commit(path, 1);
        Assert.Equal(file, actions.Single(a => a.Remove is not null).Remove!.Path);
        var adds = actions.Where(a => a.Add is not null).Select(a => a.Add!).ToList();
        Assert.Equal(2, adds.Count);
        Assert.Equal(1, adds.Single(a => a.Path == file).DeletionVector!.Cardinality);
        Assert.Contains("\"numRecords\":1", adds.Single(a => a.Path != file).Stats, StringComparison.Ordinal);
        Assert.Equal((0L, 1L, 1L, 0L, 1L), (Metric(path, 1, "numTargetRowsCopied"), Metric(path, 1, "numOutputRows"), Metric(path, 1, "numTargetFilesAdded"),
            Metric(path, 1, "numTargetFilesRemoved"), Metric(path, 1, "numTargetRowsUpdated")));
        Assert.Equal(new long[] { 1, 0, 0 }, DvMetrics(path, 1));
    }

    [Fact]
    public async Task Merge_MatchedDelete_OnlyMarksRows()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        var file = DeltaTables.FileWithId(path, 1);
        var size = new FileInfo(Path.Combine(path, file)).Length;

        var merge = Merge(path, Source("(1, 'x', 0), (3, 'y', 0), (7, 'q', 0)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete());
        Assert.Equal(new long[] { 2, 0, 2, 0 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "2|b|20");
        Assert.Equal([0L, 2L], Deleted(path, file));
        Assert.Equal([file], DeltaTables.Added(path, 1));
        Assert.Equal(size, new FileInfo(Path.Combine(path, file)).Length);
        Assert.Equal((0L, 0L, 2L), (Metric(path, 1, "numOutputRows"), Metric(path, 1, "numTargetFilesAdded"), Metric(path, 1, "numTargetRowsDeleted")));
    }

    [Fact]
    public async Task Merge_NotMatchedInsertOnly_AddsNoVector()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");

        var merge = Merge(path, Source("(2, 'x', 5), (4, 'd', 40), (5, 'e', 50)"), "t.id = s.id");
        merge.NotMatchedActions.Add(Insert("s.id = 4", Set("id", "s.id"), Set("name", "upper(s.name)")));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 0, 0, 2 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|c|30", "4|D|NULL", "5|e|50");
        Assert.Empty(DeltaTables.Removed(path, 1));
        Assert.All(Snapshot.Load(path).Files, f => Assert.Null(f.DeletionVector));
        Assert.Equal(new long[] { 0, 0, 0 }, DvMetrics(path, 1));
    }

    [Fact]
    public async Task Merge_NotMatchedBySource_MarksUnmatchedTargetRowsInEveryFile()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");
        var (first, second) = (DeltaTables.FileWithId(path, 1), DeltaTables.FileWithId(path, 11));

        var merge = Merge(path, Source("(2, 'x', 0), (12, 'y', 0)"), "t.id = s.id");
        merge.NotMatchedBySourceActions.Add(Delete("t.id > 10"));
        merge.NotMatchedBySourceActions.Add(Update(null, Set("amount", "-1")));
        Assert.Equal(new long[] { 3, 2, 1, 0 }, await MergeAsync(spark, merge));

        // 2 and 12 matched (no matched clause: unchanged); 11 deleted; 1 and 3 updated.
        DeltaTables.AssertRows(path, "1|a|-1", "12|l|120", "2|b|20", "3|c|-1");
        Assert.Equal([0L, 2L], Deleted(path, first));
        Assert.Equal([0L], Deleted(path, second));
        Assert.Equal((2L, 1L, 0L, 2L), (Metric(path, 2, "numTargetRowsNotMatchedBySourceUpdated"), Metric(path, 2, "numTargetRowsNotMatchedBySourceDeleted"),
            Metric(path, 2, "numTargetRowsCopied"), Metric(path, 2, "numOutputRows")));
        Assert.Equal(new long[] { 2, 0, 0 }, DvMetrics(path, 2));
    }

    [Fact]
    public async Task Merge_AllClauseKinds_FirstApplicableClauseWinsAndCountsMatchDelta()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");

        var source = "SELECT * FROM (VALUES (1, 'u', 1), (2, 'd', 2), (3, 'n', 3), (4, 'i', 4), (5, 'd', 5), (11, 'u', 11)) AS v(id, op, amount)";
        var merge = Merge(path, source, "t.id = s.id");
        merge.MatchedActions.Add(Update("s.op = 'u' AND t.amount < 100", Set("amount", "t.amount + 1000")));
        merge.MatchedActions.Add(Delete("s.op = 'd'"));
        merge.MatchedActions.Add(Update("s.op = 'u'", Set("name", "'big'")));
        merge.NotMatchedActions.Add(Insert("s.op = 'i'", Set("id", "s.id"), Set("name", "s.op"), Set("amount", "s.amount")));
        merge.NotMatchedBySourceActions.Add(Update("t.id >= 12", Set("name", "'orphan'")));
        Assert.Equal(new long[] { 5, 3, 1, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|1010", "11|big|110", "12|orphan|120", "3|c|30", "4|i|4");
        var m = DeltaTables.Info(path, 2).OperationMetrics!;
        Assert.Equal(("6", "1", "3", "1", "1"), (m["numSourceRows"], m["numTargetRowsInserted"], m["numTargetRowsUpdated"], m["numTargetRowsNotMatchedBySourceUpdated"], m["numTargetRowsDeleted"]));
        // Written: the three updated rows and the inserted one; id 3 stays where it is.
        // Both rows of the second file (11, 12) are updated, so it leaves the table instead of getting a vector.
        Assert.Equal(("0", "4", "1"), (m["numTargetRowsCopied"], m["numOutputRows"], m["numTargetFilesRemoved"]));
        Assert.All(Snapshot.Load(path).Files, f => Assert.Contains("\"numRecords\"", f.Stats, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Merge_RepeatedMerges_UnionVectorsThenRemoveTheEmptiedFile()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        var file = DeltaTables.FileWithId(path, 1);

        var first = Merge(path, Source("(2, 'B', 21)"), "t.id = s.id");
        first.MatchedActions.Add(UpdateAll());
        await MergeAsync(spark, first);
        var previous = DeltaTables.Commit(path, 1).Single(a => a.Add?.Path == file).Add!.DeletionVector;

        // Row 3 of the original file is deleted; row 2's new version (in the file version 1 wrote) is updated again.
        var second = Merge(path, Source("(2, 'BB', 22), (3, 'x', 0)"), "t.id = s.id");
        second.MatchedActions.Add(Delete("s.id = 3"));
        second.MatchedActions.Add(UpdateAll());
        Assert.Equal(new long[] { 2, 1, 1, 0 }, await MergeAsync(spark, second));

        DeltaTables.AssertRows(path, "1|a|10", "2|BB|22");
        Assert.Equal([1L, 2L], Deleted(path, file));
        Assert.Equal(previous, DeltaTables.Commit(path, 2).Single(a => a.Remove?.Path == file).Remove!.DeletionVector);
        // The original file's vector is replaced (Delta counts that as added, removed and updated); the file version 1
        // wrote held only row 2, so it leaves the table.
        Assert.Equal(new long[] { 1, 1, 1 }, DvMetrics(path, 2));
        Assert.Equal(1L, Metric(path, 2, "numTargetFilesRemoved"));

        var third = Merge(path, Source("(1, 'x', 0)"), "t.id = s.id");
        third.MatchedActions.Add(Delete());
        await MergeAsync(spark, third);

        DeltaTables.AssertRows(path, "2|BB|22");
        Assert.Contains(file, DeltaTables.Removed(path, 3));
        Assert.DoesNotContain(file, DeltaTables.Added(path, 3));
        Assert.Equal(new long[] { 0, 1, 0 }, DvMetrics(path, 3));
    }

    [Fact]
    public async Task Optimize_AfterDeletionVectorMerges_PurgesVectorsAndKeepsRows()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");
        var merge = Merge(path, Source("(2, 'B', 21), (12, 'x', 0), (4, 'd', 40)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.id = 12"));
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        await MergeAsync(spark, merge);
        Assert.Equal(2, Snapshot.Load(path).Files.Count(f => f.DeletionVector is not null));

        await Lakehouse.Delta.Maintenance.Optimize.RunAsync(path);

        Assert.All(Snapshot.Load(path).Files, f => Assert.Null(f.DeletionVector));
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "2|B|21", "3|c|30", "4|d|40");
    }

    [Fact]
    public async Task Merge_TwoSourceRowsModifyOneTargetRow_FailsBeforeWritingAnything()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, Source("(2, 'x', 1), (2, 'y', 2), (3, 'z', 3)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => MergeAsync(spark, merge));

        Assert.Equal("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE", e.ErrorClass);
        Assert.Equal(0, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
        Assert.Empty(Directory.GetFiles(path, "deletion_vector_*.bin", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Merge_DuplicateKeysOnlyOneModifiesOrOnlyUnconditionalDelete_Succeed()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        var file = DeltaTables.FileWithId(path, 1);

        var one = Merge(path, Source("(2, 'x', 1), (2, 'y', 2)"), "t.id = s.id");
        one.MatchedActions.Add(Update("s.name = 'y'", Set("name", "s.name")));
        Assert.Equal(new long[] { 1, 1, 0, 0 }, await MergeAsync(spark, one));
        DeltaTables.AssertRows(path, "1|a|10", "2|y|20", "3|c|30");

        var delete = Merge(path, Source("(3, 'x', 1), (3, 'y', 2)"), "t.id = s.id");
        delete.MatchedActions.Add(Delete());
        Assert.Equal(new long[] { 1, 0, 1, 0 }, await MergeAsync(spark, delete));
        DeltaTables.AssertRows(path, "1|a|10", "2|y|20");
        Assert.Equal([1L, 2L], Deleted(path, file));
    }

    [Fact]
    public async Task Merge_NullKeys_NeverMatch()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (NULL, 'n', 0)");

        var merge = Merge(path, Source("(CAST(NULL AS BIGINT), 'm', 5), (1, 'A', 11)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));
        DeltaTables.AssertRows(path, "1|A|11", "NULL|m|5", "NULL|n|0");
    }

    [Fact]
    public async Task Merge_SourceRowMatchedInAnUnchangedFile_IsNotInsertedWhileAnotherFileGetsAVector()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");
        var first = DeltaTables.FileWithId(path, 1);

        var merge = Merge(path, Source("(1, 'A', 5000), (11, 'K', 1), (15, 'new', 150)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > 1000"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal([first], DeltaTables.Removed(path, 2));
        Assert.Equal([0L], Deleted(path, first));
        DeltaTables.AssertRows(path, "1|A|5000", "11|k|110", "12|l|120", "15|new|150", "2|b|20");
        Assert.Equal((1L, 2L), (Metric(path, 2, "numTargetRowsInserted"), Metric(path, 2, "numOutputRows")));
    }

    [Fact]
    public async Task Merge_PartitionedTarget_MarksRowsOnlyInTheTouchedPartition()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, ["name"], "(1, 'a', 10), (2, 'b', 20), (3, 'b', 30), (4, 'c', 40)");
        var before = Snapshot.Load(path).Files.ToDictionary(f => f.PartitionValues["name"]!, f => f.Path);

        var merge = Merge(path, Source("(3, 'b', 33), (5, 'd', 50)"), "t.name = s.name AND t.id = s.id");
        merge.MatchedActions.Add(Update(null, Set("amount", "s.amount")));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal([before["b"]], DeltaTables.Removed(path, 1));
        var vectored = Snapshot.Load(path).Files.Single(f => f.DeletionVector is not null);
        Assert.Equal((before["b"], "b"), (vectored.Path, vectored.PartitionValues["name"]));
        var added = DeltaTables.Added(path, 1).Where(p => p != before["b"]).ToList();
        Assert.Contains(added, p => p.StartsWith("name=b/", StringComparison.Ordinal));
        Assert.Contains(added, p => p.StartsWith("name=d/", StringComparison.Ordinal));
        Assert.Equal(["1|a|10", "2|b|20", "3|b|33", "4|c|40", "5|d|50"], DeltaTables.Rows(path).Select(Reorder).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Merge_WithSchemaEvolution_OldFileKeepsItsVectorAndNewColumnReadsNull()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        var merge = Merge(path, "SELECT * FROM (VALUES (2, 'B', 21, 'x'), (3, 'c', 30, 'y')) AS v(id, name, amount, note)", "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        merge.WithSchemaEvolution = true;
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal(["id", "name", "amount", "note"], Snapshot.Load(path).Schema.Fields.Select(f => f.Name));
        DeltaTables.AssertRows(path, "1|a|10|NULL", "2|B|21|x", "3|c|30|y");
        Assert.Equal(1, Snapshot.Load(path).Files.Count(f => f.DeletionVector is not null));
    }

    [Fact]
    public async Task Merge_FailureBetweenWriteAndCommit_LeavesNoDataOrVectorFile()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");
        var filesBefore = Directory.GetFiles(path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("_delta_log", StringComparison.Ordinal)).Order().ToList();

        var wrote = false;
        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () =>
        {
            wrote = Directory.GetFiles(path, "deletion_vector_*.bin", SearchOption.AllDirectories).Length == 1
                && Directory.GetFiles(path, "*.parquet", SearchOption.AllDirectories).Length == 2;
            throw new IOException("injected: the process died before the commit");
        };
        var merge = Merge(path, Source("(2, 'B', 21), (3, 'c', 30)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        await Assert.ThrowsAsync<SparkConnectException>(() => MergeAsync(spark, merge));

        Assert.True(wrote, "the vector and the new data file existed before the commit");
        Assert.Equal(0, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
        Assert.Equal(filesBefore, Directory.GetFiles(path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("_delta_log", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task Merge_ConcurrentMergesOfTheSameFile_OneWinsTheOtherGetsAConflict()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var first = await server.SessionAsync();
        await using var second = await server.SessionAsync();
        await CreateAsync(first, path, null, "(1, 'a', 10), (2, 'b', 20)");

        // Different rows of one file: both replace its vector, so the later commit conflicts (nothing is lost).
        var winner = Merge(path, Source("(1, 'winner', 0)"), "t.id = s.id");
        winner.MatchedActions.Add(Update(null, Set("name", "s.name")));
        var loser = Merge(path, Source("(2, 'loser', 0)"), "t.id = s.id");
        loser.MatchedActions.Add(Update(null, Set("name", "s.name")));

        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () => MergeAsync(second, winner).GetAwaiter().GetResult();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => MergeAsync(first, loser));

        Assert.StartsWith("DELTA_CONCURRENT", e.ErrorClass, StringComparison.Ordinal);
        Assert.Equal("2D521", e.SqlState);
        Assert.Equal(1, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|winner|10", "2|b|20");
        Assert.Single(Directory.GetFiles(path, "deletion_vector_*.bin", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Merge_TouchedFileWithoutStatistics_IsRewrittenCopyOnWrite()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        DeltaTables.StripStatistics(path, 0);

        var merge = Merge(path, Source("(1, 'del', 0), (2, 'B', 200), (4, 'd', 40)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.name = 'del'"));
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 3, 1, 1, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "2|B|200", "3|c|30", "4|d|40");
        Assert.All(Snapshot.Load(path).Files, f => Assert.Null(f.DeletionVector));
        Assert.Equal(1L, Metric(path, 1, "numTargetRowsCopied"));
    }

    [Fact]
    public async Task Merge_OnVectoredFile_DoesNotMatchDeletedRowsAgain()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "id = 2")));

        // 2 was deleted by the vector: it is not matched, so it is inserted; 3 is updated.
        var merge = Merge(path, Source("(2, 'again', 2), (3, 'C', 33)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "2|again|2", "3|C|33");
        Assert.Equal([1L, 2L], Deleted(path, DeltaTables.FileWithId(path, 1)));
    }

    /// <summary>
    /// The shape of silver's MERGE (every written value a source column; conditions read both sides): on a table with
    /// deletion vectors pass 2 is computed from pass 1's matched pairs without reading the target again, so its rows must
    /// be those of Delta's semantics and of the copy-on-write path: an update (by one of two source rows of its key; the
    /// other's condition is false), a conditional delete, a source row matched in an unchanged file (neither written nor
    /// inserted), a NULL key (never matches, inserted) and a new key.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_ValuesFromSourceOnly_SameRowsWithAndWithoutVectors(bool deletionVectors)
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, deletionVectors, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");
        var first = DeltaTables.FileWithId(path, 1);

        var merge = Merge(path, Source("(2, 'B', 200), (2, 'older', 1), (3, 'x', 0), (12, 'L', 5), (20, 'n', 1), (CAST(NULL AS BIGINT), 'm', 7)"), "t.id = s.id");
        merge.MatchedActions.Add(Delete("s.name = 'x'"));
        merge.MatchedActions.Add(UpdateAll("s.amount > t.amount"));
        merge.NotMatchedActions.Add(InsertAll("s.name <> 'x'"));
        Assert.Equal(new long[] { 4, 1, 1, 2 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120", "2|B|200", "20|n|1", "NULL|m|7");
        Assert.Equal([first], DeltaTables.Removed(path, 2));
        if (deletionVectors)
        {
            Assert.Equal([1L, 2L], Deleted(path, first));
            Assert.Equal((0L, 3L), (Metric(path, 2, "numTargetRowsCopied"), Metric(path, 2, "numOutputRows")));
        }
    }

    [Fact]
    public async Task Merge_ValuesFromSourceOnlyAndNoTargetRowChanges_OnlyAppendsTheInsertedRows()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110)");

        // 2 and 11 match but are not newer: no file is touched; 11's source row must not be inserted either.
        var merge = Merge(path, Source("(2, 'B', 1), (11, 'K', 1), (30, 'z', 3)"), "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount > t.amount"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 1, 0, 0, 1 }, await MergeAsync(spark, merge));

        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "2|b|20", "30|z|3");
        Assert.Empty(DeltaTables.Removed(path, 2));
        Assert.Single(DeltaTables.Added(path, 2));
        Assert.All(Snapshot.Load(path).Files, f => Assert.Null(f.DeletionVector));
    }

    [Fact]
    public async Task Merge_ValuesFromSourceOnlyOnPartitionedTarget_MarksTheTouchedPartitionsFileAndWritesEachRowInItsPartition()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, ["name"], "(1, 'a', 10), (2, 'b', 20), (3, 'b', 30), (4, 'c', 40)");
        var before = Snapshot.Load(path).Files.ToDictionary(f => f.PartitionValues["name"]!, f => f.Path);

        var merge = Merge(path, Source("(3, 'b', 33), (4, 'c', 40), (5, 'd', 50)"), "t.name = s.name AND t.id = s.id");
        merge.MatchedActions.Add(UpdateAll("s.amount <> t.amount"));
        merge.NotMatchedActions.Add(InsertAll());
        Assert.Equal(new long[] { 2, 1, 0, 1 }, await MergeAsync(spark, merge));

        Assert.Equal([before["b"]], DeltaTables.Removed(path, 1));
        Assert.Equal([1L], Deleted(path, before["b"]));
        var added = DeltaTables.Added(path, 1).Where(p => p != before["b"]).ToList();
        Assert.Contains(added, p => p.StartsWith("name=b/", StringComparison.Ordinal));
        Assert.Contains(added, p => p.StartsWith("name=d/", StringComparison.Ordinal));
        Assert.Equal(["1|a|10", "2|b|20", "3|b|33", "4|c|40", "5|d|50"], DeltaTables.Rows(path).Select(Reorder).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Write_DeltaOptionOnFirstWrite_BecomesTablePropertyWithTheFeature()
    {
        using var dir = new TempDirectory("dv-merge");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();

        // Delta's DataFrameWriter takes delta.* options as the new table's properties; a later append does not change them.
        await CreateAsync(spark, path, null, "(1, 'a', 10)", "(2, 'b', 20)");

        var snapshot = Snapshot.Load(path);
        Assert.Equal("true", snapshot.Metadata.Configuration["delta.enableDeletionVectors"]);
        Assert.Equal((3, 7), (snapshot.Protocol.MinReaderVersion, snapshot.Protocol.MinWriterVersion));
        Assert.Contains("deletionVectors", snapshot.Protocol.ReaderFeatures!);
        Assert.Equal(1, snapshot.Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");

        var df = await spark.SqlAsync("SELECT CAST(1 AS BIGINT) AS id");
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => df.Write.Format("delta").Option("delta.columnMapping.mode", "name").SaveAsync(dir.Combine("mapped")));
        Assert.Contains("column mapping", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Rows as id|name|amount whether the reader puts the partition column in schema order or last.</summary>
    private static string Reorder(string row)
    {
        var parts = row.Split('|');
        return parts.Length == 3 && !long.TryParse(parts[1], out _) ? row : $"{parts[0]}|{parts[2]}|{parts[1]}";
    }
}
