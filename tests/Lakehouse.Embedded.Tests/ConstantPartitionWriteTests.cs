using Lakehouse.Delta;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data;
using Lakehouse.Delta.Schema;
using Lakehouse.Embedded.Execution;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Writes whose partition columns are literals (a batch stamped with its date) go straight into that partition's
/// directory; the table must look exactly as a partitioned write makes it (PROTOCOL.md, Partitioned tables).
/// </summary>
public sealed class ConstantPartitionWriteTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Save_PartitionColumnIsALiteral_FilesInThatPartitionsDirectoryWithoutTheColumn()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "batches");
        await using var spark = await server.SessionAsync();

        await Batch(spark, 0, 3000, new DateOnly(2026, 1, 2), "a/b").Write.Format("delta").PartitionBy("day", "tag").SaveAsync(path);
        await Batch(spark, 3000, 3500, new DateOnly(2026, 1, 3), "c").Write.Format("delta").Mode("append").SaveAsync(path);

        var files = DeltaTable.ForPath(path).Snapshot().Files;
        Assert.Equal([("2026-01-02", "a/b"), ("2026-01-03", "c")], files.Select(f => (f.PartitionValues["day"], f.PartitionValues["tag"])).Order());
        foreach (var file in files)
        {
            var values = file.PartitionValues;
            Assert.StartsWith(PartitionValues.Directory(["day", "tag"], values) + "/", Uri.UnescapeDataString(file.Path), StringComparison.Ordinal);
            // PROTOCOL.md, Partitioned tables: partition values live in the log, not in the data files.
            await using var reader = await Parquet.ParquetReader.CreateAsync(Path.Combine(path, Uri.UnescapeDataString(file.Path)));
            Assert.Equal(["id"], reader.Schema.GetDataFields().Select(f => f.Name));
        }

        Assert.Equal(["day=2026-01-02", "day=2026-01-03"], Directory.EnumerateDirectories(path).Select(Path.GetFileName).Where(n => n != "_delta_log").Order());
        var counts = await spark.Read.Delta(path).GroupBy("day", "tag").Agg(Count(Lit(1)).Alias("n"), Max(Col("id")).Alias("last")).OrderBy(Col("day")).CollectAsync();
        Assert.Equal(
            [(new DateOnly(2026, 1, 2), "a/b", 3000L, 2999L), (new DateOnly(2026, 1, 3), "c", 500L, 3499L)],
            counts.Select(r => (r.Get<DateOnly>("day"), r.Get<string>("tag"), r.Get<long>("n"), r.Get<long>("last"))));
    }

    [Fact]
    public async Task Save_LiteralPartitionAndNoRows_AddsNoFileAndLeavesNoDirectory()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "empty");
        await using var spark = await server.SessionAsync();

        await spark.Range(0, 10).Filter(Col("id") < 0).WithColumn("p", Lit("x")).Write.Format("delta").PartitionBy("p").SaveAsync(path);

        Assert.Empty(DeltaTable.ForPath(path).Snapshot().Files);
        Assert.Equal(["_delta_log"], Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Save_SortedRows_FileKeepsTheirOrder()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "sorted");
        await using var spark = await server.SessionAsync();

        await spark.Range(0, 50_000).OrderBy(Col("id").Desc()).Write.Format("delta").SaveAsync(path);

        var ids = (await spark.Read.Delta(path).CollectAsync()).Select(r => r.Get<long>("id")).ToList();
        Assert.Equal(Enumerable.Range(0, 50_000).Select(i => 49_999L - i), ids);
    }

    [Fact]
    public void Values_LiteralsOfTheColumnsTypes_AreThePartition()
    {
        var metadata = Table(("day", PrimitiveType.Date), ("n", PrimitiveType.Long), ("id", PrimitiveType.Long));
        var input = WithAliases(("day", LiteralOf(l => l.Date = 1)), ("n", LiteralOf(l => l.Long = 7)));

        var values = ConstantPartition.Values(input, metadata with { PartitionColumns = ["day", "n"] });

        Assert.Equal(new Dictionary<string, string?> { ["day"] = "1970-01-02", ["n"] = "7" }, values);
    }

    [Fact]
    public void Values_ProjectAliasOfALiteral_IsThePartition()
    {
        var metadata = Table(("id", PrimitiveType.Long), ("p", PrimitiveType.String)) with { PartitionColumns = ["p"] };
        var input = new Relation { Project = new Project { Expressions = { AttributeOf("id"), AliasOf("p", LiteralOf(l => l.String = "x")) } } };

        Assert.Equal(new Dictionary<string, string?> { ["p"] = "x" }, ConstantPartition.Values(input, metadata));
    }

    [Fact]
    public void Values_NotAllRowsProvablyInOnePartition_IsNull()
    {
        var metadata = Table(("id", PrimitiveType.Long), ("p", PrimitiveType.Long)) with { PartitionColumns = ["p"] };

        // A literal of another type than the column's, a literal replaced by a later expression, no literal at the top.
        Assert.Null(ConstantPartition.Values(WithAliases(("p", LiteralOf(l => l.Integer = 1))), metadata));
        Assert.Null(ConstantPartition.Values(WithAliases(("p", LiteralOf(l => l.Long = 1)), ("p", AttributeOf("id"))), metadata));
        Assert.Null(ConstantPartition.Values(new Relation { Filter = new Filter { Input = WithAliases(("p", LiteralOf(l => l.Long = 1))) } }, metadata));
    }

    private static DataFrame Batch(SparkSession spark, long from, long to, DateOnly day, string tag) =>
        spark.Range(from, to).WithColumns(new Dictionary<string, Column> { ["day"] = Lit(day), ["tag"] = Lit(tag) });

    private static Metadata Table(params (string Name, DeltaType Type)[] columns) =>
        new() { SchemaString = SchemaJson.ToJson(new StructType(columns.Select(c => new StructField(c.Name, c.Type)))) };

    private static Relation WithAliases(params (string Name, Expression Expr)[] aliases)
    {
        var with = new WithColumns();
        with.Aliases.AddRange(aliases.Select(a => new Expression.Types.Alias { Expr = a.Expr, Name = { a.Name } }));
        return new Relation { WithColumns = with };
    }

    private static Expression AliasOf(string name, Expression expr) => new() { Alias = new Expression.Types.Alias { Expr = expr, Name = { name } } };

    private static Expression AttributeOf(string name) => new() { UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = name } };

    private static Expression LiteralOf(Action<Expression.Types.Literal> set)
    {
        var literal = new Expression.Types.Literal();
        set(literal);
        return new Expression { Literal = literal };
    }
}
