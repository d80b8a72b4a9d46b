using Lakehouse.Spark;
using SparkDeltaTable = Lakehouse.Spark.Delta.DeltaTable;

namespace Lakehouse.Embedded.Tests;

/// <summary>DESCRIBE HISTORY through the client's <c>DeltaTable.History</c>: every row's values, and a limit that reads
/// only the newest commits.</summary>
public sealed class DeltaHistoryTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task History_WithLimit_ReadsOnlyTheNewestCommitFiles()
    {
        using var dir = new TempDirectory("history-limit");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        // Twelve commits: versions 0..11, a checkpoint at 10 (delta.checkpointInterval's default), so the snapshot
        // needs no commit before 11.
        await DeltaTables.CreateAsync(spark, path, null, Enumerable.Range(1, 12).Select(i => $"({i}, 'n{i}', {i * 10})").ToArray());
        Assert.True(File.Exists(Path.Combine(path, "_delta_log", "00000000000000000010.checkpoint.parquet")));
        // An old commit that cannot be parsed: reading it fails, so only a limit that is applied while reading the log
        // lets history(2) succeed.
        File.WriteAllText(Path.Combine(path, "_delta_log", "00000000000000000001.json"), "not a commit\n");

        var newest = await SparkDeltaTable.ForPath(spark, path).History(2).Select("version", "operation").CollectAsync();

        Assert.Equal([11L, 10L], newest.Select(r => r.Get<long>("version")));
        Assert.Equal(["WRITE", "WRITE"], newest.Select(r => r.Get<string>("operation")));
        await Assert.ThrowsAnyAsync<SparkConnectException>(() => SparkDeltaTable.ForPath(spark, path).History().CollectAsync());
    }

    [Fact]
    public async Task History_OfSeveralCommits_GivesEachRowItsOwnValuesNewestFirst()
    {
        using var dir = new TempDirectory("history-rows");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10), (2, 'b', 20)");
        var batch = await spark.SqlAsync("SELECT CAST(3 AS BIGINT) AS id, 'c' AS name, CAST(30 AS BIGINT) AS amount");
        await batch.Write.Format("delta").Mode("append").Option("userMetadata", "{\"batch\": 7}").SaveAsync(path);
        Assert.Equal(2, await SparkDeltaTable.ForPath(spark, path).DeleteAsync("id <= 2"));

        var history = await SparkDeltaTable.ForPath(spark, path).History()
            .Select("version", "operation", "operationParameters", "operationMetrics", "userMetadata", "readVersion").CollectAsync();

        Assert.Equal([2L, 1L, 0L], history.Select(r => r.Get<long>("version")));
        Assert.Equal(["DELETE", "WRITE", "WRITE"], history.Select(r => r.Get<string>("operation")));
        // PROTOCOL.md leaves commitInfo free-form; these are the values Delta's own writers record.
        Assert.Equal("Append", Parameters(history[1])["mode"]);
        Assert.Equal("ErrorIfExists", Parameters(history[2])["mode"]);
        Assert.Equal("2", Metrics(history[0])["numDeletedRows"]);
        Assert.Equal("1", Metrics(history[1])["numOutputRows"]);
        Assert.Equal("2", Metrics(history[2])["numOutputRows"]);
        Assert.Equal([null, "{\"batch\": 7}", null], history.Select(r => r.Get<string>("userMetadata")));
        Assert.Equal([1L, 0L], history.Take(2).Select(r => r.Get<long>("readVersion")));
        Assert.Null(history[2]["readVersion"]);
    }

    private static IReadOnlyDictionary<string, string?> Parameters(Row row) => Map(row, "operationParameters");

    private static IReadOnlyDictionary<string, string?> Metrics(Row row) => Map(row, "operationMetrics");

    // A map arrives as Arrow's list of (key, value) entries.
    private static IReadOnlyDictionary<string, string?> Map(Row row, string column) =>
        ((object?[])row[column]!).Cast<Row>().ToDictionary(e => e.Get<string>(0)!, e => e.Get<string>(1));
}
