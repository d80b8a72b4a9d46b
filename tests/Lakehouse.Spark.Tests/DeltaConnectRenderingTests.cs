using Lakehouse.Spark.Delta;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;
using DeltaTable = Lakehouse.Spark.Delta.DeltaTable;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// What the client sends a Spark 4 server (and the embedded engine): Delta Connect messages, built the way
/// delta-spark's Python client builds them (delta-io/delta v4.0.0 python/delta/connect/tables.py and plan.py),
/// for the examples of the Delta documentation. Expected messages are written field by field. DML, optimize
/// and restore relations must go out in exactly one ExecutePlan and never be analyzed (brief §6b).
/// </summary>
public sealed class DeltaConnectRenderingTests
{
    private const string Events = "/data/events";

    [Fact]
    public async Task DeleteAsync_ColumnCondition_SendsDeleteFromTableOnceAndReturnsAffectedRows()
    {
        // delta.io "Table deletes, updates, and merges", Delete: deltaTable.delete(col("date") < "2017-01-01").
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_affected_rows", 7))]);
        await using var _ = server;
        await using var __ = spark;

        var deleted = await DeltaTable.ForPath(spark, Events).DeleteAsync(Col("date") < "2017-01-01");

        var (relation, planId) = D.SentRelation(server.Behaviour);
        var expected = new DeltaRelation
        {
            DeleteFromTable = new DeleteFromTable { Target = D.ScanOf(Events, 0), Condition = P.Fn("<", P.Attr("date"), P.Str("2017-01-01")) },
        };
        Assert.Equal(expected, relation);
        Assert.Equal(1, planId);
        Assert.Equal(7, deleted);
        D.AssertNothingAnalyzed(server.Behaviour);
    }

    [Fact]
    public async Task DeleteAsync_NoCondition_SendsDeleteWithoutCondition()
    {
        // tables.py delete(): the condition is only set when given.
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_affected_rows", 3))]);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, Events).DeleteAsync();

        var (relation, _) = D.SentRelation(server.Behaviour);
        Assert.Equal(new DeltaRelation { DeleteFromTable = new DeleteFromTable { Target = D.ScanOf(Events, 0) } }, relation);
    }

    [Fact]
    public async Task UpdateAsync_SqlStrings_SendsUpdateTableWithExpressionStrings()
    {
        // Docs, Update: deltaTable.update(condition = "eventType = 'clck'", set = { "eventType": "'click'" }).
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_affected_rows", 2))]);
        await using var _ = server;
        await using var __ = spark;

        var updated = await DeltaTable.ForPath(spark, Events).UpdateAsync("eventType = 'clck'", new Dictionary<string, string> { ["eventType"] = "'click'" });

        var (relation, _) = D.SentRelation(server.Behaviour);
        var expected = new DeltaRelation
        {
            UpdateTable = new UpdateTable
            {
                Target = D.ScanOf(Events, 0),
                Condition = D.SqlExpr("eventType = 'clck'"),
                Assignments = { D.Set("eventType", D.SqlExpr("'click'")) },
            },
        };
        Assert.Equal(expected, relation);
        Assert.Equal(2, updated);
        D.AssertNothingAnalyzed(server.Behaviour);
    }

