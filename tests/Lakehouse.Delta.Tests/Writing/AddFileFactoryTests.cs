using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Tests.Writing;

public sealed class AddFileFactoryTests
{
    private static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long),
        new StructField("name", PrimitiveType.String),
        new StructField("d", PrimitiveType.Date),
        new StructField("ts", PrimitiveType.Timestamp),
        new StructField("amount", new DecimalType(10, 2)),
        new StructField("flag", PrimitiveType.Boolean),
        new StructField("i", PrimitiveType.Integer),
        new StructField("s", PrimitiveType.Short),
        new StructField("p", PrimitiveType.String),
    ]);

    [Fact]
    public async Task CreateAsync_FileWrittenByDuckDb_StatsFromFooterAsSparkWritesThem()
    {
        using var dir = new TempDirectory("duckdb-add");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(Schema, ["p"]);
        var file = Path.Combine(dir.Path, "p=x", "duck.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SET TimeZone = 'UTC';
                COPY (SELECT * FROM (VALUES
                    (1::BIGINT, 'b', DATE '2024-01-02', TIMESTAMPTZ '2024-01-01 00:00:00.123456+00', 1.50::DECIMAL(10,2), true, 10, 2::SMALLINT),
                    (2::BIGINT, NULL, NULL, NULL, -3.25::DECIMAL(10,2), NULL, NULL, 3::SMALLINT),
                    (3::BIGINT, 'a', DATE '2023-12-31', TIMESTAMPTZ '2025-06-01 12:00:00+00', 0.00::DECIMAL(10,2), false, -5, 1::SMALLINT))
                    AS t(id, name, d, ts, amount, flag, i, s))
                TO '{file}' (FORMAT parquet);
                """;
            command.ExecuteNonQuery();
        }

        var snapshot = table.Snapshot();
        var add = await AddFileFactory.CreateAsync(snapshot.Metadata, dir.Path, file, new Dictionary<string, string?> { ["p"] = "x" });
        var txn = Transaction.Start(snapshot, "WRITE");
        txn.Add(add);
        txn.Commit();

        Assert.Equal("p=x/duck.parquet", add.Path);
        Assert.Equal(new FileInfo(file).Length, add.Size);
        var expected = JsonNode.Parse("""
            {"numRecords":3,
             "minValues":{"id":1,"name":"a","d":"2023-12-31","ts":"2024-01-01T00:00:00.123Z","amount":-3.25,"i":-5,"s":1},
             "maxValues":{"id":3,"name":"b","d":"2024-01-02","ts":"2025-06-01T12:00:00.000Z","amount":1.50,"i":10,"s":3},
             "nullCount":{"id":0,"name":1,"d":1,"ts":1,"amount":0,"flag":1,"i":1,"s":0}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(add.Stats!)), add.Stats);
        Assert.Contains("\"amount\":1.50", add.Stats);
        Assert.Single(table.Snapshot().Files);
    }

    [Fact]
    public async Task CreateAsync_FileOutsideTable_ArgumentException()
    {
        using var dir = new TempDirectory("outside");
        DeltaTable.ForPath(dir.Path).Create(TestData.IdPartSchema);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            AddFileFactory.CreateAsync(DeltaTable.ForPath(dir.Path).Snapshot().Metadata, dir.Path, "/tmp/elsewhere.parquet", new Dictionary<string, string?>()));
    }

    [Fact]
    public async Task CreateAsync_NotParquet_InvalidRequest()
    {
        using var dir = new TempDirectory("not-parquet");
        DeltaTable.ForPath(dir.Path).Create(TestData.IdPartSchema);
        var file = Path.Combine(dir.Path, "junk.parquet");
        await File.WriteAllTextAsync(file, "not parquet at all");

        var error = await Assert.ThrowsAsync<DeltaException>(() =>
            AddFileFactory.CreateAsync(DeltaTable.ForPath(dir.Path).Snapshot().Metadata, dir.Path, file, new Dictionary<string, string?>()));
        Assert.Equal(DeltaErrorKind.InvalidRequest, error.Kind);
    }
}
