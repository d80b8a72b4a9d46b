using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Delta;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos.Delta;
using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>DELETE and UPDATE of Delta Connect on the embedded engine: results, the files they touch, commitInfo, and the write confs.</summary>
public sealed class DeltaDmlTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Delete_DataPredicate_RewritesOnlyFilesWithMatchingRows()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");
        var first = DeltaTables.FileWithId(path, 1);

        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "t.amount = 20")));

        Assert.Equal([first], DeltaTables.Removed(path, 2));
        var info = DeltaTables.Info(path, 2);
        Assert.Equal("DELETE", info.Operation);
        Assert.Equal("1", info.OperationMetrics!["numDeletedRows"]);
        Assert.Equal("1", info.OperationMetrics["numCopiedRows"]);
        Assert.Equal("1", info.OperationMetrics["numRemovedFiles"]);
        Assert.Equal("[\"t.amount = 20\"]", info.OperationParameters!["predicate"]);
        DeltaTables.AssertRows(path, "1|a|10", "11|k|110", "12|l|120");
    }

    [Fact]
    public async Task Delete_PartitionPredicate_RemovesWholeFilesWithoutRewriting()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, ["name"], "(1, 'a', 10), (2, 'b', 20), (3, 'b', 30)");

        Assert.Equal(2, await AffectedAsync(spark, DeleteFrom(path, "name = 'b'")));

        Assert.Single(DeltaTables.Removed(path, 1));
        Assert.Empty(DeltaTables.Added(path, 1));
        Assert.Equal("0", DeltaTables.Info(path, 1).OperationMetrics!["numCopiedRows"]);
        Assert.Equal(["a"], Snapshot.Load(path).Files.Select(f => f.PartitionValues["name"]));
        Assert.Single(DeltaTables.Rows(path));
    }

    [Fact]
    public async Task Delete_NoCondition_RemovesEveryFile()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)", "(2, 'b', 20)");

        Assert.Equal(2, await AffectedAsync(spark, DeleteFrom(path, null)));
        Assert.Empty(Snapshot.Load(path).Files);
        Assert.Equal("[]", DeltaTables.Info(path, 2).OperationParameters!["predicate"]);
    }

    [Fact]
    public async Task Delete_NothingMatches_CommitsNothing()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");

        Assert.Equal(0, await AffectedAsync(spark, DeleteFrom(path, "id = 99")));
        Assert.Equal(0, Snapshot.Load(path).Version);
    }

    [Fact]
    public async Task Update_ConditionAndAssignments_UpdatesMatchingRowsInTheirFilesOnly()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(11, 'k', 110), (12, 'l', 120)");
        var second = DeltaTables.FileWithId(path, 11);

        var update = new UpdateTable { Target = Target(path), Condition = Fn(">=", Col("t.id"), Lit(12)) };
        update.Assignments.Add(Set("amount", "t.amount * 2"));
        update.Assignments.Add(Set("t.name", "'L'"));
        Assert.Equal(1, await AffectedAsync(spark, new DeltaRelation { UpdateTable = update }));

        Assert.Equal([second], DeltaTables.Removed(path, 2));
        var info = DeltaTables.Info(path, 2);
        Assert.Equal("UPDATE", info.Operation);
        Assert.Equal("1", info.OperationMetrics!["numUpdatedRows"]);
        Assert.Equal("1", info.OperationMetrics["numCopiedRows"]);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "11|k|110", "12|L|240");
    }

    [Fact]
    public async Task Update_NullCondition_LeavesRowsWhereItIsUnknown()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', NULL), (2, 'b', 20)");

        var update = new UpdateTable { Target = Target(path), Condition = Expr("amount > 5") };
        update.Assignments.Add(Set("name", "'x'"));
        Assert.Equal(1, await AffectedAsync(spark, new DeltaRelation { UpdateTable = update }));
        DeltaTables.AssertRows(path, "1|a|NULL", "2|x|20");
    }

    [Fact]
    public async Task Delete_IdempotentConfs_SecondRunIsANoOp()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)", "(3, 'c', 30)");
        await spark.Conf.SetAsync(CommitSettings.TxnAppIdKey, "cleanup");
        await spark.Conf.SetAsync(CommitSettings.TxnVersionKey, "1");

        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "id = 1")));
        Assert.Equal(0, await AffectedAsync(spark, DeleteFrom(path, "id = 2")));
        Assert.Equal(2, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "2|b|20", "3|c|30");
    }

    [Fact]
    public async Task WriteOperation_SessionConfs_AreIdempotentAndRecordUserMetadata()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");
        await spark.Conf.SetAsync(CommitSettings.TxnAppIdKey, "ingest");
        await spark.Conf.SetAsync(CommitSettings.TxnVersionKey, "3");
        await spark.Conf.SetAsync(CommitSettings.UserMetadataKey, "batch 3");

        for (var i = 0; i < 2; i++)
        {
            var df = await spark.SqlAsync("SELECT CAST(2 AS BIGINT) AS id, 'b' AS name, CAST(20 AS BIGINT) AS amount");
            await df.Write.Format("delta").Mode("append").SaveAsync(path);
        }

        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
        Assert.Equal("batch 3", DeltaTables.Info(path, 1).UserMetadata);
        Assert.Equal(3, Snapshot.Load(path).TransactionVersion("ingest"));
    }

    [Fact]
    public async Task AnalyzeSchema_OfADeleteRelation_AnswersTheResultShapeWithoutDeleting()
    {
        using var dir = new TempDirectory("dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");

        var plan = new Lakehouse.Spark.Protos.Plan { Root = Pack(DeleteFrom(path, null)) };
        var response = await spark.Client.AnalyzeAsync(new Lakehouse.Spark.Protos.AnalyzePlanRequest
        {
            Schema = new Lakehouse.Spark.Protos.AnalyzePlanRequest.Types.Schema { Plan = plan },
        });

        Assert.Equal(["num_affected_rows"], response.Schema.Schema_.Struct.Fields.Select(f => f.Name));
        Assert.Equal(0, Snapshot.Load(path).Version);
        DeltaTables.AssertRows(path, "1|a|10");
    }
}
