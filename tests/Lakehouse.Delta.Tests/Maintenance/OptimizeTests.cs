using Apache.Arrow;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Tests.Writing;

namespace Lakehouse.Delta.Tests.Maintenance;

public sealed class OptimizeTests
{
    /// <summary>Partition a: three appended files, b: one, c: two; ids 0..59.</summary>
    private static async Task<TableCopy> PartitionedTable()
    {
        var copy = TableCopy.Empty();
        var table = DeltaTable.ForPath(copy.Path);
        table.Create(TestData.IdPartSchema, ["part"]);
        var from = 0L;
        foreach (var part in new[] { "a", "a", "a", "b", "c", "c" })
        {
            await table.AppendAsync([TestData.Ids(from, 10, part)]);
            from += 10;
        }

        return copy;
    }

    [Fact]
    public async Task RunAsync_SmallFilesPerPartition_CompactsEachPartitionIntoOneFileWithoutDataChange()
    {
        using var copy = await PartitionedTable();
        var before = Snapshot.Load(copy.Path);

        var result = await Optimize.RunAsync(copy.Path);

        Assert.Equal(before.Version + 1, result.Version);
        Assert.Equal(5, result.NumRemovedFiles);
        Assert.Equal(2, result.NumAddedFiles);
        Assert.Equal(2, result.PartitionsOptimized);
        var after = Snapshot.Load(copy.Path);
        Assert.Equal(3, after.Files.Count);
        Assert.Equal(["a", "b", "c"], after.Files.Select(f => f.PartitionValues["part"]).Order());
        Assert.Equal(Ids(before), Ids(after));
        var commit = TestData.Commit(copy.Path, after.Version);
        Assert.Equal("OPTIMIZE", commit.Single(a => a.CommitInfo is not null).CommitInfo!.Operation);
        Assert.All(commit.Where(a => a.Add is not null), a => Assert.False(a.Add!.DataChange));
        Assert.All(commit.Where(a => a.Remove is not null), a => Assert.False(a.Remove!.DataChange));
        var metrics = commit.Single(a => a.CommitInfo is not null).CommitInfo!.OperationMetrics!;
        Assert.Equal("5", metrics["numRemovedFiles"]);
        Assert.Equal("2", metrics["numAddedFiles"]);
        Assert.Equal(before.Files.Where(f => f.PartitionValues["part"] != "b").Sum(f => f.Size).ToString(System.Globalization.CultureInfo.InvariantCulture), metrics["numRemovedBytes"]);
    }

    [Fact]
    public async Task RunAsync_WherePartition_CompactsOnlyMatchingPartitions()
    {
        using var copy = await PartitionedTable();

        var result = await Optimize.RunAsync(copy.Path, new OptimizeOptions { Where = "part = 'c'" });

        Assert.Equal(2, result.NumRemovedFiles);
        Assert.Equal(1, result.NumAddedFiles);
        var files = Snapshot.Load(copy.Path).Files;
        Assert.Equal(3, files.Count(f => f.PartitionValues["part"] == "a"));
        Assert.Equal(1, files.Count(f => f.PartitionValues["part"] == "c"));
        var info = TableHistory.Read(copy.Path, limit: 1).Single();
        Assert.Equal("[\"part = 'c'\"]", info.OperationParameters["predicate"]);
    }

    [Fact]
    public async Task RunAsync_WhereOnDataColumn_IsRejected()
    {
        using var copy = await PartitionedTable();
        var version = Snapshot.Load(copy.Path).Version;

        var e = await Assert.ThrowsAsync<DeltaException>(() => Optimize.RunAsync(copy.Path, new OptimizeOptions { Where = "id > 5" }));

        Assert.Equal(DeltaErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("only partition columns", e.Message, StringComparison.Ordinal);
        Assert.Equal(version, Snapshot.Load(copy.Path).Version);
    }

    [Fact]
    public async Task RunAsync_TargetSmallerThanFiles_CommitsNothing()
    {
        using var copy = await PartitionedTable();
        var version = Snapshot.Load(copy.Path).Version;

        var result = await Optimize.RunAsync(copy.Path, new OptimizeOptions { TargetFileSize = 1 });

        Assert.Null(result.Version);
        Assert.Equal(0, result.NumRemovedFiles);
        Assert.Equal(version, Snapshot.Load(copy.Path).Version);
    }

    [Fact]
    public async Task RunAsync_TargetFitsTwoFiles_PacksPairs()
    {
        using var copy = await PartitionedTable();
        var sizes = Snapshot.Load(copy.Path).Files.Where(f => f.PartitionValues["part"] == "a").Select(f => f.Size).Order().ToList();

        // Room for the two smallest of partition a, not for all three.
        var result = await Optimize.RunAsync(copy.Path, new OptimizeOptions { TargetFileSize = sizes[0] + sizes[1], Where = "part = 'a'" });

        Assert.Equal(2, result.NumRemovedFiles);
        Assert.Equal(1, result.NumAddedFiles);
        Assert.Equal(2, Snapshot.Load(copy.Path).Files.Count(f => f.PartitionValues["part"] == "a"));
    }

    [Fact]
    public async Task RunAsync_SparkTable_OneFileWithTheExpectedRows()
    {
        using var copy = TableCopy.Of("time-travel-start-start20-start40");

        var result = await Optimize.RunAsync(copy.Path);

        Assert.Equal(3, result.Version);
        Assert.Equal(6, result.NumRemovedFiles);
        var after = Snapshot.Load(copy.Path);
        Assert.Single(after.Files);
        // expected.json: the latest version holds ids 0..29.
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), Ids(after));
    }

    [Fact]
    public void Pack_AscendingSizes_NewBinWhenTargetWouldOverflow()
    {
        var files = new[] { 5L, 1, 3, 4, 2 }.Select(s => new Actions.AddFile { Path = $"f{s}", Size = s });

        var bins = Optimize.Pack(files, targetSize: 6);

        Assert.Equal([[1L, 2, 3], [4], [5]], bins.Select(b => b.Select(f => f.Size).ToList()));
    }

    private static List<long> Ids(Snapshot snapshot) =>
        new DeltaScan(snapshot).ReadBatches()
            .SelectMany(b => ((Int64Array)b.Column("id")).Values.ToArray())
            .Order()
            .ToList();
}
