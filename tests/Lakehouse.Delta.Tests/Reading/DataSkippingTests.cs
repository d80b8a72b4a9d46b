using System.Text.Json.Nodes;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>
/// File pruning by partition values and statistics. The log is written by hand; pruning never opens data files,
/// so the tables have none. Each case states which files can hold a matching row, worked out from the stats.
/// </summary>
public sealed class DataSkippingTests
{
    private const string Stats = """
        {"numRecords":4,"minValues":{"x":1,"s":{"n":10},"ts":"2024-01-01T00:00:00.000Z"},
         "maxValues":{"x":5,"s":{"n":20},"ts":"2024-01-01T00:00:00.123Z"},
         "nullCount":{"x":0,"s":{"n":1},"ts":0,"y":4}}
        """;

    [Theory]
    [InlineData("x = 3", true)]
    [InlineData("x = 6", false)]
    [InlineData("x > 5", false)]
    [InlineData("x >= 5", true)]
    [InlineData("x < 1", false)]
    [InlineData("x <> 3", true)]
    [InlineData("x IN (0, 9)", false)]
    [InlineData("x IN (0, 4)", true)]
    [InlineData("NOT (x > 0)", false)]
    [InlineData("NOT (x > 3)", true)]
    [InlineData("x < 1 OR x > 5", false)]
    [InlineData("x < 1 OR x > 4", true)]
    [InlineData("x > 2 AND x < 2", true)]
    [InlineData("x > 9 AND unknown = 1", false)]
    [InlineData("unknown = 1", true)]
    [InlineData("x IS NULL", false)]
    [InlineData("x IS NOT NULL", true)]
    [InlineData("y = 1", false)]
    [InlineData("y IS NOT NULL", false)]
    [InlineData("y IS NULL", true)]
    [InlineData("s.n > 20", false)]
    [InlineData("s.n = 15", true)]
    [InlineData("s.n IS NULL", true)]
    [InlineData("ts > TIMESTAMP'2024-01-01 00:00:00.1235Z'", true)]
    [InlineData("ts > TIMESTAMP'2024-01-01 00:00:00.124Z'", false)]
    [InlineData("x = NULL", false)]
    [InlineData("x = 'not a number'", true)]
    public void Files_PredicateOverStats_KeepsTheFileOnlyWhenARowCanMatch(string predicate, bool kept)
    {
        using var dir = new TempDirectory("skip");
        WriteTable(dir.Path, TestTables.Add("f.parquet", stats: Stats));

        var files = new DeltaScan(Snapshot.Load(dir.Path), PredicateParser.Parse(predicate)).Files;

        Assert.Equal(kept ? 1 : 0, files.Count);
    }

    [Fact]
    public void Files_NoStats_KeepsTheFile()
    {
        using var dir = new TempDirectory("skip");
        WriteTable(dir.Path, TestTables.Add("f.parquet"));

        Assert.Single(new DeltaScan(Snapshot.Load(dir.Path), PredicateParser.Parse("x = 100 AND s.n < 0")).Files);
    }

    [Theory]
    [InlineData("p = 'a'", "a")]
    [InlineData("p <> 'a'", "b")]
    [InlineData("p IS NULL", "null")]
    [InlineData("p IS NOT NULL", "a,b")]
    [InlineData("p IN ('b', 'c')", "b")]
    [InlineData("NOT (p = 'a')", "b")]
    [InlineData("p <=> NULL", "null")]
    public void Files_PredicateOnPartitionColumn_KeepsExactlyTheMatchingPartitions(string predicate, string expected)
    {
        using var dir = new TempDirectory("skip");
        WriteTable(dir.Path,
            TestTables.Add("p=a/f.parquet", new() { ["p"] = "a" }),
            TestTables.Add("p=b/f.parquet", new() { ["p"] = "b" }),
            TestTables.Add("p=__HIVE_DEFAULT_PARTITION__/f.parquet", new() { ["p"] = null }));

        var files = new DeltaScan(Snapshot.Load(dir.Path), PredicateParser.Parse(predicate)).Files;

        Assert.Equal(expected.Split(','), files.Select(f => (string?)f.PartitionValues["p"] ?? "null").Order());
    }

    [Fact]
    public void Files_ColumnMappingByName_ReadsStatsUnderPhysicalNames()
    {
        using var dir = new TempDirectory("skip");
        var schema = TestTables.Schema(("x", JsonValue.Create("long")!, new JsonObject
        {
            ["delta.columnMapping.id"] = 1,
            ["delta.columnMapping.physicalName"] = "col-a1",
        }));
        TestTables.Commit(dir.Path, 0,
            TestTables.Protocol(2, 5),
            TestTables.Metadata(schema, configuration: new() { ["delta.columnMapping.mode"] = "name", ["delta.columnMapping.maxColumnId"] = "1" }),
            TestTables.Add("f.parquet", stats: """{"numRecords":1,"minValues":{"col-a1":1},"maxValues":{"col-a1":2},"nullCount":{"col-a1":0}}"""));
        var snapshot = Snapshot.Load(dir.Path);

        Assert.Empty(new DeltaScan(snapshot, PredicateParser.Parse("x > 2")).Files);
        Assert.Single(new DeltaScan(snapshot, PredicateParser.Parse("x = 2")).Files);
    }

    private static void WriteTable(string path, params JsonObject[] adds)
    {
        var schema = TestTables.Schema(
            ("x", JsonValue.Create("long")!, null),
            ("y", JsonValue.Create("integer")!, null),
            ("s", new JsonObject { ["type"] = "struct", ["fields"] = new JsonArray(new JsonObject { ["name"] = "n", ["type"] = "integer", ["nullable"] = true, ["metadata"] = new JsonObject() }) }, null),
            ("ts", JsonValue.Create("timestamp")!, null),
            ("p", JsonValue.Create("string")!, null));
        TestTables.Commit(path, 0, [TestTables.Protocol(), TestTables.Metadata(schema, ["p"]), .. adds]);
    }
}
