using System.Text;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// <c>inferSchema=true</c> for CSV. Expected types follow Spark's CSVInferSchema (sql/catalyst, csv): a token's type is
/// the first of integer, long, decimal (integers beyond long), double, date, timestamp, boolean that parses it, else
/// string; a column takes the common type of its tokens (integers widen to long/decimal/double; dates mixed with
/// timestamps, or numbers mixed with text, are strings); empty tokens do not count, a column of none is a string.
/// </summary>
public sealed class CsvInferenceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Csv_InferSchema_TypesEachColumnBySparksLadder()
    {
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.csv");
        File.WriteAllText(file,
            "i,l,big,d,dt,ts,b,mixed,datets,empty\n" +
            "1,3000000000,12345678901234567890,1.5,2024-01-01,2024-01-01 10:00:00,true,1,2024-01-01,\n" +
            "-2,4,5,2,2024-02-29,2024-01-02T03:04:05Z,FALSE,x,2024-01-01 10:00:00,\n");
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Option("header", true).Option("inferSchema", true).Csv(file);

        var fields = (await df.SchemaAsync()).Struct.Fields.ToDictionary(f => f.Name, f => f.DataType);

        Assert.Equal(DataType.KindOneofCase.Integer, fields["i"].KindCase);
        Assert.Equal(DataType.KindOneofCase.Long, fields["l"].KindCase);
        Assert.Equal(DataType.KindOneofCase.Decimal, fields["big"].KindCase);
        Assert.Equal((20, 0), (fields["big"].Decimal.Precision, fields["big"].Decimal.Scale));
        Assert.Equal(DataType.KindOneofCase.Double, fields["d"].KindCase);
        Assert.Equal(DataType.KindOneofCase.Date, fields["dt"].KindCase);
        Assert.Equal(DataType.KindOneofCase.Timestamp, fields["ts"].KindCase);
        Assert.Equal(DataType.KindOneofCase.Boolean, fields["b"].KindCase);
        Assert.Equal(DataType.KindOneofCase.String, fields["mixed"].KindCase);
        Assert.Equal(DataType.KindOneofCase.String, fields["datets"].KindCase);
        Assert.Equal(DataType.KindOneofCase.String, fields["empty"].KindCase);

        var rows = await df.OrderBy(Col("i")).CollectAsync();
        Assert.Equal((-2, 4L, 5m, 2.0, new DateOnly(2024, 2, 29), false), (rows[0].Get<int>("i"), rows[0].Get<long>("l"), rows[0].Get<decimal>("big"), rows[0].Get<double>("d"), rows[0].Get<DateOnly>("dt"), rows[0].Get<bool>("b")));
        Assert.Equal(12345678901234567890m, rows[1].Get<decimal>("big"));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), rows[0].Get<DateTimeOffset>("ts"));
        Assert.Null(rows[0]["empty"]);
    }

    [Fact]
    public async Task Csv_InferSchema_ReadsEveryRecordNotASample()
    {
        // DuckDB's sniffer looks at the first 20,480 rows; Spark's inference reads them all, so a late non-number makes the column a string.
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.csv");
        var text = new StringBuilder("id,code\n");
        for (var i = 0; i < 30_000; i++)
        {
            text.Append(i).Append(',').Append(i % 7).Append('\n');
        }

        text.Append("30000,X7\n");
        File.WriteAllText(file, text.ToString());
        await using var spark = await server.SessionAsync();
        var df = spark.Read.Option("header", true).Option("inferSchema", true).Csv(file);

        var fields = (await df.SchemaAsync()).Struct.Fields.ToDictionary(f => f.Name, f => f.DataType.KindCase);

        Assert.Equal(DataType.KindOneofCase.Integer, fields["id"]);
        Assert.Equal(DataType.KindOneofCase.String, fields["code"]);
        Assert.Equal(30_001, await df.CountAsync());
        Assert.Equal("X7", (await df.Filter(Col("id") == 30_000).CollectAsync())[0]["code"]);
    }

    [Fact]
    public async Task Csv_InferSchemaWithDropMalformed_KeepsRecordsThatFitTheInferredTypes()
    {
        // Every token fits the type inferred from all tokens, and short records are not malformed (Spark's CSV docs).
        using var dir = new TempDirectory("embedded");
        var file = dir.Combine("a.csv");
        File.WriteAllText(file, "a,b\n1,2.5\n2\n3,4\n");
        await using var spark = await server.SessionAsync();

        var rows = await spark.Read.Option("header", true).Option("inferSchema", true).Option("mode", "DROPMALFORMED").Csv(file).OrderBy(Col("a")).CollectAsync();

        Assert.Equal([(1, (double?)2.5), (2, null), (3, 4.0)], rows.Select(r => (r.Get<int>("a"), r.Get<double?>("b"))));
    }
}
