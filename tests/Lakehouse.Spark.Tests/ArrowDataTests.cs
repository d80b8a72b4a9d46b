using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Lakehouse.Spark.Tests;

public sealed class ArrowDataTests
{
    private sealed record Order(int Id, string? Customer, decimal Amount, DateOnly Day, bool? Paid);

    [Fact]
    public async Task CreateDataFrame_Records_ShipsAnArrowStreamWithSchemaAndRows()
    {
        await using var spark = P.OfflineSession();
        var orders = new[] { new Order(1, "ann", 12.5m, new DateOnly(2024, 1, 2), true), new Order(2, null, 3m, new DateOnly(2024, 1, 3), null) };

        var df = spark.CreateDataFrame(orders);

        // brief §3.2 LocalRelation.data: an Arrow IPC stream including its schema; read it back independently.
        using var reader = new ArrowStreamReader(new MemoryStream(df.Relation.LocalRelation.Data.ToByteArray()));
        var batch = await reader.ReadNextRecordBatchAsync();
        Assert.NotNull(batch);
        Assert.Equal(["Id", "Customer", "Amount", "Day", "Paid"], batch.Schema.FieldsList.Select(f => f.Name));
        Assert.False(batch.Schema.GetFieldByName("Id").IsNullable);
        Assert.True(batch.Schema.GetFieldByName("Customer").IsNullable);
        Assert.IsType<Decimal128Type>(batch.Schema.GetFieldByName("Amount").DataType);
        Assert.Equal([1, 2], ((Int32Array)batch.Column(0)).Values.ToArray());
        Assert.Equal("ann", ((StringArray)batch.Column(1)).GetString(0));
        Assert.True(batch.Column(1).IsNull(1));
        Assert.Equal(12.5m, ((Decimal128Array)batch.Column(2)).GetValue(0));
        Assert.Equal(new DateOnly(2024, 1, 3), ((Date32Array)batch.Column(3)).GetDateOnly(1));
        Assert.True(batch.Column(4).IsNull(1));
        Assert.Null(await reader.ReadNextRecordBatchAsync());
    }

    [Fact]
    public async Task CreateDataFrame_TooLargeForOneMessage_ThrowsWithAdvice()
    {
        await using var spark = SparkSession.Builder().Remote("sc://127.0.0.1:1/;grpc_max_message_size=4096").Build();
        var rows = Enumerable.Range(0, 1000).Select(i => new Order(i, new string('x', 20), i, new DateOnly(2024, 1, 1), true));

        var e = Assert.Throws<ArgumentException>(() => spark.CreateDataFrame(rows));

        Assert.Contains("spark.Read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectAsync_ArrowTypes_BecomeDocumentedDotNetValues()
    {
        var schema = new Schema(
            [
                new Field("b", BooleanType.Default, true), new Field("i", Int32Type.Default, true), new Field("l", Int64Type.Default, true),
                new Field("d", DoubleType.Default, true), new Field("m", new Decimal128Type(10, 2), true), new Field("s", StringType.Default, true),
                new Field("day", Date32Type.Default, true), new Field("ts", new TimestampType(TimeUnit.Microsecond, "UTC"), true),
                new Field("ntz", new TimestampType(TimeUnit.Microsecond, (string?)null), true),
            ],
            null);
        var instant = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var batch = new RecordBatch(
            schema,
            [
                new BooleanArray.Builder().Append(true).AppendNull().Build(),
                new Int32Array.Builder().Append(-5).AppendNull().Build(),
                new Int64Array.Builder().Append(long.MaxValue).AppendNull().Build(),
                new DoubleArray.Builder().Append(0.25).AppendNull().Build(),
                new Decimal128Array.Builder(new Decimal128Type(10, 2)).Append(19.99m).AppendNull().Build(),
                new StringArray.Builder().Append("é").AppendNull().Build(),
                new Date32Array.Builder().Append(new DateOnly(2024, 2, 29)).AppendNull().Build(),
                new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")).Append(instant).AppendNull().Build(),
                new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, (string?)null)).Append(instant).AppendNull().Build(),
            ],
            2);
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { Batches = [batch] });
        await using var spark = await server.SessionAsync();

