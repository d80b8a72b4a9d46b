using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Transactions;
using static Lakehouse.Delta.Tests.Reading.DeletionVectorTests;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Commits that put deletion vectors on files, the protocol they need, and their conflicts (PROTOCOL.md, Deletion Vectors).</summary>
public sealed class DeletionVectorCommitTests
{
    private static readonly Dictionary<string, string> DvOn = new() { ["delta.enableDeletionVectors"] = "true" };

    /// <summary>A table (deletion vectors on unless told) with one file of ids 0..9, id = row position.</summary>
    private static async Task<(DeltaTable Table, TempDirectory Dir)> TableOfTen(bool deletionVectors = true)
    {
        var dir = new TempDirectory("dv-commit");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: deletionVectors ? DvOn : null);
        await table.AppendAsync([TestData.Ids(0, 10)]);
        return (table, dir);
    }

    private static long Commit(DeltaTable table, params long[] rows)
    {
        var snapshot = table.Snapshot();
        var update = DeletionVectorWriter.MarkDeleted(table.TablePath, Assert.Single(snapshot.Files), rows, 1000)!;
        var txn = Transaction.Start(snapshot, "DELETE");
        update.ApplyTo(txn);
        return txn.Commit().Version;
    }

    [Fact]
    public void Create_EnableDeletionVectors_ReaderThreeWriterSevenWithFeatureInBothLists()
    {
        using var dir = new TempDirectory("dv-commit");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: DvOn);

        var protocol = table.Snapshot().Protocol;
        Assert.Equal((3, 7), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.Contains("deletionVectors", protocol.ReaderFeatures!);
        Assert.Contains("deletionVectors", protocol.WriterFeatures!);
    }

    [Fact]
    public async Task SetProperties_EnableOnLegacyTable_UpgradesProtocolInSameCommitKeepingImpliedFeatures()
    {
        var (table, dir) = await TableOfTen(deletionVectors: false);
        using var _ = dir;
        Assert.Equal((1, 2), (table.Snapshot().Protocol.MinReaderVersion, table.Snapshot().Protocol.MinWriterVersion));

        var version = table.SetProperties(DvOn).Version;

        var actions = TestData.Commit(dir.Path, version);
        var protocol = Assert.Single(actions, a => a.Protocol is not null).Protocol!;
        Assert.Equal((3, 7), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.Equal(["deletionVectors"], protocol.ReaderFeatures!);
        Assert.Equal(["appendOnly", "invariants", "deletionVectors"], protocol.WriterFeatures!);
        Assert.Equal("true", Assert.Single(actions, a => a.Metadata is not null).Metadata!.Configuration["delta.enableDeletionVectors"]);
        // Already supported: a later property change leaves the protocol alone.
        Assert.DoesNotContain(TestData.Commit(dir.Path, table.SetProperties(new Dictionary<string, string> { ["k"] = "v" }).Version), a => a.Protocol is not null);
    }

    [Fact]
    public async Task MarkDeleted_TwoDeletes_ReaderSkipsTheUnionAndLogReplacesTheVector()
    {
        var (table, dir) = await TableOfTen();
        using var _ = dir;
        var original = Assert.Single(table.Snapshot().Files);

        var first = Commit(table, 1, 3);
        var second = Commit(table, 3, 4, 8);

        Assert.Equal([0L, 2, 5, 6, 7, 9], Ids(new DeltaScan(table.Snapshot())));
        var firstActions = TestData.Commit(dir.Path, first);
        Assert.Null(Assert.Single(firstActions, a => a.Remove is not null).Remove!.DeletionVector);
        var firstAdd = Assert.Single(firstActions, a => a.Add is not null).Add!;
        var secondActions = TestData.Commit(dir.Path, second);
        var remove = Assert.Single(secondActions, a => a.Remove is not null).Remove!;
        var add = Assert.Single(secondActions, a => a.Add is not null).Add!;
        Assert.Equal((original.Path, original.Path), (remove.Path, add.Path));
        Assert.True(remove.DataChange && add.DataChange);
        Assert.Equal(firstAdd.DeletionVector, remove.DeletionVector);
        Assert.Equal(4, add.DeletionVector!.Cardinality);
        var stats = JsonDocument.Parse(add.Stats!).RootElement;
        Assert.Equal(10, stats.GetProperty("numRecords").GetInt64());
        Assert.False(stats.GetProperty("tightBounds").GetBoolean());
        Assert.Equal(0, stats.GetProperty("minValues").GetProperty("id").GetInt64());
        Assert.Equal([1L, 3, 4, 8], Assert.Single(new DeltaScan(table.Snapshot()).Files).DeletedRowIndexes());
    }

    [Fact]
    public async Task MarkDeleted_EveryRow_RemovesTheFileWithoutVector()
    {
        var (table, dir) = await TableOfTen();
        using var _ = dir;
        Commit(table, 0, 1, 2);

        var update = DeletionVectorWriter.MarkDeleted(table.TablePath, Assert.Single(table.Snapshot().Files), Enumerable.Range(0, 10).Select(i => (long)i), 1000)!;

        Assert.Null(update.Add);
        Assert.Equal(7, update.DeletedRows);
        Assert.True(update.ReplacesVector);
        Assert.Null(DeletionVectorWriter.MarkDeleted(table.TablePath, Assert.Single(table.Snapshot().Files), [1, 2], 1000));
    }

    [Fact]
    public async Task MarkDeleted_RowOutsideFile_InvalidRequest()
    {
        var (table, dir) = await TableOfTen();
        using var _ = dir;

        var e = Assert.Throws<DeltaException>(() => DeletionVectorWriter.MarkDeleted(table.TablePath, Assert.Single(table.Snapshot().Files), [10], 1000));
        Assert.Equal(DeltaErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("10 rows", e.Message);
    }

    [Fact]
    public async Task Commit_VectorOnTableWithoutFeature_InvalidRequest()
    {
        var (table, dir) = await TableOfTen(deletionVectors: false);
        using var _ = dir;
        var snapshot = table.Snapshot();
        var txn = Transaction.Start(snapshot, "DELETE");
        DeletionVectorWriter.MarkDeleted(table.TablePath, Assert.Single(snapshot.Files), [1], 1000)!.ApplyTo(txn);

        var e = Assert.Throws<DeltaException>(() => txn.Commit());
        Assert.Equal(DeltaErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("delta.enableDeletionVectors", e.Message);
    }

    [Fact]
    public async Task Commit_ConcurrentVectorsOnSameFile_SecondConflicts()
    {
        var (table, dir) = await TableOfTen();
        using var _ = dir;
        var stale = table.Snapshot();
        var file = Assert.Single(stale.Files);
        var loser = Transaction.Start(stale, "DELETE");
        DeletionVectorWriter.MarkDeleted(table.TablePath, file, [2], 1000)!.ApplyTo(loser);

        Commit(table, 5);

        var e = Assert.Throws<ConcurrentModificationException>(() => loser.Commit());
        Assert.Contains("ConcurrentDeleteDelete", e.Conflict);
        Assert.Equal([0L, 1, 2, 3, 4, 6, 7, 8, 9], Ids(new DeltaScan(table.Snapshot())));
    }

    [Fact]
    public async Task Checkpoint_FileWithVector_SnapshotFromCheckpointKeepsIt()
    {
        var (table, dir) = await TableOfTen();
        using var _ = dir;
        Commit(table, 2, 7);
        Lakehouse.Delta.Checkpoints.CheckpointWriter.Write(table.Snapshot(), DateTimeOffset.UtcNow);
        Commit(table, 9);

        Assert.Equal([0L, 1, 3, 4, 5, 6, 8], Ids(new DeltaScan(DeltaTable.ForPath(dir.Path).Snapshot())));
    }
}
