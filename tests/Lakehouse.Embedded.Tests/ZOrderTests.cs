using System.Globalization;
using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos.Delta;
using static Lakehouse.Embedded.Tests.DeltaPlans;
using SparkDeltaTable = Lakehouse.Spark.Delta.DeltaTable;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// OPTIMIZE … ZORDER BY on the embedded engine, against Delta's documented behaviour (docs.delta.io, "Optimizations":
/// Z-ordering co-locates related values in the same files so data skipping reads fewer files; OPTIMIZE writes
/// operation OPTIMIZE with parameters predicate and zOrderBy; adds and removes carry dataChange=false).
/// </summary>
public sealed class ZOrderTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Side = 16;

    [Fact]
    public async Task OptimizeTable_ZOrderBy_KeepsTheRowsAndClustersTheFiles()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await WriteGridAsync(spark, path, parts: 4);
        var before = Snapshot.Load(path);
        var rowsBefore = DeltaTables.Rows(path);
        await spark.Conf.SetAsync("spark.databricks.delta.optimize.maxFileSize", (before.Files.Sum(f => f.Size) / 4).ToString(CultureInfo.InvariantCulture));

        var optimize = new OptimizeTable { Table = Table(path) };
        optimize.ZorderColumns.Add("x");
        optimize.ZorderColumns.Add("y");
        var result = (await RunAsync(spark, new DeltaRelation { OptimizeTable = optimize })).Single();

        var after = Snapshot.Load(path);
        Assert.Equal(rowsBefore, DeltaTables.Rows(path));
        Assert.Equal(4, after.Files.Count);
        Assert.Equal(new Uri(path).AbsoluteUri, result[0]);
        // A point lookup on either column has to read fewer files once the files are clustered.
        Assert.True(FilesPerLookup(after) < FilesPerLookup(before), $"{FilesPerLookup(after)} files per lookup after, {FilesPerLookup(before)} before");
    }

    [Fact]
    public async Task OptimizeTable_ZOrderWithPowerOfTwoRanges_CutsTheGridIntoQuadrants()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await WriteGridAsync(spark, path, parts: 4);
        // 16 range ids for 16 distinct values: each value is its own id, so the Z-curve's first two bits (x's and y's
        // highest) split the 16 × 16 grid into four 8 × 8 quadrants of 64 rows, one file each.
        await spark.Conf.SetAsync("spark.databricks.io.skipping.mdc.rangeId.max", "16");
        await spark.Conf.SetAsync("spark.databricks.delta.optimize.maxFileSize", (Snapshot.Load(path).Files.Sum(f => f.Size) / 4).ToString(CultureInfo.InvariantCulture));

        await SparkDeltaTable.ForPath(spark, path).Optimize().ExecuteZOrderByAsync("x", "y");

        var boxes = Snapshot.Load(path).Files.Select(Box).OrderBy(b => b.MinX).ThenBy(b => b.MinY).ToList();
        Assert.Equal([(0L, 7L, 0L, 7L), (0L, 7L, 8L, 15L), (8L, 15L, 0L, 7L), (8L, 15L, 8L, 15L)], boxes);
    }

    [Fact]
    public async Task OptimizeTable_ZOrderBy_CommitsOptimizeWithDataChangeFalseAndDeltasParameters()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await WriteGridAsync(spark, path, parts: 3);
        var removedFiles = Snapshot.Load(path).Files;

        var optimize = new OptimizeTable { Table = Table(path) };
        optimize.ZorderColumns.Add("y");
        optimize.ZorderColumns.Add("x");
        await RunAsync(spark, new DeltaRelation { OptimizeTable = optimize });

        var actions = DeltaTables.Commit(path, 3);
        var info = DeltaTables.Info(path, 3);
        Assert.Equal("OPTIMIZE", info.Operation);
        Assert.Equal("[]", info.OperationParameters!["predicate"]);
        Assert.Equal("[\"y\",\"x\"]", info.OperationParameters["zOrderBy"]);
        var adds = actions.Where(a => a.Add is not null).Select(a => a.Add!).ToList();
        var removes = actions.Where(a => a.Remove is not null).Select(a => a.Remove!).ToList();
        Assert.All(adds, a => Assert.False(a.DataChange));
        Assert.All(removes, r => Assert.False(r.DataChange));
        Assert.Equal(removedFiles.Select(f => f.Path).Order(StringComparer.Ordinal), removes.Select(r => r.Path).Order(StringComparer.Ordinal));
        // DeltaOperationMetrics.OPTIMIZE.
        var metrics = info.OperationMetrics!;
        Assert.Equal("3", metrics["numRemovedFiles"]);
        Assert.Equal(adds.Count.ToString(CultureInfo.InvariantCulture), metrics["numAddedFiles"]);
        Assert.Equal(removedFiles.Sum(f => f.Size).ToString(CultureInfo.InvariantCulture), metrics["numRemovedBytes"]);
        Assert.Equal(adds.Sum(f => f.Size).ToString(CultureInfo.InvariantCulture), metrics["numAddedBytes"]);
        Assert.Equal(adds.Min(f => f.Size).ToString(CultureInfo.InvariantCulture), metrics["minFileSize"]);
        Assert.Equal(adds.Max(f => f.Size).ToString(CultureInfo.InvariantCulture), metrics["maxFileSize"]);
        Assert.Equal("0", metrics["numDeletionVectorsRemoved"]);
        Assert.All(["p25FileSize", "p50FileSize", "p75FileSize"], k => Assert.True(metrics.ContainsKey(k)));
    }

    [Fact]
    public async Task OptimizeTable_ZOrderWithPartitionFilter_RewritesOnlyTheSelectedPartitionEvenASingleFile()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, ["name"], "(3, 'a', 30), (1, 'a', 10), (2, 'b', 20)");
        var untouched = Snapshot.Load(path).Files.Single(f => f.PartitionValues["name"] == "b").Path;
        var rewritten = Snapshot.Load(path).Files.Single(f => f.PartitionValues["name"] == "a").Path;

        // Delta's ZOrderStrategy puts every file of a partition into one bin and rewrites it even when it is alone.
        await SparkDeltaTable.ForPath(spark, path).Optimize().Where("name = 'a'").ExecuteZOrderByAsync("id");

        Assert.Equal([rewritten], DeltaTables.Removed(path, 1));
        Assert.Contains(untouched, Snapshot.Load(path).Files.Select(f => f.Path));
        Assert.Contains("name = 'a'", Assert.Single(JsonSerializer.Deserialize<string[]>(DeltaTables.Info(path, 1).OperationParameters!["predicate"])!), StringComparison.Ordinal);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20", "3|a|30");
    }

    [Fact]
    public async Task OptimizeSql_ZOrderBy_RunsThroughTheSqlRendering()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await SparkSession.Builder().Remote(server.Server.ConnectionString).Config(SparkDeltaTable.ApiConf, "sql").CreateAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(2, 'b', 20)", "(1, 'a', 10)");

        // The client sends OPTIMIZE delta.`…` ZORDER BY (`amount`) as SQL (docs.delta.io, "Optimizations").
        var rows = await (await SparkDeltaTable.ForPath(spark, path).Optimize().ExecuteZOrderByAsync("amount")).CollectAsync();
        var metrics = rows.Single().Get<Row>("metrics");

        Assert.Equal(new Uri(path).AbsoluteUri, rows.Single().Get<string>("path"));
        Assert.Equal(2L, metrics!.Get<long>("numFilesRemoved"));
        Assert.Equal(1L, metrics.Get<long>("numFilesAdded"));
        Assert.Equal("[\"amount\"]", DeltaTables.Info(path, 2).OperationParameters!["zOrderBy"]);
        Assert.Single(Snapshot.Load(path).Files);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
    }

    [Fact]
    public async Task OptimizeTable_ZOrderOnPartitionColumn_FailsWithDeltasError()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, ["name"], "(1, 'a', 10)");

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ZOrderAsync(spark, path, "name"));
        Assert.Equal("DELTA_ZORDERING_ON_PARTITION_COLUMN", e.ErrorClass);
        Assert.Equal("42P10", e.SqlState);
        Assert.Equal(0, Snapshot.Load(path).Version);
    }

    [Fact]
    public async Task OptimizeTable_ZOrderOnMissingColumn_FailsWithDeltasError()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, null, "(1, 'a', 10)");

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ZOrderAsync(spark, path, "nope"));
        Assert.Equal("DELTA_ZORDERING_COLUMN_DOES_NOT_EXIST", e.ErrorClass);
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptimizeTable_ZOrderOnColumnWithoutStats_FailsUnlessTheCheckIsOff()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        var create = new CreateDeltaTable { Mode = CreateDeltaTable.Types.Mode.Create, Location = path, Properties = { ["delta.dataSkippingNumIndexedCols"] = "1" } };
        create.Columns.Add(new[] { "x", "y" }.Select(c => new CreateDeltaTable.Types.Column
        {
            Name = c, Nullable = true, DataType = new Lakehouse.Spark.Protos.DataType { Long = new Lakehouse.Spark.Protos.DataType.Types.Long() },
        }));
        await CommandAsync(spark, new DeltaCommand { CreateDeltaTable = create });
        await (await spark.SqlAsync("SELECT CAST(1 AS BIGINT) AS x, CAST(2 AS BIGINT) AS y")).Write.Format("delta").Mode("append").SaveAsync(path);

        // Only the first column gets statistics (delta.dataSkippingNumIndexedCols = 1): Z-ordering y could not help skipping.
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ZOrderAsync(spark, path, "y"));
        Assert.Equal("DELTA_ZORDERING_ON_COLUMN_WITHOUT_STATS", e.ErrorClass);
        Assert.Equal("KD00D", e.SqlState);

        await spark.Conf.SetAsync("spark.databricks.delta.optimize.zorder.checkStatsCollection.enabled", "false");
        await ZOrderAsync(spark, path, "y");
        Assert.Equal("OPTIMIZE", DeltaTables.Info(path, 2).Operation);
    }

    [Fact]
    public async Task OptimizeTable_ZOrderOfAnEmptySelection_CommitsNothing()
    {
        using var dir = new TempDirectory("zorder");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await DeltaTables.CreateAsync(spark, path, ["name"], "(1, 'a', 10)");

        var optimize = new OptimizeTable { Table = Table(path), PartitionFilters = { "name = 'zzz'" }, ZorderColumns = { "id" } };
        var result = (await RunAsync(spark, new DeltaRelation { OptimizeTable = optimize })).Single();

        Assert.Equal(0, Snapshot.Load(path).Version);
        Assert.Equal(new Uri(path).AbsoluteUri, result[0]);
    }

    private static Task<List<object?[]>> ZOrderAsync(SparkSession spark, string path, params string[] columns)
    {
        var optimize = new OptimizeTable { Table = Table(path) };
        optimize.ZorderColumns.AddRange(columns);
        return RunAsync(spark, new DeltaRelation { OptimizeTable = optimize });
    }

    /// <summary>
    /// Writes the 16 × 16 grid of (x, y) in <paramref name="parts"/> files, in a scrambled order (row i holds cell
    /// (37 i + 11) mod 256, a permutation), so every file spans almost the whole range of both columns.
    /// </summary>
    private static async Task WriteGridAsync(SparkSession spark, string path, int parts)
    {
        var cells = Enumerable.Range(0, Side * Side).Select(i => (37 * i + 11) % (Side * Side)).ToList();
        var size = (cells.Count + parts - 1) / parts;
        for (var p = 0; p < parts; p++)
        {
            var values = string.Join(", ", cells.Skip(p * size).Take(size).Select(c => $"({c % Side}, {c / Side})"));
            var df = await spark.SqlAsync($"SELECT CAST(x AS BIGINT) AS x, CAST(y AS BIGINT) AS y FROM (VALUES {values}) AS v(x, y)");
            await df.Write.Format("delta").Mode(p == 0 ? "errorifexists" : "append").SaveAsync(path);
        }
    }

    /// <summary>The mean number of files whose [min, max] statistics contain a value, over every value of x and of y.</summary>
    private static double FilesPerLookup(Snapshot snapshot)
    {
        var boxes = snapshot.Files.Select(Box).ToList();
        var hits = Enumerable.Range(0, Side).Sum(v => boxes.Count(b => b.MinX <= v && v <= b.MaxX) + boxes.Count(b => b.MinY <= v && v <= b.MaxY));
        return hits / (2.0 * Side);
    }

    private static (long MinX, long MaxX, long MinY, long MaxY) Box(AddFile file)
    {
        using var stats = JsonDocument.Parse(file.Stats!);
        var min = stats.RootElement.GetProperty("minValues");
        var max = stats.RootElement.GetProperty("maxValues");
        return (min.GetProperty("x").GetInt64(), max.GetProperty("x").GetInt64(), min.GetProperty("y").GetInt64(), max.GetProperty("y").GetInt64());
    }
}
