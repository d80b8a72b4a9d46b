using Lakehouse.Spark.Delta;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// What the client sends a Spark 3.5 server (no Delta Connect): Delta SQL through SqlCommand, with the
/// statement forms of the Delta documentation (delta.io "Table deletes, updates, and merges", "Optimizations",
/// "Vacuum", "Table utility commands", "Create a table"). Expected texts are written by hand; where ours
/// differs from the docs' text it is only in quoting (every identifier backquoted) and parentheses.
/// </summary>
public sealed class DeltaSqlRenderingTests
{
    private const string Events = "/data/events";

    [Fact]
    public async Task DeleteAsync_SqlCondition_SendsDeleteFromAndReadsAffectedRows()
    {
        // Docs: DELETE FROM delta.`/data/events/` WHERE date < '2017-01-01'
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Metrics(("num_affected_rows", 12))]);
        await using var _ = server;
        await using var __ = spark;

        var deleted = await DeltaTable.ForPath(spark, Events).DeleteAsync("date < '2017-01-01'");

        Assert.Equal(["DELETE FROM delta.`/data/events` WHERE (date < '2017-01-01')"], D.SentSql(server.Behaviour));
        Assert.Equal(12, deleted);
        Assert.Single(server.Behaviour.Executes);
    }

    [Fact]
    public async Task UpdateAsync_Columns_SendsUpdateSetWhere()
    {
        // Docs: UPDATE delta.`/data/events/` SET eventType = 'click' WHERE eventType = 'clck'
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Metrics(("num_affected_rows", 2))]);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, Events).UpdateAsync(Col("eventType") == "clck", new Dictionary<string, Column> { ["eventType"] = Lit("click") });

        Assert.Equal(["UPDATE delta.`/data/events` SET `eventType` = 'click' WHERE (`eventType` = 'clck')"], D.SentSql(server.Behaviour));
    }

    [Fact]
    public async Task MergeExecuteAsync_DocumentedUpsert_CreatesViewMergesOnceAndDropsView()
    {
        // Docs, "Upsert into a table using merge" (SQL): MERGE INTO people10m USING people10mupdates
        // ON people10m.id = people10mupdates.id WHEN MATCHED THEN UPDATE SET … WHEN NOT MATCHED THEN INSERT (…) VALUES (…);
        // plus WHEN NOT MATCHED BY SOURCE THEN DELETE ("Modify all unmatched rows using merge").
        var metrics = D.Metrics(("num_affected_rows", 5), ("num_updated_rows", 2), ("num_deleted_rows", 1), ("num_inserted_rows", 2));
        var (server, spark) = await D.StartAsync(D.Spark35, [metrics]);
        await using var _ = server;
        await using var __ = spark;
        var updates = spark.Table("people10mupdates").Alias("updates");

        var result = await DeltaTable.ForName(spark, "people10m").As("people").Merge(updates, "people.id = updates.id")
            .WhenMatched().Update(new Dictionary<string, string> { ["id"] = "updates.id", ["firstName"] = "updates.firstName" })
            .WhenNotMatched().Insert(new Dictionary<string, string> { ["id"] = "updates.id", ["firstName"] = "updates.firstName" })
            .WhenNotMatchedBySource().Delete()
            .ExecuteAsync();

        var executes = server.Behaviour.Executes.ToList();
        Assert.Equal(3, executes.Count);
        var view = executes[0].Plan.Command.CreateDataframeView;
        Assert.StartsWith("lakehouse_merge_source_", view.Name);
        Assert.False(view.IsGlobal);
        Assert.Equal(updates.Relation, view.Input);
        Assert.Equal(
            [
                $"MERGE INTO `people10m` AS `people` USING `{view.Name}` AS `updates` ON (people.id = updates.id) " +
                "WHEN MATCHED THEN UPDATE SET `id` = (updates.id), `firstName` = (updates.firstName) " +
                "WHEN NOT MATCHED THEN INSERT (`id`, `firstName`) VALUES ((updates.id), (updates.firstName)) " +
                "WHEN NOT MATCHED BY SOURCE THEN DELETE",
                $"DROP VIEW IF EXISTS `{view.Name}`",
            ],
            D.SentSql(server.Behaviour));
        Assert.Equal(new MergeMetrics(5, 2, 1, 2), result);
    }

    [Fact]
    public async Task MergeExecuteAsync_PlanBoundColumnsAndConditions_QualifiesBySide()
    {
        // Columns taken from the DataFrames (table.ToDF()["id"], source["id"]) name their side; without a source
        // alias the view name qualifies. Docs: WHEN MATCHED AND … THEN UPDATE SET *, WHEN NOT MATCHED THEN INSERT *.
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Metrics(("num_affected_rows", 1))]);
        await using var _ = server;
        await using var __ = spark;
        var target = DeltaTable.ForPath(spark, Events).As("t");
        var source = spark.Table("staging.events");

        await target.Merge(source, target.ToDF()["id"] == source["id"])
            .WhenMatched(source["deleted"] == true).Delete()
            .WhenMatched(source["ts"] > target.ToDF()["ts"]).UpdateAll()
            .WhenNotMatched().InsertAll()
            .WhenNotMatchedBySource(Col("t.ts") < Lit(new DateOnly(2024, 1, 1))).Update(new Dictionary<string, Column> { ["active"] = Lit(false) })
            .ExecuteAsync();

        var view = server.Behaviour.Executes.First().Plan.Command.CreateDataframeView.Name;
        Assert.Equal(
            $"MERGE INTO delta.`/data/events` AS `t` USING `{view}` ON (`t`.`id` = `{view}`.`id`) " +
            $"WHEN MATCHED AND (`{view}`.`deleted` = TRUE) THEN DELETE " +
            $"WHEN MATCHED AND (`{view}`.`ts` > `t`.`ts`) THEN UPDATE SET * " +
            "WHEN NOT MATCHED THEN INSERT * " +
            "WHEN NOT MATCHED BY SOURCE AND (`t`.`ts` < DATE '2024-01-01') THEN UPDATE SET `active` = FALSE",
            D.SentSql(server.Behaviour)[0]);
    }

    [Fact]
    public async Task MergeExecuteAsync_SchemaEvolution_EnablesAutoMergeForTheMergeOnly()
    {
        // Docs, "Automatic schema evolution": SQL MERGE evolves the schema with
        // spark.databricks.delta.schema.autoMerge.enabled = true (Delta 3 has no MERGE WITH SCHEMA EVOLUTION).
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Metrics(("num_affected_rows", 1))]);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, Events).As("t").Merge(spark.Table("s").Alias("s"), "t.id = s.id")
            .WhenNotMatched().InsertAll().WithSchemaEvolution().ExecuteAsync();

        var configs = server.Behaviour.Configs.Select(c => c.Operation).ToList();
        Assert.Equal(3, configs.Count);
        Assert.Equal("spark.databricks.delta.schema.autoMerge.enabled", configs[0].GetWithDefault.Pairs[0].Key);
        Assert.Equal(("spark.databricks.delta.schema.autoMerge.enabled", "true"), (configs[1].Set.Pairs[0].Key, configs[1].Set.Pairs[0].Value));
        Assert.Equal("false", configs[2].Set.Pairs[0].Value);
        Assert.Equal("false", server.Behaviour.Conf["spark.databricks.delta.schema.autoMerge.enabled"]);
    }

    [Fact]
    public async Task VacuumAsync_RetentionAndDryRun_SendsVacuumStatements()
    {
        // Docs, "Vacuum": VACUUM delta.`/data/events/` RETAIN 100 HOURS; VACUUM eventsTable DRY RUN.
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Strings("path", Events)]);
        await using var _ = server;
        await using var __ = spark;
        var table = DeltaTable.ForPath(spark, Events);

        var vacuumed = await table.VacuumAsync(100);
        await table.VacuumAsync(null, dryRun: true);
        await table.VacuumAsync(0.5);

        Assert.Equal(
            ["VACUUM delta.`/data/events` RETAIN 100 HOURS", "VACUUM delta.`/data/events` DRY RUN", "VACUUM delta.`/data/events` RETAIN 0.5 HOURS"],
            D.SentSql(server.Behaviour));
        Assert.Equal(Events, Assert.Single(await vacuumed.CollectAsync())["path"]);
    }

    [Fact]
    public async Task OptimizeAsync_WhereAndZOrder_SendsOptimizeStatement()
    {
        // Docs, "Optimizations": OPTIMIZE events WHERE date >= '2022-11-18' ZORDER BY (eventType)
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Strings("path", Events)]);
        await using var _ = server;
        await using var __ = spark;
        var table = DeltaTable.ForName(spark, "events");

        await table.Optimize().Where("date >= '2022-11-18'").ExecuteZOrderByAsync("eventType");
        await table.Optimize().Where("date >= '2022-11-18'").Where("region = 'eu'").ExecuteCompactionAsync();

        Assert.Equal(
            [
                "OPTIMIZE `events` WHERE (date >= '2022-11-18') ZORDER BY (`eventType`)",
                "OPTIMIZE `events` WHERE (date >= '2022-11-18') AND (region = 'eu')",
            ],
            D.SentSql(server.Behaviour));
    }

    [Fact]
    public async Task RestoreAsync_VersionAndTimestamp_SendsRestoreTable()
    {
        // Docs, "Table utility commands": RESTORE TABLE db.target_table TO VERSION AS OF <version>;
        // RESTORE TABLE delta.`/data/target/` TO TIMESTAMP AS OF <timestamp>.
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Metrics(("num_restored_files", 3))]);
        await using var _ = server;
        await using var __ = spark;
        var table = DeltaTable.ForPath(spark, Events);

        var restored = await table.RestoreToVersionAsync(0);
        await table.RestoreToTimestampAsync("2019-02-14");

        Assert.Equal(
            ["RESTORE TABLE delta.`/data/events` TO VERSION AS OF 0", "RESTORE TABLE delta.`/data/events` TO TIMESTAMP AS OF '2019-02-14'"],
            D.SentSql(server.Behaviour));
        Assert.Equal(3L, Assert.Single(await restored.CollectAsync())["num_restored_files"]);
    }

    [Fact]
    public async Task HistoryAndDetail_Spark35_AreLazySqlRelations()
    {
        // Docs: DESCRIBE HISTORY '/data/events/' LIMIT 1; DESCRIBE DETAIL '/data/events/' (path identifier form).
        var (server, spark) = await D.StartAsync(D.Spark35);
        await using var _ = server;
        await using var __ = spark;
        await spark.VersionAsync();
        var table = DeltaTable.ForPath(spark, Events);

        var history = table.History(1).Relation;
        var detail = table.Detail().Relation;

        Assert.Equal("DESCRIBE HISTORY delta.`/data/events` LIMIT 1", history.Sql.Query);
        Assert.Equal("DESCRIBE DETAIL delta.`/data/events`", detail.Sql.Query);
        Assert.Empty(server.Behaviour.Executes);
    }

    [Fact]
    public async Task CreateIfNotExistsExecuteAsync_DocumentedBuilder_SendsCreateTable()
    {
        // Docs, "Create a table": CREATE TABLE IF NOT EXISTS default.people10m (id INT, firstName STRING, …)
        // USING DELTA PARTITIONED BY (gender) LOCATION '/tmp/delta/people10m'.
        var (server, spark) = await D.StartAsync(D.Spark35);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.CreateIfNotExists(spark)
            .TableName("default.people10m")
            .AddColumn("id", "INT", nullable: false)
            .AddColumn("firstName", "STRING", comment: "given name")
            .AddColumn("gender", "STRING")
            .PartitionedBy("gender")
            .Property("description", "table with people data")
            .Location("/tmp/delta/people10m")
            .ExecuteAsync();
        await DeltaTable.CreateOrReplace(spark).Location("/tmp/t").AddColumn("id", "BIGINT").AddColumn("day", "DATE", generatedAlwaysAs: "CAST(ts AS DATE)")
            .ClusterBy("id").ExecuteAsync();

        Assert.Equal(
            [
                "CREATE TABLE IF NOT EXISTS `default`.`people10m` (`id` INT NOT NULL, `firstName` STRING COMMENT 'given name', `gender` STRING) " +
                "USING delta PARTITIONED BY (`gender`) LOCATION '/tmp/delta/people10m' TBLPROPERTIES ('description' = 'table with people data')",
                "CREATE OR REPLACE TABLE delta.`/tmp/t` (`id` BIGINT, `day` DATE GENERATED ALWAYS AS (CAST(ts AS DATE))) USING delta CLUSTER BY (`id`)",
            ],
            D.SentSql(server.Behaviour));
    }

    [Fact]
    public async Task DeleteAsync_IdentifiersWithBackquotesAndSpaces_QuotesEveryPart()
    {
        // Spark SQL identifiers: a backquote inside a quoted identifier is doubled.
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Metrics(("num_affected_rows", 0))]);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, "/data/we`ird dir").DeleteAsync(Col("my col") == 1);
        await DeltaTable.ForName(spark, "`my db`.events").As("e`v").DeleteAsync(Col("`a.b`") == 1);

        Assert.Equal(
            ["DELETE FROM delta.`/data/we``ird dir` WHERE (`my col` = 1)", "DELETE FROM `my db`.`events` AS `e``v` WHERE (`a.b` = 1)"],
            D.SentSql(server.Behaviour));
    }

    [Fact]
    public async Task IsDeltaTableAsync_Spark35_ChecksTheDescribedFormat()
    {
        // Delta's DESCRIBE DETAIL reports format = delta for a Delta table (docs, "Table utility commands").
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Strings("format", "delta")]);
        await using var _ = server;
        await using var __ = spark;

        Assert.True(await DeltaTable.IsDeltaTableAsync(spark, Events));
        Assert.Equal(["DESCRIBE DETAIL delta.`/data/events`"], D.SentSql(server.Behaviour));
    }

    [Fact]
    public async Task IsDeltaTableAsync_Spark35ParquetDirectory_IsFalse()
    {
        var (server, spark) = await D.StartAsync(D.Spark35, [D.Strings("format", "parquet")]);
        await using var _ = server;
        await using var __ = spark;

        Assert.False(await DeltaTable.IsDeltaTableAsync(spark, "/data/raw"));
    }
}
