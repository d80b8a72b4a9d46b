using Lakehouse.Spark.Delta;
using Lakehouse.Spark.Delta.Sql;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Spark.Tests;

/// <summary>Misuse is refused before anything is sent; pure renderings that need no server.</summary>
public sealed class DeltaTableArgumentTests
{
    [Fact]
    public async Task CreateExecuteAsync_NoNameNorLocation_ThrowsInvalidOperation()
    {
        var spark = P.OfflineSession();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DeltaTable.Create(spark).AddColumn("id", "bigint").ExecuteAsync());

        Assert.Contains("TableName", error.Message);
    }

    [Fact]
    public async Task CreateExecuteAsync_PartitionedAndClustered_ThrowsInvalidOperation()
    {
        var spark = P.OfflineSession();
        var builder = DeltaTable.CreateOrReplace(spark).TableName("t").AddColumn("id", "bigint").PartitionedBy("id").ClusterBy("id");

        await Assert.ThrowsAsync<InvalidOperationException>(() => builder.ExecuteAsync());
    }

    [Fact]
    public void ForName_MalformedName_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => DeltaTable.ForName(P.OfflineSession(), "silver..orders"));

    [Fact]
    public void History_NegativeLimit_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DeltaTable.ForPath(P.OfflineSession(), "/t").History(-1));

    [Fact]
    public async Task UpdateAsync_EmptySet_ThrowsArgument()
    {
        var table = DeltaTable.ForPath(P.OfflineSession(), "/t");

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateAsync(null, new Dictionary<string, Column>()));
    }

    [Fact]
    public async Task VacuumAsync_NegativeRetention_ThrowsArgumentOutOfRange()
    {
        var table = DeltaTable.ForPath(P.OfflineSession(), "/t");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.VacuumAsync(-1));
    }

    [Fact]
    public void MergeSqlRender_ColumnOfAnUpstreamSourceFrame_QualifiesWithTheSourceAlias()
    {
        // Spark resolves a plan-bound column against any node of the source plan, so a column of the frame the
        // source was derived from belongs to the source too.
        var spark = P.OfflineSession();
        var target = DeltaTable.ForPath(spark, "/t").As("t");
        var staged = spark.Table("staging");
        var source = staged.Filter(staged["ok"]).Alias("s");
        var merge = new MergeSql(
            target, source, Col("t.id") == staged["id"],
            [new MergeClause(MergeClauseGroup.Matched, MergeActionKind.Update, null, [KeyValuePair.Create("v", staged["v"] + 1)])],
            schemaEvolution: false);

        Assert.Equal(
            "MERGE INTO delta.`/t` AS `t` USING `view1` AS `s` ON (`t`.`id` = `s`.`id`) WHEN MATCHED THEN UPDATE SET `v` = (`s`.`v` + 1)",
            merge.Render("view1"));
    }

    [Fact]
    public void NewViewName_TwoMerges_NeverShareAView() =>
        Assert.NotEqual(MergeSql.NewViewName(), MergeSql.NewViewName());
}
