using Google.Protobuf;
using Grpc.Core;
using Lakehouse.Embedded.Service;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>The <c>local</c> transport: Spark Connect calls handed to the engine in process, with gRPC's outcomes.</summary>
public sealed class InProcessTransportTests : IDisposable
{
    private readonly TempDirectory _warehouse = new("in-process");
    private readonly InProcessTransport _transport;

    public InProcessTransportTests() => _transport = new InProcessTransport(new EmbeddedOptions { Warehouse = _warehouse.Path });

    public void Dispose()
    {
        _transport.Dispose();
        _warehouse.Dispose();
    }

    [Fact]
    public async Task Collect_GroupedQuery_ReturnsEveryGroup()
    {
        await using var spark = await SessionAsync();
        var rows = await spark.Range(0, 10_000).GroupBy((Col("id") % 7).Alias("k")).Agg(Count(Lit(1)).Alias("n"), Sum(Col("id")).Alias("total")).CollectAsync();

        var expected = Enumerable.Range(0, 10_000).GroupBy(i => i % 7).ToDictionary(g => (long)g.Key, g => (Count: (long)g.Count(), Sum: g.Sum(i => (long)i)));
        Assert.Equal(7, rows.Count);
        foreach (var row in rows)
        {
            var k = row.Get<long>("k");
            Assert.Equal(expected[k].Count, row.Get<long>("n"));
            Assert.Equal(expected[k].Sum, row.Get<long>("total"));
        }
    }

    [Fact]
    public async Task Collect_UnknownColumn_CarriesTheErrorClassAndSessionKeepsWorking()
    {
        await using var spark = await SessionAsync();
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Range(0, 1).Select(Col("nope")).CollectAsync());
        Assert.Equal("UNRESOLVED_COLUMN.WITH_SUGGESTION", e.ErrorClass);
        Assert.Equal("42703", e.SqlState);
        Assert.Equal(3, await spark.Range(0, 3).CountAsync());
    }

    [Fact]
    public async Task Collect_Cancelled_StopsTheQueryAndSessionKeepsWorking()
    {
        await using var spark = await SessionAsync();
        // 10^10 joined rows: far longer than the test takes to cancel it.
        var huge = spark.Range(0, 100_000).CrossJoin(spark.Range(0, 100_000).Select(Col("id").Alias("j"))).Agg(Sum(Col("j")).Alias("s"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => huge.CollectAsync(cancel.Token));
        Assert.Equal(2, await spark.Range(0, 2).CountAsync());
    }

    [Fact]
    public async Task ResponseStream_ClientDisposesTheCall_WriterWaitingForRoomStops()
    {
        var call = new InProcessCall("/spark.connect.SparkConnectService/ExecutePlan", new CallOptions());
        var stream = new InProcessResponseStream<ExecutePlanResponse>(call);
        var pending = Task.CompletedTask;
        // The stream holds a few responses; the writer of the next one waits for the reader.
        for (var i = 0; i < 100 && pending.IsCompleted; i++)
        {
            pending = stream.WriteAsync(new ExecutePlanResponse());
        }

        Assert.False(pending.IsCompleted);
        call.Dispose();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task UnaryCall_PastDeadline_IsDeadlineExceeded()
    {
        var invoker = _transport.Open(Lakehouse.Spark.Connect.SparkConnectionString.Parse("local")).CreateCallInvoker();
        var request = new ConfigRequest { SessionId = Guid.NewGuid().ToString(), Operation = new ConfigRequest.Types.Operation { GetAll = new ConfigRequest.Types.GetAll() } };
        var call = invoker.AsyncUnaryCall(Method<ConfigRequest, ConfigResponse>(MethodType.Unary, "Config"), null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(-1)), request);
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        var invoker = _transport.Open(Lakehouse.Spark.Connect.SparkConnectionString.Parse("local")).CreateCallInvoker();
        var call = invoker.AsyncUnaryCall(Method<ConfigRequest, ConfigResponse>(MethodType.Unary, "NoSuchMethod"), null, default, new ConfigRequest());
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
        Assert.Throws<RpcException>(() => invoker.AsyncClientStreamingCall(Method<ConfigRequest, ConfigResponse>(MethodType.ClientStreaming, "AddArtifacts"), null, default));
    }

    private Task<SparkSession> SessionAsync() => SparkSession.Builder().Remote("local").Transport(_transport).CreateAsync();

    private static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodType type, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        new(type, "spark.connect.SparkConnectService", name,
            Marshallers.Create<TRequest>(m => m.ToByteArray(), b => new MessageParser<TRequest>(() => new TRequest()).ParseFrom(b)),
            Marshallers.Create<TResponse>(m => m.ToByteArray(), b => new MessageParser<TResponse>(() => new TResponse()).ParseFrom(b)));
}