    [Fact]
    public async Task MergeExecuteAsync_DocumentedUpsert_SendsMergeIntoTableOnceAndReadsMetrics()
    {
        // Docs, "Upsert into a table using merge": deltaTablePeople.alias('people').merge(dfUpdates.alias('updates'),
        // 'people.id = updates.id').whenMatchedUpdate(set=…).whenNotMatchedInsert(values=…).execute(), plus a
        // whenNotMatchedBySourceDelete clause. Metric names: MergeIntoCommand's output (brief §6a).
        var metrics = D.Metrics(("num_affected_rows", 5), ("num_updated_rows", 2), ("num_deleted_rows", 1), ("num_inserted_rows", 2));
        var (server, spark) = await D.StartAsync(D.Spark4, [metrics]);
        await using var _ = server;
        await using var __ = spark;
        var people = DeltaTable.ForPath(spark, "/tmp/delta/people-10m").As("people");
        var updates = spark.Table("people10mupdates").Alias("updates");

        var result = await people.Merge(updates, "people.id = updates.id")
            .WhenMatched().Update(new Dictionary<string, string> { ["id"] = "updates.id", ["firstName"] = "updates.firstName" })
            .WhenNotMatched().Insert(new Dictionary<string, string> { ["id"] = "updates.id", ["firstName"] = "updates.firstName" })
            .WhenNotMatchedBySource().Delete()
            .ExecuteAsync();

        var (relation, planId) = D.SentRelation(server.Behaviour);
        var expected = new DeltaRelation
        {
            MergeIntoTable = new MergeIntoTable
            {
                Target = D.Aliased(D.ScanOf("/tmp/delta/people-10m", 0), "people", 1),
                Source = D.Aliased(P.Table("people10mupdates", 2), "updates", 3),
                Condition = D.SqlExpr("people.id = updates.id"),
                MatchedActions =
                {
                    new MergeIntoTable.Types.Action
                    {
                        UpdateAction = new() { Assignments = { D.Set("id", D.SqlExpr("updates.id")), D.Set("firstName", D.SqlExpr("updates.firstName")) } },
                    },
                },
                NotMatchedActions =
                {
                    new MergeIntoTable.Types.Action
                    {
                        InsertAction = new() { Assignments = { D.Set("id", D.SqlExpr("updates.id")), D.Set("firstName", D.SqlExpr("updates.firstName")) } },
                    },
                },
                NotMatchedBySourceActions = { new MergeIntoTable.Types.Action { DeleteAction = new() } },
                // plan.py always sends with_schema_evolution (false unless withSchemaEvolution()).
                WithSchemaEvolution = false,
            },
        };
        Assert.Equal(expected, relation);
        Assert.Equal(4, planId);
        Assert.Equal(new MergeMetrics(5, 2, 1, 2), result);
        D.AssertNothingAnalyzed(server.Behaviour);
    }

    [Fact]
    public async Task MergeExecuteAsync_StarActionsConditionsAndSchemaEvolution_SendsEachClauseInOrder()
    {
        // Docs, merge examples: whenMatchedUpdateAll / whenNotMatchedInsertAll, conditional clauses
        // (whenMatchedDelete(condition = "s.deleted = true")), whenNotMatchedBySourceUpdate, withSchemaEvolution().
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_affected_rows", 0))]);
        await using var _ = server;
        await using var __ = spark;
        var target = DeltaTable.ForName(spark, "silver.orders").As("t");
        var source = spark.Table("bronze.orders").Alias("s");

        var result = await target.Merge(source, Col("t.id") == Col("s.id"))
            .WhenMatched("s.deleted = true").Delete()
            .WhenMatched().UpdateAll()
            .WhenNotMatched().InsertAll()
            .WhenNotMatchedBySource(Col("t.active")).Update(new Dictionary<string, Column> { ["active"] = Lit(false) })
            .WithSchemaEvolution()
            .ExecuteAsync();

        var (relation, _) = D.SentRelation(server.Behaviour);
        var expected = new DeltaRelation
        {
            MergeIntoTable = new MergeIntoTable
            {
                Target = D.Aliased(
                    new Relation
                    {
                        Common = P.Id(0),
                        Extension = Google.Protobuf.WellKnownTypes.Any.Pack(new DeltaRelation { Scan = new Scan { Table = new Protos.Delta.DeltaTable { TableOrViewName = "silver.orders" } } }),
                    },
                    "t",
                    1),
                Source = D.Aliased(P.Table("bronze.orders", 2), "s", 3),
                Condition = P.Fn("==", P.Attr("t.id"), P.Attr("s.id")),
                MatchedActions =
                {
                    new MergeIntoTable.Types.Action { Condition = D.SqlExpr("s.deleted = true"), DeleteAction = new() },
                    new MergeIntoTable.Types.Action { UpdateStarAction = new() },
                },
                NotMatchedActions = { new MergeIntoTable.Types.Action { InsertStarAction = new() } },
                NotMatchedBySourceActions =
                {
                    new MergeIntoTable.Types.Action
                    {
                        Condition = P.Attr("t.active"),
                        UpdateAction = new() { Assignments = { D.Set("active", new Expression { Literal = new() { Boolean = false } }) } },
                    },
                },
                WithSchemaEvolution = true,
            },
        };
        Assert.Equal(expected, relation);
        // Metrics the server did not report are -1.
        Assert.Equal(new MergeMetrics(0, -1, -1, -1), result);
    }

    [Fact]
    public async Task VacuumAsync_RetentionHours_SendsVacuumCommand()
    {
        // Docs, "Vacuum": deltaTable.vacuum(100) — retention in hours; vacuum() uses the table's default.
        var (server, spark) = await D.StartAsync(D.Spark4);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, Events).VacuumAsync(100);

