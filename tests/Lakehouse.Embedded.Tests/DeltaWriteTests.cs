using Lakehouse.Delta;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>Writes through the WriteOperation command land in Delta tables that Lakehouse.Delta reads back.</summary>
public sealed class DeltaWriteTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private sealed record Order(long Id, string Day, double Amount);

    [Fact]
    public async Task SaveAppendOverwrite_Path_RoundTripsThroughDelta()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "orders");
        await using var spark = await server.SessionAsync();
        var first = spark.CreateDataFrame(new[] { new Order(1, "2024-01-01", 10.5), new Order(2, "2024-01-02", 20.0) });
        await first.Write.Format("delta").SaveAsync(path);
        await spark.CreateDataFrame(new[] { new Order(3, "2024-01-02", 5.0) }).Write.Format("delta").Mode("append").SaveAsync(path);

        var rows = await spark.Read.Delta(path).OrderBy(Col("Id")).CollectAsync();
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Get<long>("Id")));
        Assert.Equal(1, DeltaTable.ForPath(path).Snapshot().Version);

        await spark.CreateDataFrame(new[] { new Order(9, "2024-01-09", 1.0) }).Write.Format("delta").Mode("overwrite").SaveAsync(path);
        Assert.Equal([9L], (await spark.Read.Delta(path).CollectAsync()).Select(r => r.Get<long>("Id")));
        var v1 = await spark.Read.Format("delta").VersionAsOf(1).Load(path).CountAsync();
        Assert.Equal(3, v1);
    }

    [Fact]
    public async Task Append_MatchingSchema_AddsOneFileWithStatsAndNoneForEmptyData()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "stream");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 1).Write.Format("delta").SaveAsync(path);
        await spark.Range(10, 15).Write.Format("delta").Mode("append").SaveAsync(path);
        var snapshot = DeltaTable.ForPath(path).Snapshot();
        Assert.Equal(2, snapshot.Files.Count);
        var added = snapshot.Files.Single(f => f.Stats!.Contains("\"numRecords\":5", StringComparison.Ordinal));
        Assert.Contains("\"minValues\":{\"id\":10}", added.Stats, StringComparison.Ordinal);
        Assert.Contains("\"maxValues\":{\"id\":14}", added.Stats, StringComparison.Ordinal);

        await spark.Range(0, 0).Write.Format("delta").Mode("append").SaveAsync(path);
        var after = DeltaTable.ForPath(path).Snapshot();
        Assert.Equal(2, after.Version);
        Assert.Equal(2, after.Files.Count);
        Assert.Equal(6, await spark.Read.Delta(path).CountAsync());
    }

    [Fact]
    public async Task Save_ErrorIfExists_FailsWhenTableExists()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "t");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 1).Write.Format("delta").SaveAsync(path);
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 1).Write.Format("delta").SaveAsync(path));
        Assert.Equal("PATH_ALREADY_EXISTS", e.ErrorClass);
        await spark.Range(0, 5).Write.Format("delta").Mode("ignore").SaveAsync(path);
        Assert.Equal(1, await spark.Read.Delta(path).CountAsync());
    }

    [Fact]
    public async Task SaveAsTable_PartitionedNamedTable_ReadsByNameAndSql()
    {
        await using var spark = await server.SessionAsync();
        var name = "bronze.orders_" + Guid.NewGuid().ToString("N")[..8];
        var df = spark.CreateDataFrame(new[] { new Order(1, "2024-01-01", 10.5), new Order(2, "2024-01-02", 20.0), new Order(3, "2024-01-02", 1.5) });
        await df.Write.Format("delta").PartitionBy("Day").SaveAsTableAsync(name);

        var snapshot = DeltaTable.ForPath(Path.Combine(server.Warehouse, "bronze", name.Split('.')[1])).Snapshot();
        Assert.Equal(["Day"], snapshot.PartitionColumns);
        Assert.Equal(2, snapshot.Files.Select(f => f.PartitionValues["Day"]).Distinct().Count());

        var byName = await spark.Table(name).Filter(Col("Day") == "2024-01-02").OrderBy(Col("Id")).CollectAsync();
        Assert.Equal([2L, 3L], byName.Select(r => r.Get<long>("Id")));
        var sql = await (await spark.SqlAsync($"SELECT Day, sum(Amount) AS total FROM {name} GROUP BY Day ORDER BY Day")).CollectAsync();
        Assert.Equal([10.5, 21.5], sql.Select(r => r.Get<double>("total")));
        var byPath = await (await spark.SqlAsync($"SELECT count(*) AS n FROM delta.`{snapshot.TablePath}`")).CollectAsync();
        Assert.Equal(3L, byPath[0]["n"]);
    }

    [Fact]
    public async Task Append_SameTxnVersionTwice_AddsOnce()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "idem");
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 3);
        for (var i = 0; i < 2; i++)
        {
            await df.Write.Format("delta").Mode("append").Option("txnAppId", "job-a").Option("txnVersion", 7).SaveAsync(path);
        }

        Assert.Equal(3, await spark.Read.Delta(path).CountAsync());
        Assert.Equal(7, DeltaTable.ForPath(path).Snapshot().TransactionVersion("job-a"));
    }

    [Fact]
    public async Task Overwrite_ReplaceWhere_ReplacesOnlyMatchingPartition()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "rw");
        await using var spark = await server.SessionAsync();
        await spark.CreateDataFrame(new[] { new Order(1, "d1", 1), new Order(2, "d2", 2) }).Write.Format("delta").PartitionBy("Day").SaveAsync(path);
        await spark.CreateDataFrame(new[] { new Order(3, "d2", 3) }).Write.Format("delta").Mode("overwrite").Option("replaceWhere", "Day = 'd2'").SaveAsync(path);
        var rows = await spark.Read.Delta(path).OrderBy(Col("Id")).CollectAsync();
        Assert.Equal([1L, 3L], rows.Select(r => r.Get<long>("Id")));
    }

    [Fact]
    public async Task Append_NewColumnWithMergeSchema_EvolvesSchema()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "ms");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 1).Write.Format("delta").SaveAsync(path);
        var wider = spark.Range(1, 2).WithColumn("extra", Lit("x"));
        await Assert.ThrowsAsync<SparkConnectException>(() => wider.Write.Format("delta").Mode("append").SaveAsync(path));
        await wider.Write.Format("delta").Mode("append").Option("mergeSchema", true).SaveAsync(path);
        var rows = await spark.Read.Delta(path).OrderBy(Col("id")).CollectAsync();
        Assert.Null(rows[0]["extra"]);
        Assert.Equal("x", rows[1]["extra"]);
    }

    [Fact]
    public async Task SaveParquet_PlainFiles_ReadBack()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "pq");
        await using var spark = await server.SessionAsync();
        await spark.Range(0, 4).Write.Format("parquet").SaveAsync(path);
        Assert.Equal(6L, (await spark.Read.Parquet(path).Agg(Sum(Col("id")).Alias("s")).CollectAsync())[0]["s"]);
    }
}
