using Lakehouse.Delta.Snapshots;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos.Delta;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>Delta Connect's history, detail, restore, optimize, vacuum, isDeltaTable, scan and create-table on the embedded engine.</summary>
public sealed class DeltaMaintenanceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task DescribeHistory_AfterMerge_ListsVersionsNewestFirstWithDeltasColumns()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");
        var merge = Merge(path, "SELECT * FROM (VALUES (1, 'A', 11)) AS v(id, name, amount)", "t.id = s.id");
        merge.MatchedActions.Add(UpdateAll());
        await MergeAsync(spark, merge);

        var relation = Pack(new DeltaRelation { DescribeHistory = new DescribeHistory { Table = Table(path) } });
        var history = await spark.Client.ExecuteAsync(new Lakehouse.Spark.Protos.Plan { Root = relation }).FirstAsync(r => r.Schema is not null);
        Assert.Equal(
            ["version", "timestamp", "userId", "userName", "operation", "operationParameters", "job", "notebook", "clusterId",
             "readVersion", "isolationLevel", "isBlindAppend", "operationMetrics", "userMetadata", "engineInfo"],
            history.Schema.Struct.Fields.Select(f => f.Name));
        var rows = await RunAsync(spark, relation);
        Assert.Equal([1L, 0L], rows.Select(r => (long)r[0]!));
        Assert.Equal(["MERGE", "WRITE"], rows.Select(r => (string)r[4]!));
        Assert.Equal(0L, rows[0][9]);
    }

    [Fact]
    public async Task DescribeDetail_PartitionedTable_ReportsFilesSizeAndProtocol()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, ["name"], "(1, 'a', 10), (2, 'b', 20)");
        var snapshot = Snapshot.Load(path);

        var row = (await RunAsync(spark, new DeltaRelation { DescribeDetail = new DescribeDetail { Table = Table(path) } })).Single();
        Assert.Equal("delta", row[0]);
        Assert.Equal(snapshot.Metadata.Id, row[1]);
        Assert.Equal(new Uri(path).AbsoluteUri, row[4]);
        Assert.Equal(2L, row[9]);
        Assert.Equal(snapshot.Files.Sum(f => f.Size), row[10]);
        Assert.Equal(1L, row[12]);
        Assert.Equal(2L, row[13]);
    }

    [Fact]
    public async Task RestoreTable_ToVersion_BringsBackTheRowsAndReturnsMetrics()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)", "(2, 'b', 20)");

        var row = (await RunAsync(spark, new DeltaRelation { RestoreTable = new RestoreTable { Table = Table(path), Version = 0 } })).Single();
        Assert.Equal(1L, row[1]); // num_of_files_after_restore
        Assert.Equal(1L, row[2]); // num_removed_files
        Assert.Equal(0L, row[3]); // num_restored_files
        DeltaTables.AssertRows(path, "1|a|10");
        Assert.Equal("RESTORE", DeltaTables.Info(path, 2).Operation);
    }

    [Fact]
    public async Task OptimizeTable_SmallFiles_CompactsThemIntoOne()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)", "(2, 'b', 20)", "(3, 'c', 30)");

        var rows = await RunAsync(spark, new DeltaRelation { OptimizeTable = new OptimizeTable { Table = Table(path) } });
        Assert.Equal(new Uri(path).AbsoluteUri, rows.Single()[0]);
        Assert.Single(Snapshot.Load(path).Files);
        Assert.Equal("OPTIMIZE", DeltaTables.Info(path, 3).Operation);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|c|30");
    }

    [Fact]
    public async Task VacuumTable_ShortRetentionWithoutTheConf_FailsAndWithItDeletesRemovedFiles()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)", "(2, 'b', 20)");
        await RunAsync(spark, new DeltaRelation { DeleteFromTable = new DeleteFromTable { Target = Target(path), Condition = Expr("id = 1") } });
        var vacuum = new DeltaCommand { VacuumTable = new VacuumTable { Table = Table(path), RetentionHours = 0 } };

        await Assert.ThrowsAsync<SparkConnectException>(() => CommandAsync(spark, vacuum));
        await spark.Conf.SetAsync("spark.databricks.delta.retentionDurationCheck.enabled", "false");
        await CommandAsync(spark, vacuum);

        Assert.Single(Directory.GetFiles(path, "*.parquet"));
        DeltaTables.AssertRows(path, "2|b|20");
    }

    [Fact]
    public async Task VacuumAsync_DryRunThroughTheApi_ListsTheRemovedFileAndDeletesNothing()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)", "(2, 'b', 20)");
        await RunAsync(spark, new DeltaRelation { DeleteFromTable = new DeleteFromTable { Target = Target(path), Condition = Expr("id = 1") } });
        await spark.Conf.SetAsync("spark.databricks.delta.retentionDurationCheck.enabled", "false");
        var removed = Snapshot.Load(path).Tombstones.Select(t => t.Path).Single();

        // The client sends VACUUM … RETAIN 0 HOURS DRY RUN as SQL (Delta Connect has no dry-run field).
        var listed = await (await Lakehouse.Spark.Delta.DeltaTable.ForPath(spark, path).VacuumAsync(0, dryRun: true)).CollectAsync();

        Assert.Equal("file:" + new Uri(Path.Combine(path, removed)).AbsolutePath, listed.Single()[0]);
        Assert.Equal(2, Directory.GetFiles(path, "*.parquet").Length);
        DeltaTables.AssertRows(path, "2|b|20");
    }

    [Fact]
    public async Task IsDeltaTableAndScan_ReadTheTable()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");

        Assert.Equal(true, (await RunAsync(spark, new DeltaRelation { IsDeltaTable = new IsDeltaTable { Path = path } })).Single()[0]);
        Assert.Equal(false, (await RunAsync(spark, new DeltaRelation { IsDeltaTable = new IsDeltaTable { Path = dir.Path } })).Single()[0]);
        var scan = await RunAsync(spark, new DeltaRelation { Scan = new Scan { Table = Table(path) } });
        Assert.Equal([1L, "a", 10L], scan.Single());
    }

    [Fact]
    public async Task CreateDeltaTable_IfNotExistsThenOrReplace_CreatesKeepsAndReplaces()
    {
        using var dir = new TempDirectory("maint");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        CreateDeltaTable Create(CreateDeltaTable.Types.Mode mode, params string[] columns)
        {
            var create = new CreateDeltaTable { Mode = mode, Location = path };
            create.Columns.Add(columns.Select(c => new CreateDeltaTable.Types.Column
            {
                Name = c, Nullable = true, DataType = new Lakehouse.Spark.Protos.DataType { Long = new Lakehouse.Spark.Protos.DataType.Types.Long() },
            }));
            return create;
        }

        await CommandAsync(spark, new DeltaCommand { CreateDeltaTable = Create(CreateDeltaTable.Types.Mode.CreateIfNotExists, "id") });
        await CommandAsync(spark, new DeltaCommand { CreateDeltaTable = Create(CreateDeltaTable.Types.Mode.CreateIfNotExists, "other") });
        Assert.Equal(["id"], Snapshot.Load(path).Schema.Fields.Select(f => f.Name));
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => CommandAsync(spark, new DeltaCommand { CreateDeltaTable = Create(CreateDeltaTable.Types.Mode.Create, "id") }));
        Assert.Equal("DELTA_TABLE_ALREADY_EXISTS", e.ErrorClass);

        await CommandAsync(spark, new DeltaCommand { CreateDeltaTable = Create(CreateDeltaTable.Types.Mode.CreateOrReplace, "a", "b") });
        var snapshot = Snapshot.Load(path);
        Assert.Equal(["a", "b"], snapshot.Schema.Fields.Select(f => f.Name));
        Assert.Equal(1, snapshot.Version);
    }
}