        var command = D.SentCommand(server.Behaviour);
        Assert.Equal(new DeltaCommand { VacuumTable = new VacuumTable { Table = D.PathTable(Events), RetentionHours = 100 } }, command);
    }

    [Fact]
    public async Task VacuumAsync_NoRetention_LeavesRetentionUnset()
    {
        var (server, spark) = await D.StartAsync(D.Spark4);
        await using var _ = server;
        await using var __ = spark;

        var result = await DeltaTable.ForPath(spark, Events).VacuumAsync();

        var command = D.SentCommand(server.Behaviour);
        Assert.False(command.VacuumTable.HasRetentionHours);
        Assert.Equal(new DeltaCommand { VacuumTable = new VacuumTable { Table = D.PathTable(Events) } }, command);
        Assert.Equal("path STRING", result.Relation.LocalRelation.Schema);
    }

    [Fact]
    public async Task VacuumAsync_ServerAttachesResult_ReturnsIt()
    {
        // Delta's VACUUM result is the table path (one row); a server that attaches it to the command answer is read.
        var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour
        {
            SparkVersion = D.Spark4,
            ExtensionCommandResult = new Relation { Sql = new SQL { Query = "SELECT '/data/events' AS path" } },
        });
        await using var _ = server;
        await using var spark = await server.SessionAsync();

        var result = await DeltaTable.ForPath(spark, Events).VacuumAsync(168);

        Assert.Equal("SELECT '/data/events' AS path", result.Relation.Sql.Query);
        Assert.Single(server.Behaviour.Executes);
    }

    [Fact]
    public async Task OptimizeExecuteZOrderByAsync_WhereAndColumns_SendsOptimizeTableOnce()
    {
        // Docs, "Optimizations": deltaTable.optimize().where("date='2021-11-18'").executeZOrderBy("eventType").
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Strings("path", Events)]);
        await using var _ = server;
        await using var __ = spark;

        var result = await DeltaTable.ForPath(spark, Events).Optimize().Where("date='2021-11-18'").ExecuteZOrderByAsync("eventType");

        var (relation, _) = D.SentRelation(server.Behaviour);
        var expected = new DeltaRelation
        {
            OptimizeTable = new OptimizeTable { Table = D.PathTable(Events), PartitionFilters = { "date='2021-11-18'" }, ZorderColumns = { "eventType" } },
        };
        Assert.Equal(expected, relation);
        // The result is re-wrapped locally: reading it never sends the optimize again.
        Assert.Equal(Relation.RelTypeOneofCase.LocalRelation, result.Relation.RelTypeCase);
        D.AssertNothingAnalyzed(server.Behaviour);
    }

    [Fact]
    public async Task OptimizeExecuteCompactionAsync_NoFilter_SendsEmptyLists()
    {
        // Docs: deltaTable.optimize().executeCompaction().
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Strings("path", Events)]);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, Events).Optimize().ExecuteCompactionAsync();

        var (relation, _) = D.SentRelation(server.Behaviour);
        Assert.Equal(new DeltaRelation { OptimizeTable = new OptimizeTable { Table = D.PathTable(Events) } }, relation);
    }

    [Fact]
    public async Task RestoreAsync_VersionAndTimestamp_SendRestoreTable()
    {
        // Docs, "Table utility commands", Restore: deltaTable.restoreToVersion(0); restoreToTimestamp('2019-02-14').
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_restored_files", 4))]);
        await using var _ = server;
        await using var __ = spark;
        var table = DeltaTable.ForPath(spark, Events);

        var byVersion = await table.RestoreToVersionAsync(0);
        await table.RestoreToTimestampAsync("2019-02-14");

        var sent = server.Behaviour.Executes.Select(e => e.Plan.Root.Extension.Unpack<DeltaRelation>()).ToList();
        Assert.Equal(
            [
                new DeltaRelation { RestoreTable = new RestoreTable { Table = D.PathTable(Events), Version = 0 } },
                new DeltaRelation { RestoreTable = new RestoreTable { Table = D.PathTable(Events), Timestamp = "2019-02-14" } },
            ],
            sent);
        Assert.Equal(RestoreTable.VersionOrTimestampOneofCase.Version, sent[0].RestoreTable.VersionOrTimestampCase);
        Assert.Equal(4L, Assert.Single(await byVersion.CollectAsync())["num_restored_files"]);
        // Two restores, two executions; collecting the result ran a LocalRelation, not the restore.
        Assert.Equal(Relation.RelTypeOneofCase.LocalRelation, server.Behaviour.Executes.Last().Plan.Root.RelTypeCase);
        D.AssertNothingAnalyzed(server.Behaviour);
    }

    [Fact]
    public async Task CreateIfNotExistsExecuteAsync_DocumentedBuilder_SendsCreateDeltaTable()
    {
        // Docs, "Create a table" (DeltaTableBuilder): createIfNotExists(spark).tableName("default.people10m")
        // .addColumn("id", "INT").addColumn("firstName", "STRING").partitionedBy("gender")
        // .property("description", "table with people data").location("/tmp/delta/people10m").execute().
        var (server, spark) = await D.StartAsync(D.Spark4);
        await using var _ = server;
        await using var __ = spark;

        var table = await DeltaTable.CreateIfNotExists(spark)
            .TableName("default.people10m")
            .AddColumn("id", "INT", nullable: false)
            .AddColumn("firstName", "STRING", comment: "given name")
            .AddColumn("gender", "STRING")
            .PartitionedBy("gender")
            .Property("description", "table with people data")
            .Location("/tmp/delta/people10m")
            .ExecuteAsync();

        var create = new CreateDeltaTable
        {
            Mode = CreateDeltaTable.Types.Mode.CreateIfNotExists,
            TableName = "default.people10m",
            Location = "/tmp/delta/people10m",
            Columns =
            {
                new CreateDeltaTable.Types.Column { Name = "id", DataType = Unparsed("INT"), Nullable = false },
                new CreateDeltaTable.Types.Column { Name = "firstName", DataType = Unparsed("STRING"), Nullable = true, Comment = "given name" },
                new CreateDeltaTable.Types.Column { Name = "gender", DataType = Unparsed("STRING"), Nullable = true },
            },
            PartitioningColumns = { "gender" },
            Properties = { ["description"] = "table with people data" },
        };
        Assert.Equal(new DeltaCommand { CreateDeltaTable = create }, D.SentCommand(server.Behaviour));
        Assert.Equal("default.people10m", table.Table.Name);
    }

    [Fact]
    public async Task IsDeltaTableAsync_Connect_SendsIsDeltaTableAndReadsTheBoolean()
    {
        // tables.py isDeltaTable: DataFrame(IsDeltaTable(identifier)).toPandas().iloc[0].iloc[0].
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Bool("value", true)]);
        await using var _ = server;
        await using var __ = spark;

        Assert.True(await DeltaTable.IsDeltaTableAsync(spark, Events));
        var (relation, _) = D.SentRelation(server.Behaviour);
        Assert.Equal(new DeltaRelation { IsDeltaTable = new IsDeltaTable { Path = Events } }, relation);
    }

    [Fact]
    public void HistoryAndDetail_Connect_AreLazyScanLikeRelations()
    {
        // Docs, "Retrieve Delta table history": deltaTable.history(1) — tables.py: describe_history, then limit.
        var spark = P.OfflineSession();
        var table = DeltaTable.ForPath(spark, Events);

        var history = table.History(1).Relation;
        var detail = table.Detail().Relation;

        Assert.Equal(Relation.RelTypeOneofCase.Limit, history.RelTypeCase);
        Assert.Equal(1, history.Limit.Limit_);
        Assert.Equal(new DeltaRelation { DescribeHistory = new DescribeHistory { Table = D.PathTable(Events) } }, history.Limit.Input.Extension.Unpack<DeltaRelation>());
        Assert.Equal(new DeltaRelation { DescribeDetail = new DescribeDetail { Table = D.PathTable(Events) } }, detail.Extension.Unpack<DeltaRelation>());
    }

    [Fact]
    public void ToDF_Aliased_IsScanUnderSubqueryAlias()
    {
        // tables.py: toDF() is the table's plan (DeltaScan); alias() wraps it in SubqueryAlias.
        var spark = P.OfflineSession();

        var frame = DeltaTable.ForPath(spark, Events).As("e").ToDF();

        Assert.Equal(D.Aliased(D.ScanOf(Events, 0), "e", 1), frame.Relation);
    }

    private static DataType Unparsed(string ddl) => new() { Unparsed = new DataType.Types.Unparsed { DataTypeString = ddl } };
}
