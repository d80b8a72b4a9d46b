using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>User errors come back as SparkConnectException with Spark's error classes, and the server keeps serving.</summary>
public sealed class ErrorTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Select_UnknownColumn_IsUnresolvedColumnWithSuggestion()
    {
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 1).Select(Col("nope")).CollectAsync());
        Assert.Equal("UNRESOLVED_COLUMN.WITH_SUGGESTION", e.ErrorClass);
        Assert.Equal("42703", e.SqlState);
        Assert.Equal("`nope`", e.MessageParameters["objectName"]);
        Assert.Contains("`id`", e.MessageParameters["proposal"], StringComparison.Ordinal);
        Assert.Equal(1, await spark.Range(0, 1).CountAsync());
    }

    [Fact]
    public async Task Sql_BadSyntax_IsParseSyntaxError()
    {
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(async () => await (await spark.SqlAsync("SELECT FROM WHERE")).CollectAsync());
        Assert.Equal("PARSE_SYNTAX_ERROR", e.ErrorClass);
        Assert.Equal("42601", e.SqlState);
    }

    [Fact]
    public async Task Function_Unsupported_NamesItAndSuggestsSpark()
    {
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 1).Select(CallFunction("to_utc_timestamp", Col("id"), Lit("UTC"))).CollectAsync());
        Assert.Equal("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FUNCTION", e.ErrorClass);
        Assert.Equal("to_utc_timestamp", e.MessageParameters["functionName"]);
        Assert.Contains("Apache Spark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MissingPath_IsPathNotFound()
    {
        await using var spark = await server.SessionAsync();
        var missing = Path.Combine(Path.GetTempPath(), "lakehouse-missing-" + Guid.NewGuid().ToString("N"));
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Read.Parquet(missing).CollectAsync());
        Assert.Equal("PATH_NOT_FOUND", e.ErrorClass);
        var t = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Table("nodb.notable").CollectAsync());
        Assert.Equal("PATH_NOT_FOUND", t.ErrorClass);
    }

    [Fact]
    public async Task Schema_UnknownColumn_FailsInAnalyze()
    {
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 1).Filter(Col("x") > 1).SchemaAsync());
        Assert.Equal("UNRESOLVED_COLUMN.WITH_SUGGESTION", e.ErrorClass);
    }

    [Fact]
    public async Task Join_AmbiguousColumn_IsAmbiguousReference()
    {
        await using var spark = await server.SessionAsync();
        var a = spark.Range(0, 2);
        var b = spark.Range(0, 2);
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => a.CrossJoin(b).Select(Col("id")).CollectAsync());
        Assert.Equal("AMBIGUOUS_REFERENCE", e.ErrorClass);
    }
}
