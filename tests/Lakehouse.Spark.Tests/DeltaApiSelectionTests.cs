using Lakehouse.Spark.Delta;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// Which rendering the client picks: Delta Connect for Spark 4.x and the embedded engine, SQL for Spark 3.x
/// (brief §6b: Delta Connect exists from Delta 4.0 on Spark 4.0), <c>lakehouse.delta.api</c> forcing either,
/// and the fall-back to SQL when a Spark 4 server has no Delta Connect plugin.
/// </summary>
public sealed class DeltaApiSelectionTests
{
    [Theory]
    [InlineData("4.0.0", null, true)]
    [InlineData("4.1.0", "auto", true)]
    [InlineData("3.5.1", null, false)]
    [InlineData("3.5.6", "AUTO", false)]
    [InlineData("4.0.0", "sql", false)]
    [InlineData("3.5.1", "connect", true)]
    public async Task DeleteAsync_VersionAndConf_ChoosesRendering(string version, string? api, bool expectConnect)
    {
        var (server, spark) = await D.StartAsync(version, [D.Metrics(("num_affected_rows", 1))], api: api);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, "/t").DeleteAsync(Col("id") == 1);

        var sent = Assert.Single(server.Behaviour.Executes).Plan;
        Assert.Equal(expectConnect, sent.Root?.Extension is not null);
        Assert.Equal(!expectConnect, sent.Command?.SqlCommand is not null);
    }

    [Fact]
    public async Task DeleteAsync_Spark4WithoutDeltaConnect_FallsBackToSqlForTheSession()
    {
        // Spark 4 without DeltaRelationPlugin answers "No handler found for extension" while planning, before
        // anything ran; the client resends as SQL and keeps using SQL in this session.
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_affected_rows", 4))], rejectExtensions: true);
        await using var _ = server;
        await using var __ = spark;
        var table = DeltaTable.ForPath(spark, "/t");

        var first = await table.DeleteAsync("id = 1");
        var second = await table.DeleteAsync("id = 2");

        var kinds = server.Behaviour.Executes.Select(e => e.Plan.Root?.Extension is not null ? "connect" : "sql").ToList();
        Assert.Equal(["connect", "sql", "sql"], kinds);
        Assert.Equal((4, 4), (first, second));
        Assert.Equal("DESCRIBE HISTORY delta.`/t`", table.History().Relation.Sql.Query);
    }

    [Fact]
    public async Task DeleteAsync_ForcedConnectWithoutDeltaConnect_Fails()
    {
        var (server, spark) = await D.StartAsync(D.Spark4, rejectExtensions: true, api: "connect");
        await using var _ = server;
        await using var __ = spark;

        var error = await Assert.ThrowsAsync<SparkConnectException>(() => DeltaTable.ForPath(spark, "/t").DeleteAsync());

        Assert.Contains("No handler found for extension", error.Message);
        Assert.Single(server.Behaviour.Executes);
    }

    [Fact]
    public async Task DeleteAsync_UnknownApiConf_ThrowsNamingTheValues()
    {
        var (server, spark) = await D.StartAsync(D.Spark4, api: "grpc");
        await using var _ = server;
        await using var __ = spark;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DeltaTable.ForPath(spark, "/t").DeleteAsync());

        Assert.Contains("auto, connect or sql", error.Message);
        Assert.Empty(server.Behaviour.Executes);
    }

    [Fact]
    public async Task MergeExecuteAsync_Connect_ExecutesOnceAndNeverAnalyzes()
    {
        // brief §6b: any RPC that plans a Delta Connect DML relation runs it, AnalyzePlan included.
        var (server, spark) = await D.StartAsync(D.Spark4, [D.Metrics(("num_affected_rows", 1))]);
        await using var _ = server;
        await using var __ = spark;

        await DeltaTable.ForPath(spark, "/t").As("t").Merge(spark.Table("s").Alias("s"), "t.id = s.id").WhenMatched().UpdateAll().ExecuteAsync();

        Assert.Single(server.Behaviour.Executes);
        Assert.Equal([AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion], server.Behaviour.Analyzes.Select(a => a.AnalyzeCase));
    }

    [Fact]
    public void History_VersionNotYetKnown_AssumesDeltaConnect()
    {
        // Lazy frames are built without a server call; before any async call the default is Delta Connect.
        var spark = P.OfflineSession();

        var history = DeltaTable.ForPath(spark, "/t").History();

        Assert.Equal(Relation.RelTypeOneofCase.Extension, history.Relation.RelTypeCase);
    }

    [Fact]
    public async Task ToDF_Spark35_ReadsTheDeltaPath()
    {
        // Without Delta Connect the table's data is a plain delta read (brief §6a, Read.DataSource format=delta).
        var (server, spark) = await D.StartAsync(D.Spark35);
        await using var _ = server;
        await using var __ = spark;
        await spark.VersionAsync();

        var relation = DeltaTable.ForPath(spark, "/t").ToDF().Relation;

        Assert.Equal("delta", relation.Read.DataSource.Format);
        Assert.Equal(["/t"], relation.Read.DataSource.Paths);
    }

    [Fact]
    public async Task MergeExecuteAsync_NoClause_ThrowsBeforeSending()
    {
        var (server, spark) = await D.StartAsync(D.Spark4);
        await using var _ = server;
        await using var __ = spark;

        await Assert.ThrowsAsync<InvalidOperationException>(() => DeltaTable.ForPath(spark, "/t").Merge(spark.Table("s"), "true").ExecuteAsync());
        Assert.Empty(server.Behaviour.Executes);
    }
}
