using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Delta;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos.Delta;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// DELETE and UPDATE on tables with <c>delta.enableDeletionVectors=true</c>: matched rows are marked in deletion vectors
/// (PROTOCOL.md, Deletion Vectors) instead of rewriting files. Rows are checked with Lakehouse.Delta's reader, which
/// verifies each vector's checksum and cardinality; the log is checked action by action.
/// </summary>
public sealed class DeletionVectorDmlTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Two files, (1..3) and (11, 12), then the property (version 2).</summary>
    private static async Task CreateAsync(SparkSession spark, string path, string[]? partitionBy = null)
    {
        await DeltaTables.CreateAsync(spark, path, partitionBy, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(11, 'k', 110), (12, 'l', 120)");
        Lakehouse.Delta.DeltaTable.ForPath(path).SetProperties(new Dictionary<string, string> { ["delta.enableDeletionVectors"] = "true" });
    }

    private static AddFile AddOf(string path, long version, string file) => DeltaTables.Commit(path, version).Select(a => a.Add).Single(a => a?.Path == file)!;

    private static long Metric(string path, long version, string name) => long.Parse(DeltaTables.Info(path, version).OperationMetrics![name], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Delete_DataPredicate_MarksRowInVectorWithoutRewriting()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path);
        var first = DeltaTables.FileWithId(path, 1);
        var size = new FileInfo(Path.Combine(path, first)).Length;

        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "t.amount = 20")));

        var actions = DeltaTables.Commit(path, 3);
        var remove = actions.Single(a => a.Remove is not null).Remove!;
        var add = actions.Single(a => a.Add is not null).Add!;
        Assert.Equal((first, first), (remove.Path, add.Path));
        Assert.Null(remove.DeletionVector);
        Assert.Equal(("u", 1L), (add.DeletionVector!.StorageType, add.DeletionVector.Cardinality));
        Assert.Contains("\"numRecords\":3", add.Stats);
        Assert.Contains("\"tightBounds\":false", add.Stats);
        Assert.Equal(size, new FileInfo(Path.Combine(path, first)).Length);
        Assert.Equal((1L, 0L, 0L, 0L, 1L, 0L, 0L), (Metric(path, 3, "numDeletedRows"), Metric(path, 3, "numCopiedRows"), Metric(path, 3, "numRemovedFiles"),
            Metric(path, 3, "numAddedFiles"), Metric(path, 3, "numDeletionVectorsAdded"), Metric(path, 3, "numDeletionVectorsUpdated"), Metric(path, 3, "numDeletionVectorsRemoved")));
        DeltaTables.AssertRows(path, "1|a|10", "3|c|30", "11|k|110", "12|l|120");
        Assert.Equal([1L], new DeltaScan(Snapshot.Load(path)).Files.Single(f => f.Add.Path == first).DeletedRowIndexes());
    }

    [Fact]
    public async Task Delete_RepeatedOnSameFile_UnionsVectorThenRemovesFileWhenEmpty()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path);
        var first = DeltaTables.FileWithId(path, 1);
        await AffectedAsync(spark, DeleteFrom(path, "t.amount = 20"));

        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "id = 3 OR id = 2")));

        var previous = AddOf(path, 3, first).DeletionVector;
        var actions = DeltaTables.Commit(path, 4);
        Assert.Equal(previous, actions.Single(a => a.Remove is not null).Remove!.DeletionVector);
        Assert.Equal(2, actions.Single(a => a.Add is not null).Add!.DeletionVector!.Cardinality);
        // Delta's UpdateSuite/DeleteSuite with DVs: replacing a vector counts as added, removed and updated.
        Assert.Equal((1L, 1L, 1L), (Metric(path, 4, "numDeletionVectorsUpdated"), Metric(path, 4, "numDeletionVectorsAdded"), Metric(path, 4, "numDeletionVectorsRemoved")));
        Assert.Equal([1L, 2L], new DeltaScan(Snapshot.Load(path)).Files.Single(f => f.Add.Path == first).DeletedRowIndexes());
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120");

        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "name = 'a'")));

        Assert.Empty(DeltaTables.Added(path, 5));
        Assert.Equal([first], DeltaTables.Removed(path, 5));
        Assert.Equal((1L, 1L, 1L), (Metric(path, 5, "numRemovedFiles"), Metric(path, 5, "numDeletionVectorsRemoved"), Metric(path, 5, "numDeletedRows")));
        DeltaTables.AssertRows(path, "11|k|110", "12|l|120");
    }

    [Fact]
    public async Task Update_DataPredicate_MarksOldRowsAndWritesOnlyUpdatedRows()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path);
        var second = DeltaTables.FileWithId(path, 11);

        Assert.Equal(1, await AffectedAsync(spark, UpdateTable(path, "t.id >= 12", Set("amount", "t.amount * 2"), Set("t.name", "'L'"))));

        var adds = DeltaTables.Commit(path, 3).Where(a => a.Add is not null).Select(a => a.Add!).ToList();
        Assert.Equal(2, adds.Count);
        Assert.Equal(1, adds.Single(a => a.Path == second).DeletionVector!.Cardinality);
        var written = adds.Single(a => a.Path != second);
        Assert.Null(written.DeletionVector);
        Assert.Contains("\"numRecords\":1", written.Stats);
        Assert.Equal([second], DeltaTables.Removed(path, 3));
        Assert.Equal((1L, 0L, 1L, 1L), (Metric(path, 3, "numUpdatedRows"), Metric(path, 3, "numCopiedRows"), Metric(path, 3, "numAddedFiles"), Metric(path, 3, "numDeletionVectorsAdded")));
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|c|30", "11|k|110", "12|L|240");

        // The updated row now lives in the new file (its only row, so that file leaves the table); row 2 gets a vector on the first file.
        var first = DeltaTables.FileWithId(path, 1);
        Assert.Equal(2, await AffectedAsync(spark, UpdateTable(path, "t.id = 12 OR t.id = 2", Set("amount", "t.amount + 1"))));

        DeltaTables.AssertRows(path, "1|a|10", "2|b|21", "3|c|30", "11|k|110", "12|L|241");
        Assert.Equal([1L], new DeltaScan(Snapshot.Load(path)).Files.Single(f => f.Add.Path == first).DeletedRowIndexes());
        Assert.Contains(written.Path, DeltaTables.Removed(path, 4));
        Assert.DoesNotContain(written.Path, DeltaTables.Added(path, 4));
        Assert.Equal((1L, 0L, 1L, 2L), (Metric(path, 4, "numDeletionVectorsAdded"), Metric(path, 4, "numDeletionVectorsUpdated"), Metric(path, 4, "numRemovedFiles"), Metric(path, 4, "numUpdatedRows")));
    }

    [Fact]
    public async Task Delete_PartitionedTableDataPredicate_KeepsPartitionValuesOnTheVectorAdd()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path, ["name"]);

        Assert.Equal(2, await AffectedAsync(spark, DeleteFrom(path, "amount IN (20, 110)")));

        Assert.All(DeltaTables.Commit(path, 3).Where(a => a.Add is not null), a => Assert.NotNull(a.Add!.DeletionVector));
        DeltaTables.AssertRows(path, "1|a|10", "3|c|30", "12|l|120");
    }

    [Fact]
    public async Task Delete_WithoutProperty_StillCopyOnWrite()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");

        await AffectedAsync(spark, DeleteFrom(path, "id = 2"));

        Assert.All(Snapshot.Load(path).Files, f => Assert.Null(f.DeletionVector));
        Assert.False(DeltaTables.Info(path, 1).OperationMetrics!.ContainsKey("numDeletionVectorsAdded"));
        DeltaTables.AssertRows(path, "1|a|10");
    }

    [Fact]
    public async Task Delete_FailsBeforeCommit_TableUnchangedAndNoVectorFileLeft()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await CreateAsync(spark, path);
        var wrote = false;
        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () =>
        {
            wrote = Directory.GetFiles(path, "deletion_vector_*.bin", SearchOption.AllDirectories).Length > 0;
            throw new IOException("injected: the process died before the commit");
        };

        await Assert.ThrowsAnyAsync<Exception>(() => AffectedAsync(spark, DeleteFrom(path, "id = 2")));

        Assert.True(wrote);
        Assert.Empty(Directory.GetFiles(path, "deletion_vector_*.bin", SearchOption.AllDirectories));
        Assert.Equal(2, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|c|30", "11|k|110", "12|l|120");
    }

    [Fact]
    public async Task Delete_ConcurrentDeleteOnSameFileWins_LoserConflictsAndWinnerStands()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var first = await server.SessionAsync();
        await using var second = await server.SessionAsync();
        await CreateAsync(first, path);

        CopyOnWrite.BeforeCommit[Path.GetFullPath(path)] = () => AffectedAsync(second, DeleteFrom(path, "id = 1")).GetAwaiter().GetResult();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => AffectedAsync(first, DeleteFrom(path, "id = 2")));

        Assert.StartsWith("DELTA_CONCURRENT", e.ErrorClass, StringComparison.Ordinal);
        Assert.Equal(3, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "2|b|20", "3|c|30", "11|k|110", "12|l|120");
    }

    [Fact]
    public async Task DeltaTableApi_CreatedWithProperty_DeleteWritesVector()
    {
        using var dir = new TempDirectory("dv-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        var table = await Lakehouse.Spark.Delta.DeltaTable.Create(spark).Location(path)
            .AddColumn("id", "bigint").AddColumn("name", "string").AddColumn("amount", "bigint")
            .Property("delta.enableDeletionVectors", "true").ExecuteAsync();
        var protocol = Snapshot.Load(path).Protocol;
        Assert.Equal((3, 7), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        var df = await spark.SqlAsync("SELECT CAST(id AS BIGINT) AS id, CAST(name AS VARCHAR) AS name, CAST(amount AS BIGINT) AS amount FROM (VALUES (1, 'a', 10), (2, 'b', 20)) AS v(id, name, amount)");
        await df.Write.Format("delta").Mode("append").SaveAsync(path);

        Assert.Equal(1, await table.DeleteAsync("amount = 20"));

        Assert.Equal(1, Assert.Single(Snapshot.Load(path).Files).DeletionVector!.Cardinality);
        DeltaTables.AssertRows(path, "1|a|10");
    }
}
