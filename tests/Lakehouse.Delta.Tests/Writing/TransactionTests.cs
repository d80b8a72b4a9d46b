using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Tests.Writing;

public sealed class TransactionTests
{
    [Fact]
    public async Task Append_SameAppIdAndVersionTwice_SecondCommitsNothing()
    {
        using var dir = new TempDirectory("txn");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        var options = new WriteOptions { AppId = "job-1", AppVersion = 7 };

        var first = await table.AppendAsync([TestData.Ids(0, 3)], options);
        var second = await table.AppendAsync([TestData.Ids(0, 3)], options);
        var older = await table.AppendAsync([TestData.Ids(0, 3)], options with { AppVersion = 6 });

        Assert.False(first.Skipped);
        Assert.Equal(1, first.Version);
        Assert.True(second.Skipped);
        Assert.True(older.Skipped);
        Assert.Contains("already committed", second.Message);
        var snapshot = table.Snapshot();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(3, TestData.RowCount(snapshot));
        Assert.Equal(7, snapshot.TransactionVersion("job-1"));
        Assert.Single(Directory.GetFiles(dir.Path, "*.parquet"));
    }

    [Fact]
    public async Task Commit_StoreFailsAfterDataFilesWritten_TableStaysAtPreviousVersionWithOrphans()
    {
        using var dir = new TempDirectory("crash");
        DeltaTable.ForPath(dir.Path).Create(TestData.IdPartSchema);
        var failing = DeltaTable.ForStore(new FailingCommitStore(new LocalLogStore(dir.Path)));

        await Assert.ThrowsAsync<IOException>(() => failing.AppendAsync([TestData.Ids(0, 5)]));

        var snapshot = DeltaTable.ForPath(dir.Path).Snapshot();
        Assert.Equal(0, snapshot.Version);
        Assert.Empty(snapshot.Files);
        Assert.Single(Directory.GetFiles(dir.Path, "*.parquet"));
    }

