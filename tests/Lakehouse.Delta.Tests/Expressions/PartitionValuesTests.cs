using Lakehouse.Delta.Data;
using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Tests.Expressions;

public class PartitionValuesTests
{
    // Values as Spark wrote them in conformance/delta/tables/data-reader-partition-values/_delta_log/00000000000000000000.json.
    [Theory]
    [InlineData("float", "1.0")]
    [InlineData("double", "0.0")]
    [InlineData("date", "2021-09-08")]
    [InlineData("timestamp", "2021-09-08 11:11:11")]
    [InlineData("boolean", "true")]
    [InlineData("long", "1")]
    public void ParseThenFormat_SparkWrittenValues_RoundTrip(string type, string raw)
    {
        var t = PrimitiveType.FromName(type)!;
        Assert.Equal(raw, PartitionValues.Format(PartitionValues.Parse(raw, t), t));
    }

    [Fact]
    public void Parse_TimestampWithoutOffset_IsUtc() =>
        Assert.Equal(new DateTimeOffset(2021, 9, 8, 11, 11, 11, TimeSpan.Zero), PartitionValues.Parse("2021-09-08 11:11:11", PrimitiveType.Timestamp));

    [Fact]
    public void Format_FloatsLikeJava()
    {
        Assert.Equal("1.0E7", PartitionValues.Format(1e7, PrimitiveType.Double));
        Assert.Equal("1.0E-4", PartitionValues.Format(1e-4, PrimitiveType.Double));
        Assert.Equal("0.5", PartitionValues.Format(0.5f, PrimitiveType.Float));
        Assert.Equal("1.50", PartitionValues.Format(1.5m, new DecimalType(5, 2)));
    }

    [Fact]
    public void Directory_EscapesLikeSpark()
    {
        // The fixture's directory for the timestamp partition is "as_timestamp=2021-09-08 11%3A11%3A11".
        var dir = PartitionValues.Directory(["as_timestamp", "s"], new Dictionary<string, string?> { ["as_timestamp"] = "2021-09-08 11:11:11", ["s"] = null });
        Assert.Equal("as_timestamp=2021-09-08 11%3A11%3A11/s=__HIVE_DEFAULT_PARTITION__", dir);
        Assert.Equal("a/b=c%", PartitionValues.UnescapePathName(PartitionValues.EscapePathName("a/b=c%")));
    }

    [Fact]
    public void Parse_BadValue_IsCorruptLog() =>
        Assert.Equal(DeltaErrorKind.CorruptLog, Assert.Throws<DeltaException>(() => PartitionValues.Parse("x", PrimitiveType.Integer)).Kind);

    [Fact]
    public void Compare_AcrossNumericTypesAndCodePoints()
    {
        Assert.Equal(0, ValueComparer.Compare(1, 1L));
        Assert.True(ValueComparer.Compare(1.5m, 2) < 0);
        Assert.True(ValueComparer.Compare(double.NaN, double.PositiveInfinity) > 0);
        // U+FF61 sorts before U+1F600 by code point, though its UTF-16 unit is larger than the surrogate 0xD83D.
        Assert.True(ValueComparer.Compare("\uFF61", "\U0001F600") < 0);
        Assert.Null(ValueComparer.Compare("a", new DateOnly(2000, 1, 1)));
        Assert.Equal(new DateOnly(2024, 1, 1), ValueComparer.Coerce("2024-01-01", PrimitiveType.Date));
    }
}
