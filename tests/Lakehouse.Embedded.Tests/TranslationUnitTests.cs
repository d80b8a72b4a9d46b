using Lakehouse.Delta.Schema;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Tests;

/// <summary>The pure parts of the translation: SQL text rewriting, DDL, datetime patterns, DuckDB type names.</summary>
public sealed class TranslationUnitTests
{
    private static readonly SqlSettings Ansi = new(Ansi: true, CaseSensitive: false);

    [Fact]
    public void RewriteQuery_DeltaPathAndNamedTableAndVersion_BecomeSubqueries()
    {
        var seen = new List<string>();
        var sql = SparkSqlRewriter.RewriteQuery(
            "SELECT `a b`, 'from x.y' FROM delta.`/data/t` JOIN db.tbl VERSION AS OF 3 ON 1 = 1", Ansi,
            (parts, version, ts) =>
            {
                seen.Add(string.Join("|", parts) + "@" + (version ?? "-") + "@" + (ts ?? "-"));
                return "SELECT 1";
            });
        Assert.Equal(["delta|/data/t@-@-", "db|tbl@3@-"], seen);
        Assert.Equal("SELECT \"a b\", 'from x.y' FROM (SELECT 1) JOIN (SELECT 1) ON 1 = 1", sql);
    }

    [Fact]
    public void RewriteQuery_TimestampAsOf_PassesTheLiteral()
    {
        string? seen = null;
        SparkSqlRewriter.RewriteQuery("SELECT * FROM db.t TIMESTAMP AS OF '2024-01-01 00:00:00'", Ansi, (_, _, ts) => { seen = ts; return "SELECT 1"; });
        Assert.Equal("2024-01-01 00:00:00", seen);
    }

    [Fact]
    public void RewriteExpression_OperatorsInsideStringsIdentifiersAndComments_AreLeftAlone()
    {
        var sql = SparkSqlRewriter.RewriteExpression("`a/b` + 'x div y / 0' -- concat(1) / 0 it's\n + `div` /* 1 % 0 */", Ansi);
        Assert.Equal("\"a/b\" + 'x div y / 0'  \n + \"div\"  ", sql);
    }

    [Fact]
    public void RewriteExpression_DivisionChain_FoldsLeftToRightWithinItsPrecedence()
    {
        // Spark's precedence: * / % div bind tighter than + and -; a unary minus belongs to its operand.
        var sql = SparkSqlRewriter.RewriteExpression("a + -b * c / d - e", Ansi);
        Assert.StartsWith("a + (CASE WHEN (typeof((-b * c)) LIKE 'DECIMAL%' OR typeof((d)) LIKE 'DECIMAL%')", sql, StringComparison.Ordinal);
        Assert.EndsWith("END) - e", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm:ss", "%Y-%m-%d %H:%M:%S")]
    [InlineData("dd/MM/yy", "%d/%m/%y")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.SSS", "%Y-%m-%dT%H:%M:%S.%g")]
    [InlineData("EEE, d MMM yyyy", "%a, %-d %b %Y")]
    public void DateFormats_SparkPattern_TranslatesToStrftime(string spark, string duck) =>
        Assert.Equal(duck, DateFormats.ToDuckDb(spark));

    [Fact]
    public void DateFormats_UnknownLetters_AreRejected()
    {
        var e = Assert.Throws<EmbeddedException>(() => DateFormats.ToDuckDb("QQQ"));
        Assert.Equal("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", e.ErrorClass);
    }

    [Fact]
    public void SparkDdl_Schema_ParsesNestedTypes()
    {
        var schema = SparkDdl.ParseSchema("id BIGINT NOT NULL, tags array<string>, `odd name` struct<a:int,b:decimal(10,2)>, m map<string,double>");
        Assert.Equal(["id", "tags", "odd name", "m"], schema.Fields.Select(f => f.Name));
        Assert.Equal(PrimitiveType.Long, schema.Fields[0].Type);
        Assert.Equal(new ArrayType(PrimitiveType.String, true), schema.Fields[1].Type);
        Assert.Equal(new DecimalType(10, 2), ((StructType)schema.Fields[2].Type).Fields[1].Type);
        Assert.Equal("MAP(VARCHAR, DOUBLE)", Types.ToDuckDb(schema.Fields[3].Type));
    }

    [Fact]
    public void SparkDdl_BadType_IsParseError()
    {
        var e = Assert.Throws<EmbeddedException>(() => SparkDdl.ParseSchema("a nosuchtype"));
        Assert.Equal("PARSE_SYNTAX_ERROR", e.ErrorClass);
    }

    [Theory]
    [InlineData("TIMESTAMP WITH TIME ZONE", "timestamp")]
    [InlineData("TIMESTAMP", "timestamp_ntz")]
    [InlineData("DECIMAL(18,3)", "decimal(18,3)")]
    [InlineData("HUGEINT", "long")]
    [InlineData("INTEGER[]", "array")]
    [InlineData("STRUCT(a INTEGER, \"b c\" VARCHAR)", "struct")]
    [InlineData("MAP(VARCHAR, BIGINT)", "map")]
    public void Types_DuckDbNames_MapToSparkTypes(string duck, string spark)
    {
        var t = Types.FromDuckDb(duck)!;
        var name = t switch { ArrayType => "array", StructType => "struct", MapType => "map", _ => t.ToString() };
        Assert.Equal(spark, name);
    }
}