    [Fact]
    public async Task Commit_StoreFailsAfterDataFilesWritten_VacuumAfterRetentionDeletesOrphansOnly()
    {
        using var dir = new TempDirectory("crash-vacuum");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 2)]);
        var live = Directory.GetFiles(dir.Path, "*.parquet").Single();
        var failing = DeltaTable.ForStore(new FailingCommitStore(new LocalLogStore(dir.Path)));
        await Assert.ThrowsAsync<IOException>(() => failing.AppendAsync([TestData.Ids(2, 5)]));
        var orphan = Directory.GetFiles(dir.Path, "*.parquet").Single(f => f != live);
        await table.AppendAsync([TestData.Ids(7, 1)]);
        var liveFiles = table.Snapshot().Files.Select(f => Path.Combine(dir.Path, f.Path)).Order(StringComparer.Ordinal).ToList();
        var written = File.GetLastWriteTimeUtc(orphan);

        // Inside the default 7 days the orphan may belong to a writer still running, so vacuum keeps it.
        var early = Vacuum.Run(dir.Path, new VacuumOptions { TimeProvider = new FixedClock(new DateTimeOffset(written.AddDays(6), TimeSpan.Zero)) });
        var late = Vacuum.Run(dir.Path, new VacuumOptions { TimeProvider = new FixedClock(new DateTimeOffset(written.AddDays(8), TimeSpan.Zero)) });

        Assert.Empty(early.Files);
        Assert.Equal([Path.GetFileName(orphan)], late.Files);
        Assert.False(File.Exists(orphan));
        Assert.Equal(liveFiles, Directory.GetFiles(dir.Path, "*.parquet").Order(StringComparer.Ordinal));
        var snapshot = table.Snapshot();
        Assert.Equal(3, TestData.RowCount(snapshot));
        Assert.Equal(3, new Data.Reading.DeltaScan(snapshot).ReadBatches().Sum(b => b.Length));
    }

    [Fact]
    public async Task Overwrite_TwoFromTheSameVersion_OneWinsOtherConflicts()
    {
        using var dir = new TempDirectory("overwrite-race");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 2)]);
        var snapshot = table.Snapshot();

        var first = Transaction.Start(snapshot, "WRITE");
        var second = Transaction.Start(snapshot, "WRITE");
        foreach (var txn in new[] { first, second })
        {
            txn.ReadWholeTable();
            foreach (var f in snapshot.Files)
            {
                txn.Remove(f);
            }
        }

        Assert.Equal(2, first.Commit().Version);
        var error = Assert.Throws<ConcurrentModificationException>(() => second.Commit());
        Assert.Equal(DeltaErrorKind.ConcurrentModification, error.Kind);
        Assert.Equal(2, error.WinningVersion);
        Assert.Contains("ConcurrentDeleteDelete", error.Message);
        Assert.Equal(2, table.Snapshot().Version);
    }

    [Fact]
    public async Task Commit_BlindAppendLosesRace_RebasesAndCommitsNextVersion()
    {
        using var dir = new TempDirectory("rebase");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        var stale = table.Snapshot();
        await table.AppendAsync([TestData.Ids(0, 1)]);

        var txn = Transaction.Start(stale, "WRITE");
        txn.Add(new AddFile { Path = "x.parquet", Size = 1, ModificationTime = 1, Stats = "{\"numRecords\":0}" });
        var result = txn.Commit();

        Assert.Equal(2, result.Version);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(0, TestData.Commit(dir.Path, 2)[0].CommitInfo!.ReadVersion);
    }

    [Fact]
    public async Task Commit_WinnerAddsIntoReadPartition_ConcurrentAppendConflict()
    {
        using var dir = new TempDirectory("append-conflict");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);
        var stale = table.Snapshot();
        await table.AppendAsync([TestData.Ids(0, 1, "a")]);

        var txn = Transaction.Start(stale, "DELETE");
        txn.ReadPartitions(p => p["part"] == "a", "part = 'a'");
        txn.Add(new AddFile { Path = "x.parquet", PartitionValues = new Dictionary<string, string?> { ["part"] = "b" }, Size = 1 });

        var error = Assert.Throws<ConcurrentModificationException>(() => txn.Commit());
        Assert.Contains("ConcurrentAppend", error.Conflict);
        Assert.Contains("part = 'a'", error.Conflict);
    }

    [Fact]
    public async Task Delete_AppendOnlyTable_Rejected()
    {
        using var dir = new TempDirectory("append-only");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.appendOnly"] = "true" });
        await table.AppendAsync([TestData.Ids(0, 1)]);

        var error = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteAsync());

        Assert.Equal(DeltaErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("append-only", error.Message);
        Assert.Equal(1, table.Snapshot().Version);
    }

    [Fact]
    public async Task Append_PathIsNotATable_NotADeltaTableAndNothingWritten()
    {
        using var dir = new TempDirectory("no-table");

        var error = await Assert.ThrowsAsync<DeltaException>(() => DeltaTable.ForPath(dir.Path).AppendAsync([TestData.Ids(0, 1)]));

        Assert.Equal(DeltaErrorKind.NotADeltaTable, error.Kind);
        Assert.Contains("Create the table first", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Create_TableExists_TableAlreadyExistsUnlessIfNotExists()
    {
        using var dir = new TempDirectory("exists");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);

        Assert.Equal(DeltaErrorKind.TableAlreadyExists, Assert.Throws<DeltaException>(() => table.Create(TestData.IdPartSchema)).Kind);
        Assert.True(table.Create(TestData.IdPartSchema, ifNotExists: true).Skipped);
    }

    [Fact]
    public async Task Append_TableNeedsUnsupportedWriterFeature_UnsupportedProtocolAndNoDataFile()
    {
        using var dir = new TempDirectory("unsupported");
        Directory.CreateDirectory(Path.Combine(dir.Path, "_delta_log"));
        var schema = Schema.SchemaJson.ToJson(TestData.IdPartSchema);
        File.WriteAllBytes(Path.Combine(dir.Path, "_delta_log", $"{0:D20}.json"), ActionJson.WriteCommit([
            new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = ["rowTracking"] },
            new Metadata { SchemaString = schema },
        ]));

        var error = await Assert.ThrowsAsync<DeltaException>(() => DeltaTable.ForPath(dir.Path).AppendAsync([TestData.Ids(0, 1)]));

        Assert.Equal(DeltaErrorKind.UnsupportedProtocol, error.Kind);
        Assert.Contains("rowTracking", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Append_CheckpointIntervalReached_CheckpointWrittenAndUsedByReaders()
    {
        using var dir = new TempDirectory("checkpoint-hook");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.checkpointInterval"] = "3" });
        await table.AppendAsync([TestData.Ids(0, 1)]);
        await table.AppendAsync([TestData.Ids(1, 1)]);

        var third = await table.AppendAsync([TestData.Ids(2, 1)]);

        Assert.Contains("checkpoint written at version 3", third.Message);
        Assert.True(File.Exists(Path.Combine(dir.Path, "_delta_log", $"{3:D20}.checkpoint.parquet")));
        var snapshot = table.Snapshot();
        Assert.Equal(3, snapshot.Segment.CheckpointVersion);
        Assert.Equal(3, TestData.RowCount(snapshot));
    }

    /// <summary>Delegates to a real store but fails every commit, as a writer killed between data files and commit would.</summary>
    private sealed class FailingCommitStore(ILogStore inner) : ILogStore
    {
        public string TablePath => inner.TablePath;
        public IReadOnlyList<LogFileInfo> List(string fromName = "") => inner.List(fromName);
        public byte[] Read(string name) => inner.Read(name);
        public Stream OpenRead(string name) => inner.OpenRead(name);
        public bool TryCreate(string name, ReadOnlySpan<byte> content) => throw new IOException("injected failure before the commit file was written");
        public void Replace(string name, ReadOnlySpan<byte> content) => inner.Replace(name, content);
        public void Delete(string name) => inner.Delete(name);
    }
}
