using Lakehouse.Embedded.Sql;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Numeric literals are typed in the SQL as Spark types them (an int literal is an INTEGER, not DuckDB's
/// INTEGER_LITERAL nor a wider type), so a filter compares a column with a constant of a known type and never widens
/// the column needlessly; and they keep their exact values at the edges of their types.
/// </summary>
public sealed class LiteralTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData(100, "CAST(100 AS INTEGER)")]
    [InlineData(int.MinValue, "CAST(-2147483648 AS INTEGER)")]
    public void Sql_IntegerLiteral_IsCastToInteger(int value, string expected) =>
        Assert.Equal(expected, Literals.Sql(new Expression.Types.Literal { Integer = value }));

    [Fact]
    public void Sql_OtherNumericLiterals_CarryTheirSparkTypes()
    {
        Assert.Equal("CAST(-9223372036854775808 AS BIGINT)", Literals.Sql(new Expression.Types.Literal { Long = long.MinValue }));
        Assert.Equal("CAST(7 AS SMALLINT)", Literals.Sql(new Expression.Types.Literal { Short = 7 }));
        Assert.Equal("CAST(-128 AS TINYINT)", Literals.Sql(new Expression.Types.Literal { Byte = -128 }));
        Assert.Equal("CAST('0.1' AS DOUBLE)", Literals.Sql(new Expression.Types.Literal { Double = 0.1 }));
        Assert.Equal("CAST('12.50' AS DECIMAL(4,2))", Literals.Sql(new Expression.Types.Literal { Decimal = new() { Value = "12.50" } }));
    }

    [Fact]
    public async Task Literals_AtTheEdgesOfTheirTypes_KeepExactValuesAndTypes()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 1).Select(
            Lit(long.MinValue).Alias("l"), Lit(int.MaxValue).Alias("i"), Lit((short)-32768).Alias("s"), Lit((sbyte)127).Alias("b"),
            Lit(0.1 + 0.2).Alias("d"), Lit(double.Epsilon).Alias("e"), Lit(-0.0).Alias("z"), Lit(0.1f).Alias("f"),
            Lit(12345678901234567890.123456789m).Alias("m"));
        var schema = (await df.SchemaAsync()).Struct.Fields.Select(f => f.DataType.KindCase).ToList();
        Assert.Equal(
            [DataType.KindOneofCase.Long, DataType.KindOneofCase.Integer, DataType.KindOneofCase.Short, DataType.KindOneofCase.Byte,
             DataType.KindOneofCase.Double, DataType.KindOneofCase.Double, DataType.KindOneofCase.Double, DataType.KindOneofCase.Float,
             DataType.KindOneofCase.Decimal],
            schema);
        var row = Assert.Single(await df.CollectAsync());
        Assert.Equal(long.MinValue, row["l"]);
        Assert.Equal(int.MaxValue, row["i"]);
        Assert.Equal((short)-32768, row["s"]);
        Assert.Equal((sbyte)127, row["b"]);
        Assert.Equal(0.30000000000000004, row.Get<double>("d"));
        Assert.Equal(double.Epsilon, row.Get<double>("e"));
        Assert.True(double.IsNegative(row.Get<double>("z")) && row.Get<double>("z") == 0);
        Assert.Equal(0.1f, row.Get<float>("f"));
        Assert.Equal(12345678901234567890.123456789m, row.Get<decimal>("m"));
    }

    [Fact]
    public async Task Filter_IntColumnAgainstWiderLiterals_ComparesExactly()
    {
        await using var spark = await server.SessionAsync();
        // v = -3 .. 3 as int; Spark widens v to the literal's type (bigint, double), it never narrows the literal.
        var values = spark.Range(-3, 4).Select(Col("id").Cast("int").Alias("v"));
        async Task<long[]> Where(Column condition) =>
            (await values.Filter(condition).OrderBy(Col("v")).CollectAsync()).Select(r => (long)r.Get<int>("v")).ToArray();

        Assert.Equal(new long[] { -3, -2, -1, 0, 1, 2, 3 }, await Where(Col("v") < Lit(3_000_000_000L)));
        Assert.Empty(await Where(Col("v") < Lit(-2_147_483_649L)));
        Assert.Equal(new long[] { 2, 3 }, await Where(Col("v") > Lit(1.5)));
        Assert.Equal(new long[] { -3, -2 }, await Where(Col("v") <= Lit(-1.999m)));
        Assert.Equal(new long[] { 1 }, await Where(Col("v") == Lit(1.0f)));
    }
}
