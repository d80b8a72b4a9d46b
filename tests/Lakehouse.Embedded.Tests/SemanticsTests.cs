using System.Globalization;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Places where DuckDB's semantics differ from Spark's. Expected values come from Spark's docs and SQL test inputs
/// (cast.sql / try_cast.sql: "a valid fractional number to integral should truncate"), Java's Double.toString, and
/// the ANSI error classes of Spark 4.
/// </summary>
public sealed class SemanticsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static async Task<object?> EvalAsync(SparkSession spark, Column c) =>
        (await spark.Range(0, 1).Select(c.Alias("v")).CollectAsync())[0]["v"];

    private static async Task<SparkSession> LegacyAsync(ServerFixture server)
    {
        var spark = await server.SessionAsync();
        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        return spark;
    }

    [Fact]
    public async Task Cast_StringWithFraction_TruncatesWithoutAnsiNeverRounds()
    {
        // CAST_INVALID_INPUT: under ANSI "1.0 and 1e1 cannot be cast to any integral numeric type"; without ANSI Spark
        // drops the fraction.
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => EvalAsync(spark, Lit("1.5").Cast("int")));
        Assert.Equal("CAST_INVALID_INPUT", e.ErrorClass);
        Assert.Equal(7L, await EvalAsync(spark, Lit(" 7 ").Cast("bigint")));
        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        Assert.Equal(1, await EvalAsync(spark, Lit("1.5").Cast("int")));
        Assert.Equal(-4, await EvalAsync(spark, Lit("-4.56").Cast("int")));
    }

    [Fact]
    public async Task Cast_MalformedString_AnsiErrorLegacyNull()
    {
        await using (var spark = await server.SessionAsync())
        {
            var e = await Assert.ThrowsAsync<SparkConnectException>(() => EvalAsync(spark, Lit("1e2").Cast("int")));
            Assert.Equal("CAST_INVALID_INPUT", e.ErrorClass);
        }

        await using var legacy = await LegacyAsync(server);
        Assert.Null(await EvalAsync(legacy, Lit("1e2").Cast("int")));
        Assert.Null(await EvalAsync(legacy, Lit("0x10").Cast("int")));
        Assert.Null(await EvalAsync(legacy, Lit("2147483648").Cast("int")));
    }

    [Fact]
    public async Task Divide_ByZero_AnsiErrorLegacyNullNeverInfinity()
    {
        await using (var spark = await server.SessionAsync())
        {
            var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 3).Select((Lit(1) / Col("id")).Alias("v")).CollectAsync());
            Assert.Equal("DIVIDE_BY_ZERO", e.ErrorClass);
        }

        await using var legacy = await LegacyAsync(server);
        var rows = await legacy.Range(0, 2).Select((Lit(1.0) / Col("id")).Alias("q"), (Col("id") % Lit(0)).Alias("r"), CallFunction("div", Lit(5), Col("id")).Alias("d")).CollectAsync();
        Assert.Equal([null, 1.0], rows.Select(r => r["q"]));
        Assert.All(rows, r => Assert.Null(r["r"]));
        Assert.Null(rows[0]["d"]);
        Assert.Equal(5L, rows[1]["d"]);
    }

    [Fact]
    public async Task Divide_Decimals_ExactHalfUpInSparksType()
    {
        await using var spark = await server.SessionAsync();
        var a = Lit("1234567890123.45").Cast("decimal(15,2)");
        var b = Lit("3.00").Cast("decimal(3,2)");
        var df = spark.Range(0, 1).Select((a / b).Alias("q"), (Lit("2").Cast("decimal(1,0)") / Lit("3").Cast("decimal(1,0)")).Alias("r"));
        var types = (await df.SchemaAsync()).Struct.Fields.Select(f => (f.DataType.Decimal.Precision, f.DataType.Decimal.Scale)).ToList();
        // DecimalPrecision: scale max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale.
        Assert.Equal([(21, 6), (7, 6)], types);
        var row = (await df.CollectAsync())[0];
        // 1234567890123.45 / 3 = 411522630041.15 exactly; 2/3 rounds HALF_UP at 6 digits. A double has 17 digits only.
        Assert.Equal(411522630041.150000m, Convert.ToDecimal(row["q"], CultureInfo.InvariantCulture));
        Assert.Equal(0.666667m, Convert.ToDecimal(row["r"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Div_DecimalsAndDoubles_TruncatedInIntegers()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(3L, await EvalAsync(spark, CallFunction("div", Lit(7.5m), Lit(2.5m))));
        Assert.Equal(-2L, await EvalAsync(spark, CallFunction("div", Lit(-7.5m), Lit(3))));
        Assert.Equal(4611686018427387903L, await EvalAsync(spark, CallFunction("div", Lit(long.MaxValue), Lit(2))));
    }

    [Fact]
    public async Task Pmod_NegativeDivisor_FollowsSparkFormula()
    {
        await using var spark = await server.SessionAsync();
        // Spark: r = a % n; if r < 0 then (r + n) % n else r, with Java's remainder sign (of the dividend).
        Assert.Equal(1, await EvalAsync(spark, CallFunction("pmod", Lit(7), Lit(-3))));
        Assert.Equal(2, await EvalAsync(spark, CallFunction("pmod", Lit(-7), Lit(3))));
        Assert.Equal(-1, await EvalAsync(spark, CallFunction("pmod", Lit(-7), Lit(-3))));
    }

    [Fact]
    public async Task Round_Doubles_HalfUpOnShortestDecimal()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(3.0, await EvalAsync(spark, Round(Lit(2.5))));
        Assert.Equal(-3.0, await EvalAsync(spark, Round(Lit(-2.5))));
        Assert.Equal(1.01, await EvalAsync(spark, Round(Lit(1.005), 2)));
        Assert.Equal(0.13, await EvalAsync(spark, Round(Lit(0.125), 2)));
    }

    [Fact]
    public async Task FloorCeilSignAvg_SparkResultTypes()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(2L, await EvalAsync(spark, CallFunction("floor", Lit(2.5))));
        Assert.Equal(3L, await EvalAsync(spark, CallFunction("ceil", Lit(2.5))));
        Assert.Equal(-1.0, await EvalAsync(spark, CallFunction("sign", Lit(-3))));
        var df = spark.Range(0, 2).Select(Col("id").Cast("decimal(10,2)").Alias("d")).Agg(Avg(Col("d")).Alias("a"));
        var type = (await df.SchemaAsync()).Struct.Fields[0].DataType.Decimal;
        // Spark: avg of decimal(p, s) is decimal(p + 4, s + 4).
        Assert.Equal((14, 6), (type.Precision, type.Scale));
        Assert.Equal(0.5m, Convert.ToDecimal((await df.CollectAsync())[0]["a"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Avg_Decimals_ExactHalfUpAlsoOverAWindow()
    {
        await using var spark = await server.SessionAsync();
        // Three values whose mean has 17 significant digits: 12345678901234.56 + 0.01 + 0.01 → 4115226300411.526667 (HALF_UP at 6 digits).
        var values = spark.Range(0, 3).Select(CallFunction("when", Col("id") == Lit(0), Lit("12345678901234.56"), Lit("0.01")).Cast("decimal(16,2)").Alias("d"), Lit(1).Alias("g"));
        var mean = (await values.Agg(Avg(Col("d")).Alias("a")).CollectAsync())[0]["a"];
        Assert.Equal(4115226300411.526667m, Convert.ToDecimal(mean, CultureInfo.InvariantCulture));
        var windowed = await values.Select(Avg(Col("d")).Over(Window.PartitionBy(Col("g"))).Alias("w")).CollectAsync();
        Assert.All(windowed, r => Assert.Equal(4115226300411.526667m, Convert.ToDecimal(r["w"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task UnixTimestamp_BeforeEpochWithFraction_Floors()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(-1L, await EvalAsync(spark, CallFunction("unix_timestamp", Lit("1969-12-31 23:59:59.5").Cast("timestamp"))));
    }

    [Fact]
    public async Task ToDate_TwoLetterYear_Base2000()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.Range(0, 1).Select(ToDate(Lit("70-01-02"), "yy-MM-dd").Alias("a"), ToDate(Lit("24-01-02"), "yy-MM-dd").Alias("b")).CollectAsync();
        Assert.Equal(new DateOnly(2070, 1, 2), rows[0]["a"]);
        Assert.Equal(new DateOnly(2024, 1, 2), rows[0]["b"]);
    }

    [Fact]
    public async Task Cast_DoubleAndTimestampToString_AsSparkPrints()
    {
        await using var spark = await server.SessionAsync();
        // Java's Double.toString: plain in [1e-3, 1e7), else d.dddE±n.
        Assert.Equal("1.0E20", await EvalAsync(spark, Lit(1e20).Cast("string")));
        Assert.Equal("1.0E7", await EvalAsync(spark, Lit(1e7).Cast("string")));
        Assert.Equal("1234567.5", await EvalAsync(spark, Lit(1234567.5).Cast("string")));
        Assert.Equal("0.001", await EvalAsync(spark, Lit(0.001).Cast("string")));
        Assert.Equal("1.0E-4", await EvalAsync(spark, Lit(0.0001).Cast("string")));
        Assert.Equal("1.0", await EvalAsync(spark, Lit(1.0).Cast("string")));
        Assert.Equal("2024-01-02 03:04:05.5", await EvalAsync(spark, Lit("2024-01-02 03:04:05.5").Cast("timestamp").Cast("string")));
        Assert.Equal("2024-01-02 03:04:05", await EvalAsync(spark, Lit("2024-01-02 03:04:05").Cast("timestamp").Cast("string")));
    }

    [Fact]
    public async Task GetItem_OutOfBounds_AnsiErrorLegacyNull()
    {
        await using (var spark = await server.SessionAsync())
        {
            Assert.Equal(3, await EvalAsync(spark, CallFunction("array", Lit(1), Lit(2), Lit(3)).GetItem(2)));
            Assert.Equal("a", await EvalAsync(spark, CallFunction("map", Lit(1), Lit("a")).GetItem(1)));
            Assert.Null(await EvalAsync(spark, CallFunction("map", Lit(1), Lit("a")).GetItem(2)));
            var e = await Assert.ThrowsAsync<SparkConnectException>(() => EvalAsync(spark, CallFunction("array", Lit(1), Lit(2)).GetItem(-1)));
            Assert.Equal("INVALID_ARRAY_INDEX", e.ErrorClass);
        }

        await using var legacy = await LegacyAsync(server);
        Assert.Null(await EvalAsync(legacy, CallFunction("array", Lit(1), Lit(2)).GetItem(-1)));
        Assert.Null(await EvalAsync(legacy, CallFunction("array", Lit(1), Lit(2)).GetItem(5)));
    }

    [Fact]
    public async Task ArrayContains_WithNulls_ThreeValued()
    {
        await using var spark = await server.SessionAsync();
        var withNull = CallFunction("array", Lit(1), Lit(null).Cast("int"));
        Assert.Null(await EvalAsync(spark, CallFunction("array_contains", withNull, Lit(2))));
        Assert.Equal(true, await EvalAsync(spark, CallFunction("array_contains", withNull, Lit(1))));
        Assert.Null(await EvalAsync(spark, CallFunction("array_contains", CallFunction("array", Lit(1)), Lit(null).Cast("int"))));
        Assert.Equal(false, await EvalAsync(spark, CallFunction("array_contains", CallFunction("array", Lit(1)), Lit(3))));
    }

    [Fact]
    public async Task Size_ArraysMapsAndNull_AnsiNullLegacyMinusOne()
    {
        await using (var spark = await server.SessionAsync())
        {
            Assert.Equal(2, await EvalAsync(spark, CallFunction("size", CallFunction("array", Lit(1), Lit(2)))));
            Assert.Equal(1, await EvalAsync(spark, CallFunction("size", CallFunction("map", Lit("k"), Lit(1)))));
            Assert.Null(await EvalAsync(spark, CallFunction("size", Lit(null).Cast("array<int>"))));
        }

        await using var legacy = await LegacyAsync(server);
        Assert.Equal(-1, await EvalAsync(legacy, CallFunction("size", Lit(null).Cast("array<int>"))));
    }

    [Fact]
    public async Task DateFormat_DayOfYearAndZoneLetters()
    {
        await using var spark = await server.SessionAsync();
        var date = Lit("2024-03-05").Cast("date");
        Assert.Equal("65", await EvalAsync(spark, DateFormat(date, "D")));
        Assert.Equal("065", await EvalAsync(spark, DateFormat(date, "DDD")));
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => EvalAsync(spark, DateFormat(date, "yyyy X")));
        Assert.Equal("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", e.ErrorClass);
    }

    [Fact]
    public async Task CaseSensitiveConf_ExactNamesOnly()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 1).Select(Col("id").Alias("a"));
        Assert.Single(await df.Select(Col("A")).CollectAsync());
        await spark.Conf.SetAsync("spark.sql.caseSensitive", "true");
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => df.Select(Col("A")).CollectAsync());
        Assert.Equal("UNRESOLVED_COLUMN.WITH_SUGGESTION", e.ErrorClass);
    }

    [Fact]
    public async Task SqlText_ConcatSplitLiterals_SparkSemantics()
    {
        await using var spark = await server.SessionAsync();
        var row = (await (await spark.SqlAsync("SELECT concat('a', NULL) AS c, split('a.b', '\\\\.') AS s, 'x\\ty' AS t, \"dq\" AS d, 'it''s' AS q")).CollectAsync())[0];
        Assert.Null(row["c"]);
        Assert.Equal(["a", "b"], ((System.Collections.IEnumerable)row["s"]!).Cast<object>().Select(o => (string)o));
        Assert.Equal("x\ty", row["t"]);
        Assert.Equal("dq", row["d"]);
        Assert.Equal("it's", row["q"]);
        var e = await Assert.ThrowsAsync<SparkConnectException>(async () => await (await spark.SqlAsync("SELECT round(1.005, 2) AS r")).CollectAsync());
        Assert.Equal("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", e.ErrorClass);
    }
}
