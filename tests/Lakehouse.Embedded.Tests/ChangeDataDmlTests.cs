using static Lakehouse.Embedded.Tests.DeltaPlans;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// UPDATE and DELETE on tables with <c>delta.enableChangeDataFeed=true</c>, with deletion vectors and copy-on-write:
/// the matching rows' old values as <c>delete</c> or <c>update_preimage</c>, their new values as
/// <c>update_postimage</c>, in change data files named by the commit's <c>cdc</c> actions (PROTOCOL.md, Change Data
/// Files), read back with DuckDB; none when nothing matches or the feed is off.
/// </summary>
public sealed class ChangeDataDmlTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Delete_WritesTheDeletedRows(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)", "(4, 'd', 40)");

        Assert.Equal(2, await AffectedAsync(spark, DeleteFrom(path, "t.amount IN (20, 40)")));

        DeltaTables.AssertRows(path, "1|a|10", "3|c|30");
        ChangeDataFiles.AssertRows(path, 2, "2|b|20|delete", "4|d|40|delete");
        Assert.Equal(ChangeDataFiles.Actions(path, 2).Count, ChangeDataFiles.Metric(path, 2, "numAddedChangeFiles"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Update_WritesPreimagesAndPostimages(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");

        Assert.Equal(2, await AffectedAsync(spark, UpdateTable(path, "t.id >= 2", Set("amount", "t.amount * 2"), Set("t.name", "upper(t.name)"))));

        DeltaTables.AssertRows(path, "1|a|10", "2|B|40", "3|C|60");
        ChangeDataFiles.AssertRows(path, 1, "2|B|40|update_postimage", "2|b|20|update_preimage", "3|C|60|update_postimage", "3|c|30|update_preimage");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpdateAndDelete_PartitionedTable_WriteChangeDataPerPartition(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, ["name"], deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'a', 30), (4, 'b', 40)");

        Assert.Equal(2, await AffectedAsync(spark, UpdateTable(path, "t.amount > 15 AND t.amount < 35", Set("amount", "t.amount + 1"))));
        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "t.id = 4")));

        DeltaTables.AssertRows(path, "1|a|10", "2|b|21", "3|a|31");
        Assert.Equal(new[] { "2|b|20|update_preimage", "2|b|21|update_postimage", "3|a|30|update_preimage", "3|a|31|update_postimage" },
            ChangeDataFiles.Rows(path, 1, partitionColumn: "name"));
        Assert.Equal(new[] { "4|b|40|delete" }, ChangeDataFiles.Rows(path, 2, partitionColumn: "name"));
        Assert.All(ChangeDataFiles.Actions(path, 1).Concat(ChangeDataFiles.Actions(path, 2)),
            c => Assert.StartsWith($"_change_data/name={c.PartitionValues["name"]}/", c.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Delete_WholePartitions_WritesEveryRowOfTheRemovedFiles(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, ["name"], deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20), (3, 'a', 30)");
        // A row of partition a already deleted by an earlier DELETE is not deleted again.
        await AffectedAsync(spark, DeleteFrom(path, "t.id = 3"));

        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "name = 'a'")));

        DeltaTables.AssertRows(path, "2|b|20");
        Assert.Equal(new[] { "1|a|10|delete" }, ChangeDataFiles.Rows(path, 2, partitionColumn: "name"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpdateAndDelete_NothingMatches_WriteNoChangeData(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: true, "(1, 'a', 10), (2, 'b', 20)");

        Assert.Equal(0, await AffectedAsync(spark, UpdateTable(path, "t.id > 5", Set("amount", "0"))));
        Assert.Equal(0, await AffectedAsync(spark, DeleteFrom(path, "t.amount = 99")));

        Assert.False(File.Exists(Path.Combine(path, "_delta_log", $"{1:D20}.json")));
        ChangeDataFiles.AssertNone(path, 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpdateAndDelete_FeedOff_WriteNoChangeData(bool deletionVectors)
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors, feed: false, "(1, 'a', 10), (2, 'b', 20)");

        Assert.Equal(1, await AffectedAsync(spark, UpdateTable(path, "t.id = 1", Set("amount", "0"))));
        Assert.Equal(1, await AffectedAsync(spark, DeleteFrom(path, "t.id = 2")));

        ChangeDataFiles.AssertNone(path, 1);
        ChangeDataFiles.AssertNone(path, 2);
        Assert.Equal(0, ChangeDataFiles.Metric(path, 2, "numAddedChangeFiles"));
    }

    [Fact]
    public async Task Append_OnAFeedTable_WritesNoChangeData()
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        await ChangeDataFiles.CreateAsync(spark, path, null, deletionVectors: false, feed: true, "(1, 'a', 10)", "(2, 'b', 20)");

        // Appends (and the create) are read from their add actions.
        ChangeDataFiles.AssertNone(path, 0);
        ChangeDataFiles.AssertNone(path, 1);
        DeltaTables.AssertRows(path, "1|a|10", "2|b|20");
    }

    [Fact]
    public async Task Update_ColumnMappedTable_WritesPhysicalColumnNames()
    {
        using var dir = new TempDirectory("cdf-dml");
        var path = dir.Combine("t");
        await using var spark = await server.SessionAsync();
        var df = await spark.SqlAsync("SELECT CAST(id AS BIGINT) AS id, CAST(name AS VARCHAR) AS name, CAST(amount AS BIGINT) AS amount FROM (VALUES (1, 'a', 10), (2, 'b', 20)) AS v(id, name, amount)");
        Lakehouse.Delta.DeltaTable.ForPath(path).Create(
            new Lakehouse.Delta.Schema.StructType([
                new("id", Lakehouse.Delta.Schema.PrimitiveType.Long), new("name", Lakehouse.Delta.Schema.PrimitiveType.String), new("amount", Lakehouse.Delta.Schema.PrimitiveType.Long)]),
            properties: new Dictionary<string, string> { ["delta.columnMapping.mode"] = "name", ["delta.enableChangeDataFeed"] = "true" });
        await df.Write.Format("delta").Mode("append").SaveAsync(path);

        Assert.Equal(1, await AffectedAsync(spark, UpdateTable(path, "t.id = 2", Set("amount", "21"))));

        // PROTOCOL.md, Column Mapping: files hold the physical names; _change_type is not a table column and keeps its name.
        var schema = Lakehouse.Delta.Snapshots.Snapshot.Load(path).Schema;
        var physical = schema.Fields.Select(f => f.PhysicalName(Lakehouse.Delta.Schema.ColumnMappingMode.Name)).ToList();
        Assert.All(physical, p => Assert.StartsWith("col-", p, StringComparison.Ordinal));
        var file = Path.Combine(path, Assert.Single(ChangeDataFiles.Actions(path, 2)).Path);
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", physical.Select(p => $"CAST(\"{p}\" AS VARCHAR)"))}, _change_type FROM read_parquet('{file}') ORDER BY 4";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, 4).Select(reader.GetString)));
        }

        Assert.Equal(["2|b|21|update_postimage", "2|b|20|update_preimage"], rows);
    }
}
