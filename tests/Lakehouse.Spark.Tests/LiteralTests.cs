using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Spark.Tests;

// Encodings from expressions.proto / brief §3.3: date = days since 1970-01-01, timestamp = µs since the epoch (UTC),
// timestamp_ntz = µs of wall-clock time, decimal = string + precision + scale.
public sealed class LiteralTests
{
    [Fact]
    public void Lit_Primitives_UseTheMatchingLiteralCase()
    {
        Assert.True(Lit(true).Expression.Literal.Boolean);
        Assert.Equal(-3, Lit((sbyte)-3).Expression.Literal.Byte);
        Assert.Equal(7, Lit((short)7).Expression.Literal.Short);
        Assert.Equal(42, Lit(42).Expression.Literal.Integer);
        Assert.Equal(1L << 40, Lit(1L << 40).Expression.Literal.Long);
        Assert.Equal(1.5f, Lit(1.5f).Expression.Literal.Float);
        Assert.Equal(2.25, Lit(2.25).Expression.Literal.Double);
        Assert.Equal("x", Lit("x").Expression.Literal.String);
        Assert.Equal([1, 2, 3], Lit(new byte[] { 1, 2, 3 }).Expression.Literal.Binary.ToByteArray());
    }

    [Fact]
    public void Lit_Null_IsTypedNull()
    {
        var literal = Lit(null).Expression.Literal;

        Assert.Equal(Expression.Types.Literal.LiteralTypeOneofCase.Null, literal.LiteralTypeCase);
        Assert.Equal(DataType.KindOneofCase.Null, literal.Null.KindCase);
    }

    [Fact]
    public void Lit_DateOnly_IsDaysSinceEpoch()
    {
        var expectedDays = (int)(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalDays;

        Assert.Equal(expectedDays, Lit(new DateOnly(2024, 1, 2)).Expression.Literal.Date);
        Assert.Equal(-1, Lit(new DateOnly(1969, 12, 31)).Expression.Literal.Date);
    }

    [Fact]
    public void Lit_DateTimeOffset_IsMicrosecondsOfTheUtcInstant()
    {
        var instant = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddTicks(60); // +6 µs
        var expected = (new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds() * 1_000_000) + 6;

        Assert.Equal(expected, Lit(instant).Expression.Literal.Timestamp);
    }

    [Fact]
    public void Lit_UnspecifiedDateTime_IsTimestampNtz()
    {
        var wallClock = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        var expected = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds() * 1_000_000;

        Assert.Equal(expected, Lit(wallClock).Expression.Literal.TimestampNtz);
    }

    [Theory]
    [InlineData("12.50", 4, 2)]
    [InlineData("0.05", 2, 2)]
    [InlineData("-123.4", 4, 1)]
    [InlineData("7", 1, 0)]
    public void Lit_Decimal_CarriesValuePrecisionAndScale(string text, int precision, int scale)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var literal = Lit(value).Expression.Literal.Decimal;

        Assert.Equal(text, literal.Value);
        Assert.Equal(precision, literal.Precision);
        Assert.Equal(scale, literal.Scale);
    }

    [Fact]
    public void Lit_Array_InfersElementType()
    {
        var literal = Lit(new[] { 1, 2 }).Expression.Literal.Array;

        Assert.Equal(DataType.KindOneofCase.Integer, literal.ElementType.KindCase);
        Assert.Equal([1, 2], literal.Elements.Select(e => e.Integer));
    }

    [Fact]
    public void Lit_Dictionary_IsMapWithKeyAndValueTypes()
    {
        var literal = Lit(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }).Expression.Literal.Map;

        Assert.Equal(DataType.KindOneofCase.String, literal.KeyType.KindCase);
        Assert.Equal(DataType.KindOneofCase.Long, literal.ValueType.KindCase);
        Assert.Equal(["a", "b"], literal.Keys.Select(k => k.String));
        Assert.Equal([1L, 2L], literal.Values.Select(v => v.Long));
    }

    [Fact]
    public void Lit_UnsupportedType_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => Lit(new object()));

        Assert.Contains("Object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lit_Column_IsReturnedAsIs()
    {
        var column = Col("a");

        Assert.Same(column, Lit(column));
    }
}
