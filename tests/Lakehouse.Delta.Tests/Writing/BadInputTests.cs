using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>
/// Damaged tables and wrong paths: every read and write fails with a typed error whose message says what to do,
/// and the attempted write leaves the table's files (log and data) exactly as they were.
/// </summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task CorruptJsonCommit_ReadAndWrite_CorruptLogWithRemedyAndNothingWritten()
    {
        using var dir = new TempDirectory("corrupt-commit");
        var table = await TableWithTwoAppends(dir.Path);
        // A commit cut off in the middle of its last line, as a non-atomic writer would leave it.
        var commit = Path.Combine(dir.Path, "_delta_log", LogFileName.Commit(2));
        var text = File.ReadAllText(commit);
        File.WriteAllText(commit, text[..(text.LastIndexOf("\"add\"", StringComparison.Ordinal) + 8)]);
        var before = Listing(dir.Path);

        var read = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));
        var append = await Assert.ThrowsAsync<DeltaException>(() => table.AppendAsync([TestData.Ids(10, 1)]));
        var delete = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteAsync("id = 0"));
        var vacuum = Assert.Throws<DeltaException>(() => Vacuum.Run(dir.Path, new VacuumOptions { Retention = TimeSpan.Zero, DisableRetentionCheck = true }));

        foreach (var e in new[] { read, append, delete, vacuum })
        {
            Assert.Equal(DeltaErrorKind.CorruptLog, e.Kind);
            Assert.Contains(LogFileName.Commit(2), e.Message);
            Assert.Contains("restore it from a backup", e.Message);
        }

        Assert.Equal(before, Listing(dir.Path));
    }

    [Fact]
    public async Task TruncatedCheckpoint_ReadAndWrite_CorruptLogWithRemedyNothingWrittenAndRemedyWorks()
    {
        using var dir = new TempDirectory("truncated-checkpoint");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.checkpointInterval"] = "2" });
        await table.AppendAsync([TestData.Ids(0, 2)]);
        await table.AppendAsync([TestData.Ids(2, 2)]);
        var checkpoint = Path.Combine(dir.Path, "_delta_log", LogFileName.Checkpoint(2));
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);
        var before = Listing(dir.Path);

        var read = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));
        var append = await Assert.ThrowsAsync<DeltaException>(() => table.AppendAsync([TestData.Ids(10, 1)]));
        var optimize = await Assert.ThrowsAsync<DeltaException>(() => Optimize.RunAsync(dir.Path));

        foreach (var e in new[] { read, append, optimize })
        {
            Assert.Equal(DeltaErrorKind.CorruptLog, e.Kind);
            Assert.Contains(LogFileName.Checkpoint(2), e.Message);
            Assert.Contains("Delete the damaged checkpoint", e.Message);
        }

        Assert.Equal(before, Listing(dir.Path));
        // The remedy the message gives: without the checkpoint and _last_checkpoint the commits replay to the same state.
        File.Delete(checkpoint);
        File.Delete(Path.Combine(dir.Path, "_delta_log", "_last_checkpoint"));
        var snapshot = Snapshot.Load(dir.Path);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(4, TestData.RowCount(snapshot));
    }

    [Fact]
    public async Task AddWhoseFileIsMissing_DeleteAndOptimize_DataFileNotFoundWithRemedyAndNothingWritten()
    {
        using var dir = new TempDirectory("missing-file");
        var table = await TableWithTwoAppends(dir.Path);
        // The file replay lists last is rewritten last, so a rewrite that went file by file would have written the other first.
        var missing = table.Snapshot().Files.Last().Path;
        File.Delete(Path.Combine(dir.Path, missing));
        var before = Listing(dir.Path);

        var delete = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteAsync("id >= 0"));
        var optimize = await Assert.ThrowsAsync<DeltaException>(() => Optimize.RunAsync(dir.Path));

        foreach (var e in new[] { delete, optimize })
        {
            Assert.Equal(DeltaErrorKind.DataFileNotFound, e.Kind);
            Assert.Contains(missing, e.Message);
            Assert.Contains("RESTORE", e.Message);
        }

        Assert.Equal(before, Listing(dir.Path));
    }

    [Fact]
    public async Task DeleteAsync_LaterFileUnreadable_FilesRewrittenBeforeAreRemovedAndNothingCommitted()
    {
        using var dir = new TempDirectory("unreadable-file");
        var table = await TableWithTwoAppends(dir.Path);
        var damaged = Path.Combine(dir.Path, table.Snapshot().Files.Last().Path);
        var bytes = File.ReadAllBytes(damaged);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]);
        var before = Listing(dir.Path);

        // One row of each file matches, so the first file is rewritten before the damaged one is read.
        var e = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteAsync("id = 0 OR id = 3"));

        Assert.Equal(DeltaErrorKind.CorruptDataFile, e.Kind);
        Assert.Contains(damaged, e.Message);
        Assert.Contains("RESTORE", e.Message);
        Assert.Equal(before, Listing(dir.Path));
        Assert.Equal(2, table.Snapshot().Version);
    }

    [Fact]
    public async Task TruncatedDataFile_Read_CorruptDataFileNamingTheFileWithRemedy()
    {
        using var dir = new TempDirectory("truncated-file");
        var table = await TableWithTwoAppends(dir.Path);
        var damaged = Path.Combine(dir.Path, table.Snapshot().Files.First().Path);
        File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..10]);

        var e = await Assert.ThrowsAsync<DeltaException>(async () =>
        {
            await foreach (var _ in new Data.Reading.DeltaScan(table.Snapshot()).ReadBatchesAsync())
            {
            }
        });

        Assert.Equal(DeltaErrorKind.CorruptDataFile, e.Kind);
        Assert.Contains(damaged, e.Message);
        Assert.Contains("RESTORE", e.Message);
    }

    [Fact]
    public async Task PathIsNotATable_ReadWriteAndVacuum_NotADeltaTableWithRemedyAndNothingWrittenOrDeleted()
    {
        using var dir = new TempDirectory("not-a-table");
        // Parquet files without a log: vacuum must not take them for orphans.
        File.WriteAllBytes(Path.Combine(dir.Path, "part-00000.parquet"), [1, 2, 3]);
        var before = Listing(dir.Path);
        var table = DeltaTable.ForPath(dir.Path);

        var read = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));
        var overwrite = await Assert.ThrowsAsync<DeltaException>(() => table.OverwriteAsync([TestData.Ids(0, 1)]));
        var delete = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteAsync());
        var vacuum = Assert.Throws<DeltaException>(() => Vacuum.Run(dir.Path, new VacuumOptions { Retention = TimeSpan.Zero, DisableRetentionCheck = true }));

        foreach (var e in new[] { read, overwrite, delete, vacuum })
        {
            Assert.Equal(DeltaErrorKind.NotADeltaTable, e.Kind);
            Assert.Contains(dir.Path, e.Message);
            Assert.Contains("create the table first", e.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, Listing(dir.Path));
    }

    private static async Task<DeltaTable> TableWithTwoAppends(string path)
    {
        var table = DeltaTable.ForPath(path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 3)]);
        await table.AppendAsync([TestData.Ids(3, 3)]);
        return table;
    }

    /// <summary>Every file and directory under the table with its size and modification time, to prove nothing changed.</summary>
    private static List<string> Listing(string root) =>
        [.. new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(i => $"{Path.GetRelativePath(root, i.FullName)} {(i as FileInfo)?.Length} {i.LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal)];
}
