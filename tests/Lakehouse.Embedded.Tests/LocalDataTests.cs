using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>createDataFrame data (a LocalRelation) keeps every value and type through the engine.</summary>
public sealed class LocalDataTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private sealed record Typed(int I, long L, bool B, double D, decimal M, string? S, DateOnly Day, DateTimeOffset At, byte[] Bytes);

    [Fact]
    public async Task CreateDataFrame_AllScalarTypes_RoundTrip()
    {
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1230);
        var input = new Typed(1, 2L, true, 1.25, 12.34m, null, new DateOnly(2024, 2, 29), at, [1, 2, 255]);
        await using var spark = await server.SessionAsync();
        var row = (await spark.CreateDataFrame(new[] { input }).CollectAsync())[0];
        Assert.Equal(1, row["I"]);
        Assert.Equal(2L, row["L"]);
        Assert.Equal(true, row["B"]);
        Assert.Equal(1.25, row["D"]);
        Assert.Equal(12.34m, Convert.ToDecimal(row["M"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(row["S"]);
        Assert.Equal(new DateOnly(2024, 2, 29), row["Day"]);
        Assert.Equal(at, ((DateTimeOffset)row["At"]!).ToUniversalTime());
        Assert.Equal(new byte[] { 1, 2, 255 }, row["Bytes"]);
    }

    [Fact]
    public async Task CreateDataFrame_UsedTwiceInOnePlan_JoinsWithItself()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.CreateDataFrame(new[] { new Typed(1, 1, true, 0, 0, "a", default, default, []), new Typed(2, 2, false, 0, 0, "b", default, default, []) });
        var joined = await df.Alias("x").Join(df.Alias("y"), Col("x.I") == Col("y.I")).Select(Col("x.S"), Col("y.L")).OrderBy(Col("L")).CollectAsync();
        Assert.Equal(["a", "b"], joined.Select(r => r.Get<string>("S")));
    }
}