        var rows = await spark.Table("t").CollectAsync();

        Assert.Equal<object?>([true, -5, long.MaxValue, 0.25, 19.99m, "é", new DateOnly(2024, 2, 29), instant, new DateTime(2024, 5, 6, 7, 8, 9)], rows[0].Values);
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)rows[0]["ntz"]!).Kind);
        Assert.All(rows[1].Values, Assert.Null);
    }

    private sealed record IdName(long Id, string? Name);

    [Fact]
    public async Task CollectAsyncTyped_Record_MapsColumnsByName()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { Batches = CannedData.IdBatches(2) });
        await using var spark = await server.SessionAsync();

        var rows = await spark.Table("t").CollectAsync<IdName>();

        Assert.Equal([new IdName(0, null), new IdName(1, "n1"), new IdName(2, "n2"), new IdName(3, null)], rows);
    }

    private sealed record NotNullableName(long Id, int Name);

    [Fact]
    public async Task CollectAsyncTyped_NullIntoValueType_ThrowsNamingTheMember()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { Batches = CannedData.IdBatches(1) });
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<InvalidCastException>(() => spark.Table("t").CollectAsync<NotNullableName>());

        Assert.Contains("NotNullableName.Name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountAsync_ReadsTheSingleAggregateValue()
    {
        var counted = new RecordBatch(new Schema([new Field("count(1)", Int64Type.Default, false)], null), [new Int64Array.Builder().Append(42).Build()], 1);
        var behaviour = new LoopbackBehaviour { Batches = [counted] };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        var count = await spark.Table("t").CountAsync();

        Assert.Equal(42, count);
        // PySpark DataFrame.count: groupBy().agg(count(lit(1))).
        var aggregate = Assert.Single(behaviour.Executes).Plan.Root.Aggregate;
        Assert.Empty(aggregate.GroupingExpressions);
        Assert.Equal(P.Fn("count", P.Int(1)), Assert.Single(aggregate.AggregateExpressions));
    }

    [Fact]
    public async Task ToArrowAsync_BatchesOutliveTheStream()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { Batches = CannedData.IdBatches(3) });
        await using var spark = await server.SessionAsync();

        var batches = new List<RecordBatch>();
        await foreach (var batch in spark.Table("t").ToArrowAsync())
        {
            batches.Add(batch);
        }

        Assert.Equal([0L, 1, 2, 3, 4, 5], batches.SelectMany(b => ((Int64Array)b.Column("id")).Values.ToArray()));
        batches.ForEach(b => b.Dispose());
    }

    private sealed record Event(DateTime At, DateTimeOffset Seen, Guid Id, byte[] Payload);

    [Fact]
    public async Task CreateDataFrame_TimestampsAndGuids_AreUtcInstantsAndStrings()
    {
        await using var spark = P.OfflineSession();
        var id = Guid.NewGuid();
        var at = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        var seen = new DateTimeOffset(2024, 3, 4, 7, 6, 7, TimeSpan.FromHours(2));

        var df = spark.CreateDataFrame([new Event(at, seen, id, [9])]);

        using var reader = new ArrowStreamReader(new MemoryStream(df.Relation.LocalRelation.Data.ToByteArray()));
        var batch = (await reader.ReadNextRecordBatchAsync())!;
        Assert.Equal("UTC", ((TimestampType)batch.Schema.GetFieldByName("At").DataType).Timezone);
        Assert.Equal(new DateTimeOffset(at), ((TimestampArray)batch.Column(0)).GetTimestamp(0));
        Assert.Equal(seen, ((TimestampArray)batch.Column(1)).GetTimestamp(0));
        Assert.Equal(id.ToString(), ((StringArray)batch.Column(2)).GetString(0));
        Assert.Equal([9], ((BinaryArray)batch.Column(3)).GetBytes(0).ToArray());
    }
}
