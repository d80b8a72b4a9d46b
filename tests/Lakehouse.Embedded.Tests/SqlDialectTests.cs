using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// spark.Sql text on the embedded engine gives Spark's answers where DuckDB's differ, or refuses. Expected values are the
/// examples of Spark's SQL function reference (spark.apache.org/docs/latest/api/sql, "Built-in Functions"), the ANSI
/// compliance page (docs/latest/sql-ref-ansi-compliance.html) and the ORDER BY reference (sql-ref-syntax-qry-select-orderby).
/// </summary>
public sealed class SqlDialectTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    // Built-in Functions, "/": "always performs floating point division": 3 / 2 = 1.5, 2L / 2L = 1.0.
    [InlineData("SELECT 3 / 2", 1.5)]
    [InlineData("SELECT CAST(2 AS BIGINT) / CAST(2 AS BIGINT)", 1.0)]
    // Precedence: * / bind tighter than +, left to right; a unary minus belongs to its operand.
    [InlineData("SELECT 1 + 6 / 4 * 2", 4.0)]
    [InlineData("SELECT -3 / 2", -1.5)]
    public async Task Sql_Divide_IsDoubleDivision(string sql, double expected)
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(expected, Convert.ToDouble(await ScalarAsync(spark, sql), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("SELECT 1 / 0")]
    [InlineData("SELECT 1.5E0 / 0")]
    [InlineData("SELECT 5 % 0")]
    [InlineData("SELECT mod(5, 0)")]
    [InlineData("SELECT 5 div 0")]
    [InlineData("SELECT pmod(5, 0)")]
    public async Task Sql_DivisionByZero_IsNullWithoutAnsiAndDivideByZeroWithIt(string sql)
    {
        // ANSI compliance, "Arithmetic operations": division by zero returns NULL with ANSI off (Spark 3.5's default) and
        // fails with DIVIDE_BY_ZERO with it on (Spark 4's default).
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, sql));
        Assert.Equal("DIVIDE_BY_ZERO", e.ErrorClass);
        Assert.Equal("22012", e.SqlState);

        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        Assert.Null(await ScalarAsync(spark, sql));
    }

    [Theory]
    // Built-in Functions: "%": 2 % 1.8 = 0.2; mod(2, 1.8) = 0.2; pmod(10, 3) = 1, pmod(-10, 3) = 2; "div": 3 div 2 = 1.
    [InlineData("SELECT CAST(2 % 1.8 AS STRING)", "0.2")]
    [InlineData("SELECT CAST(mod(2, 1.8) AS STRING)", "0.2")]
    [InlineData("SELECT CAST(pmod(10, 3) AS STRING)", "1")]
    [InlineData("SELECT CAST(pmod(-10, 3) AS STRING)", "2")]
    [InlineData("SELECT CAST(3 div 2 AS STRING)", "1")]
    // The remainder takes the dividend's sign (Spark's Remainder, as Java's %).
    [InlineData("SELECT CAST(-7 % 3 AS STRING)", "-1")]
    [InlineData("SELECT CAST(7 % -3 AS STRING)", "1")]
    public async Task Sql_RemainderAndIntegralDivision_SparkValues(string sql, string expected)
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(expected, await ScalarAsync(spark, sql));
    }

    [Fact]
    public async Task Sql_CastFractionalStringToInt_TruncatesWithoutAnsiAndFailsWithIt()
    {
        // CAST_INVALID_INPUT (SQLSTATE 22018): under ANSI "1.0 and 1e1 cannot be cast to any integral numeric type";
        // without ANSI Spark parses the integer part (UTF8String.toInt drops the fraction) and gives NULL for malformed text.
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, "SELECT CAST('1.5' AS INT)"));
        Assert.Equal("CAST_INVALID_INPUT", e.ErrorClass);
        Assert.Null(await ScalarAsync(spark, "SELECT try_cast('1.5' AS INT)"));
        Assert.Equal(12, await ScalarAsync(spark, "SELECT CAST(' 12 ' AS INT)"));

        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        Assert.Equal(1, await ScalarAsync(spark, "SELECT CAST('1.5' AS INT)"));
        Assert.Equal(-1, await ScalarAsync(spark, "SELECT '-1.9'::INT"));
        Assert.Null(await ScalarAsync(spark, "SELECT CAST('a' AS INT)"));
    }

    [Theory]
    // Casting a fractional number to an integral type truncates toward zero (DuckDB rounds).
    [InlineData("SELECT CAST(1.7 AS INT)", 1)]
    [InlineData("SELECT CAST(-1.5 AS INT)", -1)]
    [InlineData("SELECT CAST(CAST(2.9 AS DOUBLE) AS INT)", 2)]
    public async Task Sql_CastFractionToInt_Truncates(string sql, int expected)
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(expected, await ScalarAsync(spark, sql));
    }

    [Fact]
    public async Task Sql_ArrayIndex_IsZeroBasedAndOutOfBoundsIsNullOrInvalidArrayIndex()
    {
        // ANSI compliance: an array index out of bounds is NULL without ANSI and INVALID_ARRAY_INDEX with it; indexes
        // start at 0 (DuckDB's lists start at 1 and count negative indexes from the end).
        await using var spark = await server.SessionAsync();
        Assert.Equal(10, await ScalarAsync(spark, "SELECT array(10, 20, 30)[0]"));
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, "SELECT array(10, 20, 30)[-1]"));
        Assert.Equal("INVALID_ARRAY_INDEX", e.ErrorClass);

        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        Assert.Null(await ScalarAsync(spark, "SELECT array(10, 20, 30)[-1]"));
        Assert.Null(await ScalarAsync(spark, "SELECT array(10, 20, 30)[3]"));
    }

    [Theory]
    // Built-in Functions, substring: ('Spark SQL', 5) = 'k SQL', ('Spark SQL', -3) = 'SQL', ('Spark SQL', 5, 1) = 'k',
    // and the FROM/FOR forms; position 0 counts as 1; left: left('Spark SQL', 3) = 'Spa', "if len is less or equal than
    // 0 the result is an empty string".
    [InlineData("SELECT substring('Spark SQL', 5)", "k SQL")]
    [InlineData("SELECT substring('Spark SQL', -3)", "SQL")]
    [InlineData("SELECT substring('Spark SQL', 5, 1)", "k")]
    [InlineData("SELECT substring('Spark SQL' FROM 5)", "k SQL")]
    [InlineData("SELECT substring('Spark SQL' FROM 5 FOR 1)", "k")]
    [InlineData("SELECT substr('Spark SQL', 0, 2)", "Sp")]
    [InlineData("SELECT substring('Spark SQL', 2, -1)", "")]
    [InlineData("SELECT left('Spark SQL', 3)", "Spa")]
    [InlineData("SELECT left('Spark SQL', -2)", "")]
    [InlineData("SELECT right('Spark SQL', 3)", "SQL")]
    [InlineData("SELECT right('Spark SQL', 0)", "")]
    public async Task Sql_StringPositions_SparkIndexing(string sql, string expected)
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(expected, await ScalarAsync(spark, sql));
    }

    [Theory]
    // Built-in Functions: regexp_replace('100-200', '(\\d+)', 'num') = 'num-num'; regexp_extract('100-200',
    // '(\\d+)-(\\d+)', 1) = '100' (the index defaults to 1); dayofweek('2009-07-30') = 5; weekday('2009-07-30') = 3;
    // log(10, 100) = 2.0; '%SystemDrive%\Users\John' rlike '%SystemDrive%\\Users.*' = true; 2 <=> 2 = true,
    // NULL <=> NULL = true; extract(doy FROM DATE'2019-08-12') = 224, extract(SECONDS FROM
    // timestamp'2019-10-01 00:00:01.000001') = 1.000001.
    [InlineData("SELECT regexp_replace('100-200', '(\\\\d+)', 'num')", "num-num")]
    [InlineData("SELECT regexp_replace('100-200', '(\\\\d+)-(\\\\d+)', '$2-$1')", "200-100")]
    [InlineData("SELECT regexp_extract('100-200', '(\\\\d+)-(\\\\d+)')", "100")]
    [InlineData("SELECT CAST(dayofweek('2009-07-30') AS STRING)", "5")]
    [InlineData("SELECT CAST(weekday('2009-07-30') AS STRING)", "3")]
    [InlineData("SELECT CAST(log(10, 100) AS STRING)", "2.0")]
    [InlineData("SELECT CAST('%SystemDrive%\\\\Users\\\\John' RLIKE '%SystemDrive%\\\\\\\\Users.*' AS STRING)", "true")]
    [InlineData("SELECT CAST(2 <=> 2 AS STRING)", "true")]
    [InlineData("SELECT CAST(NULL <=> NULL AS STRING)", "true")]
    [InlineData("SELECT CAST(extract(doy FROM DATE'2019-08-12') AS STRING)", "224")]
    [InlineData("SELECT CAST(extract(SECONDS FROM timestamp'2019-10-01 00:00:01.000001') AS STRING)", "1.000001")]
    [InlineData("SELECT CAST(array_contains(array(1, 2, 3), 2) AS STRING)", "true")]
    // LIKE's escape character defaults to '\' (Built-in Functions, like).
    [InlineData("SELECT CAST('a_b' LIKE 'a\\\\_b' AS STRING)", "true")]
    [InlineData("SELECT CAST('axb' LIKE 'a\\\\_b' AS STRING)", "false")]
    // String equality is case- and space-sensitive in both engines.
    [InlineData("SELECT CAST('a' = 'A' AS STRING) || CAST('a ' = 'a' AS STRING)", "falsefalse")]
    // Double to string is Java's Double.toString.
    [InlineData("SELECT CAST(1e20 AS STRING)", "1.0E20")]
    public async Task Sql_FunctionsWithDuckDbNamesakes_SparkResults(string sql, string expected)
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(expected, await ScalarAsync(spark, sql));
    }

    [Fact]
    public async Task Sql_ArrayContainsWithNullElement_IsNullWhenAbsent()
    {
        // Spark's array_contains: NULL when the value is absent and the array holds a NULL (DuckDB answers false).
        await using var spark = await server.SessionAsync();
        Assert.Null(await ScalarAsync(spark, "SELECT array_contains(array(1, NULL), 3)"));
    }

    [Fact]
    public async Task Sql_OrderByWithoutNullOrder_NullsFirstAscendingLastDescending()
    {
        // ORDER BY: "If null_sort_order is not specified, then NULLs sort first if sort order is ASC and NULLS sort last
        // if sort order is DESC."
        await using var spark = await server.SessionAsync();
        const string values = "SELECT x FROM (VALUES (1), (NULL), (2)) AS t(x)";
        Assert.Equal(new object?[] { null, 1, 2 }, (await (await spark.SqlAsync(values + " ORDER BY x")).CollectAsync()).Select(r => r[0]));
        Assert.Equal(new object?[] { 2, 1, null }, (await (await spark.SqlAsync(values + " ORDER BY x DESC")).CollectAsync()).Select(r => r[0]));
        var window = await (await spark.SqlAsync("SELECT x, row_number() OVER (ORDER BY x) AS n FROM (VALUES (1), (NULL)) AS t(x)")).CollectAsync();
        Assert.Equal(1L, Convert.ToInt64(window.Single(r => r[0] is null)[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Sql_IntegerOverflow_FailsWithArithmeticOverflow()
    {
        // ANSI compliance: SELECT 2147483647 + 1 fails with ARITHMETIC_OVERFLOW under ANSI; without ANSI Spark wraps
        // around, which the engine refuses rather than answer differently.
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, "SELECT 2147483647 + 1"));
        Assert.Equal("ARITHMETIC_OVERFLOW", e.ErrorClass);

        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, "SELECT 2147483647 + 1"));
        Assert.Contains("Apache Spark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_RangeTableFunction_NamesItsColumnId()
    {
        // Built-in table-valued functions: range(start, end) returns a table with the column id.
        await using var spark = await server.SessionAsync();
        var rows = await (await spark.SqlAsync("SELECT * FROM range(1, 3)")).CollectAsync();
        Assert.Equal(["id"], rows[0].Columns);
        Assert.Equal([1L, 2L], rows.Select(r => (long)r[0]!));
    }

    [Theory]
    [InlineData("SELECT 1.0 / 3", "/ with a decimal operand")]
    [InlineData("SELECT 7.5 div 2", "div with a decimal operand")]
    [InlineData("SELECT avg(x) FROM (VALUES (1.5), (2.5)) AS t(x)", "avg() of a decimal")]
    [InlineData("SELECT hash(1)", "hash()")]
    [InlineData("SELECT round(1.005, 2)", "round()")]
    [InlineData("SELECT date_add(DATE'2016-07-30', 1)", "date_add()")]
    [InlineData("SELECT 'a' LIKE ANY ('a', 'b')", "LIKE ANY")]
    public async Task Sql_ConstructsWithoutAReliableRewrite_AreRefusedNamingThem(string sql, string named)
    {
        await using var spark = await server.SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, sql));
        Assert.Equal("0A000", e.SqlState);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("Spark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_CaseSensitiveConf_IsRefused()
    {
        await using var spark = await server.SessionAsync();
        await spark.Conf.SetAsync("spark.sql.caseSensitive", "true");
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => ScalarAsync(spark, "SELECT 1 AS a"));
        Assert.Equal("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", e.ErrorClass);
        Assert.Contains("spark.sql.caseSensitive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expr_SameRewritesAsSqlText()
    {
        await using var spark = await server.SessionAsync();
        var row = (await spark.Range(0, 1).SelectExpr("substring('Spark SQL', 0, 2) AS s").CollectAsync())[0];
        Assert.Equal("Sp", row["s"]);
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 1).SelectExpr("id / 0 AS q").CollectAsync());
        Assert.Equal("DIVIDE_BY_ZERO", e.ErrorClass);
        await spark.Conf.SetAsync("spark.sql.ansi.enabled", "false");
        Assert.Null((await spark.Range(0, 1).SelectExpr("id / 0 AS q").CollectAsync())[0]["q"]);
    }

    private static async Task<object?> ScalarAsync(SparkSession spark, string sql)
    {
        var rows = await (await spark.SqlAsync(sql)).CollectAsync();
        return rows.Count == 0 ? null : rows[0][0];
    }
}
