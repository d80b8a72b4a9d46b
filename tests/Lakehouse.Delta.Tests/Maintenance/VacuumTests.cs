using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Maintenance;

public sealed class VacuumTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly long OldMs = Now.AddDays(-30).ToUnixTimeMilliseconds();

    /// <summary>
    /// A table partitioned by <c>_p</c> with: live file a (v0), b removed 30 days ago (v1), c removed an hour ago (v2),
    /// an old orphan, a fresh orphan (crashed writer), hidden files, and an old empty partition directory.
    /// </summary>
    private static TableCopy BuildTable()
    {
        var table = TableCopy.Empty();
        var store = new LocalLogStore(table.Path);
        var metadata = new Metadata
        {
            SchemaString = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"_p","type":"string","nullable":true,"metadata":{}}]}""",
            PartitionColumns = ["_p"],
        };
        AddFile Add(string path) => new() { Path = path, PartitionValues = new Dictionary<string, string?> { ["_p"] = "1" }, Size = 3, ModificationTime = OldMs };
        var a = Add("_p=1/a.parquet");
        var b = Add("_p=1/b.parquet");
        var c = Add("_p=1/c%20space.parquet");
        store.TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new CommitInfo { Operation = "WRITE" }, new Protocol(), metadata, a, b, c]));
        store.TryCreate(LogFileName.Commit(1), ActionJson.WriteCommit([new CommitInfo { Operation = "DELETE" }, RemoveFile.For(b, OldMs)]));
        store.TryCreate(LogFileName.Commit(2), ActionJson.WriteCommit([new CommitInfo { Operation = "DELETE" }, RemoveFile.For(c, Now.AddHours(-1).ToUnixTimeMilliseconds())]));

        foreach (var file in new[] { "_p=1/a.parquet", "_p=1/b.parquet", "_p=1/c space.parquet", "_p=1/orphan-old.parquet", "_p=2/gone.parquet", "_SUCCESS", "_p=1/.a.parquet.crc", "_tmp/x.parquet" })
        {
            Write(table, file, OldMs);
        }

        Write(table, "_p=1/orphan-new.parquet", Now.AddMinutes(-5).ToUnixTimeMilliseconds());
        Directory.CreateDirectory(Path.Combine(table.Path, "_p=3"));
        foreach (var dir in new[] { "_p=1", "_p=2", "_p=3" })
        {
            Directory.SetLastWriteTimeUtc(Path.Combine(table.Path, dir), DateTime.UnixEpoch.AddMilliseconds(OldMs));
        }

        return table;
    }

    [Fact]
    public void Run_DefaultRetention_DeletesExpiredTombstonesAndOldOrphansOnly()
    {
        using var table = BuildTable();

        var result = Vacuum.Run(table.Path, new VacuumOptions { TimeProvider = new FixedClock(Now) });

        Assert.Equal(["_p=1/b.parquet", "_p=1/orphan-old.parquet", "_p=2/gone.parquet"], result.Files);
        Assert.Equal(9, result.Bytes);
        Assert.Equal(TimeSpan.FromDays(7), result.Retention);
        Assert.Equal(2, result.Version);
        Assert.False(Exists(table, "_p=1/b.parquet"));
        Assert.False(Exists(table, "_p=1/orphan-old.parquet"));
        Assert.False(Directory.Exists(Path.Combine(table.Path, "_p=2")));
        Assert.False(Directory.Exists(Path.Combine(table.Path, "_p=3")));
        Assert.Equal(2, result.DirectoriesDeleted);
        foreach (var kept in new[] { "_p=1/a.parquet", "_p=1/c space.parquet", "_p=1/orphan-new.parquet", "_SUCCESS", "_p=1/.a.parquet.crc", "_tmp/x.parquet", "_delta_log/" + LogFileName.Commit(2) })
        {
            Assert.True(Exists(table, kept), kept);
        }
    }

    [Fact]
    public void Run_DryRun_ListsFilesAndDeletesNothing()
    {
        using var table = BuildTable();

        var result = Vacuum.Run(table.Path, new VacuumOptions { DryRun = true, TimeProvider = new FixedClock(Now) });

        Assert.True(result.DryRun);
        Assert.Equal(["_p=1/b.parquet", "_p=1/orphan-old.parquet", "_p=2/gone.parquet"], result.Files);
        Assert.True(Exists(table, "_p=1/b.parquet"));
        Assert.True(Directory.Exists(Path.Combine(table.Path, "_p=3")));
        Assert.Equal(0, result.DirectoriesDeleted);
    }

    [Fact]
    public void Run_RetentionBelowConfigured_IsRejected()
    {
        using var table = BuildTable();

        var e = Assert.Throws<DeltaException>(() => Vacuum.Run(table.Path, new VacuumOptions { Retention = TimeSpan.Zero, TimeProvider = new FixedClock(Now) }));

        Assert.Equal(DeltaErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("delta.deletedFileRetentionDuration", e.Message, StringComparison.Ordinal);
        Assert.True(Exists(table, "_p=1/b.parquet"));
    }

    [Fact]
    public void Run_ZeroRetentionWithCheckDisabled_DeletesYoungTombstonesAndOrphansButKeepsLiveFiles()
    {
        using var table = BuildTable();

        var result = Vacuum.Run(table.Path, new VacuumOptions { Retention = TimeSpan.Zero, DisableRetentionCheck = true, TimeProvider = new FixedClock(Now) });

        Assert.Equal(["_p=1/b.parquet", "_p=1/c space.parquet", "_p=1/orphan-new.parquet", "_p=1/orphan-old.parquet", "_p=2/gone.parquet"], result.Files);
        Assert.True(Exists(table, "_p=1/a.parquet"));
        Assert.True(Exists(table, "_tmp/x.parquet"));
    }

    [Fact]
    public void Run_ConfiguredRetentionShorter_AppliesTableProperty()
    {
        using var table = BuildTable();
        var store = new LocalLogStore(table.Path);
        var metadata = Snapshots.Snapshot.Load(store).Metadata with
        {
            Configuration = new Dictionary<string, string> { ["delta.deletedFileRetentionDuration"] = "interval 30 minutes" },
        };
        store.TryCreate(LogFileName.Commit(3), ActionJson.WriteCommit([new CommitInfo { Operation = "SET TBLPROPERTIES" }, metadata]));

        var result = Vacuum.Run(table.Path, new VacuumOptions { TimeProvider = new FixedClock(Now) });

        Assert.Equal(TimeSpan.FromMinutes(30), result.Retention);
        Assert.Contains("_p=1/c space.parquet", result.Files);
        Assert.DoesNotContain("_p=1/orphan-new.parquet", result.Files);
    }

    [Fact]
    public void Run_SparkTable_KeepsEveryFileOfTheSnapshot()
    {
        using var table = TableCopy.Of("snapshot-vacuumed");
        var before = Directory.GetFiles(table.Path, "*.parquet").Select(Path.GetFileName).Order().ToList();

        var result = Vacuum.Run(table.Path, new VacuumOptions { Retention = TimeSpan.Zero, DisableRetentionCheck = true });

        Assert.Empty(result.Files);
        Assert.Equal(before, Directory.GetFiles(table.Path, "*.parquet").Select(Path.GetFileName).Order().ToList());
    }

    [Fact]
    public void Run_Deleting_CommitsVacuumStartAndEndWithMetrics()
    {
        using var table = BuildTable();

        Vacuum.Run(table.Path, new VacuumOptions { TimeProvider = new FixedClock(Now) });

        var history = TableHistory.Read(table.Path, limit: 2);
        Assert.Equal(["VACUUM END", "VACUUM START"], history.Select(h => h.Operation));
        Assert.Equal([4L, 3], history.Select(h => h.Version));
        Assert.Equal("COMPLETED", history[0].OperationParameters["status"]);
        Assert.Equal("3", history[0].OperationMetrics["numDeletedFiles"]);
        Assert.Equal("2", history[0].OperationMetrics["numVacuumedDirectories"]);
        Assert.Equal("3", history[1].OperationMetrics["numFilesToDelete"]);
        Assert.Equal("9", history[1].OperationMetrics["sizeOfDataToDelete"]);
        Assert.Equal("604800000", history[1].OperationParameters["defaultRetentionMillis"]);
        Assert.Equal(Snapshots.Snapshot.Load(table.Path, 2).Files.Select(f => f.Path).Order(), Snapshots.Snapshot.Load(table.Path).Files.Select(f => f.Path).Order());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Run_DryRunOrLoggingOff_CommitsNothing(bool dryRun, bool logToHistory)
    {
        using var table = BuildTable();

        Vacuum.Run(table.Path, new VacuumOptions { DryRun = dryRun, LogToHistory = logToHistory, TimeProvider = new FixedClock(Now) });

        Assert.Equal(2, Snapshots.Snapshot.Load(table.Path).Version);
    }

    [Fact]
    public void Run_FileWithDeletionVector_KeepsItsVectorFileAndDeletesUnreferencedOnes()
    {
        using var table = BuildTable();
        var store = new LocalLogStore(table.Path);
        // PROTOCOL.md, Deletion Vector Descriptor Schema, example: "ab^-aqEH.-t@S}K{vb[*k^" is
        // ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin under the table root.
        var a = Snapshots.Snapshot.Load(store).Files.Single(f => f.Path == "_p=1/a.parquet");
        var withDv = a with { DeletionVector = new DeletionVectorDescriptor { StorageType = "u", PathOrInlineDv = "ab^-aqEH.-t@S}K{vb[*k^", Offset = 4, SizeInBytes = 40, Cardinality = 6 } };
        store.TryCreate(LogFileName.Commit(3), ActionJson.WriteCommit([new CommitInfo { Operation = "DELETE" }, RemoveFile.For(a, OldMs), withDv]));
        Write(table, "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", OldMs);
        Write(table, "ab/deletion_vector_00000000-0000-0000-0000-000000000000.bin", OldMs);

        var result = Vacuum.Run(table.Path, new VacuumOptions { TimeProvider = new FixedClock(Now), LogToHistory = false });

        Assert.Contains("ab/deletion_vector_00000000-0000-0000-0000-000000000000.bin", result.Files);
        Assert.DoesNotContain("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", result.Files);
        Assert.True(Exists(table, "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"));
        Assert.True(Exists(table, "_p=1/a.parquet"));
    }

    private static void Write(TableCopy table, string relative, long mtimeMs)
    {
        var full = Path.Combine(table.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, [1, 2, 3]);
        File.SetLastWriteTimeUtc(full, DateTime.UnixEpoch.AddMilliseconds(mtimeMs));
    }

    private static bool Exists(TableCopy table, string relative) => File.Exists(Path.Combine(table.Path, relative));
}
