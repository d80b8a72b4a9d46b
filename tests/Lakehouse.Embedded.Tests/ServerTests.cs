using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>Protocol rules of the server (brief: embedded server rules), with the raw generated gRPC client and with ours.</summary>
public sealed class ServerTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private SparkConnectService.SparkConnectServiceClient RawClient(out GrpcChannel channel)
    {
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Server.Port}");
        return new SparkConnectService.SparkConnectServiceClient(channel);
    }

    private static Plan RangePlan(long end) => new() { Root = new Relation { Range = new Spark.Protos.Range { End = end, Step = 1 } } };

    [Fact]
    public async Task ExecutePlan_Tail_ReturnsTheLastRowsInTheirOrder()
    {
        var client = RawClient(out var channel);
        using var _ = channel;
        // Spark's Dataset.tail(2) over range(5) is [3, 4]: the last rows, in their original order.
        var plan = new Plan { Root = new Relation { Tail = new Tail { Input = RangePlan(5).Root, Limit = 2 } } };
        var request = new ExecutePlanRequest { SessionId = Guid.NewGuid().ToString(), Plan = plan, UserContext = new UserContext { UserId = "u" } };
        var ids = new List<long>();
        using (var call = client.ExecutePlan(request))
        {
            await foreach (var r in call.ResponseStream.ReadAllAsync())
            {
                if (r.ArrowBatch is { } batch)
                {
                    using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(batch.Data.ToByteArray());
                    while (reader.ReadNextRecordBatch() is { } rb)
                    {
                        var column = (Apache.Arrow.Int64Array)rb.Column(0);
                        ids.AddRange(Enumerable.Range(0, column.Length).Select(i => column.GetValue(i)!.Value));
                    }
                }
            }
        }

        Assert.Equal([3L, 4L], ids);
    }

    [Fact]
    public async Task ExecutePlan_Reattachable_EchoesIdsSendsSchemaBatchAndComplete()
    {
        var client = RawClient(out var channel);
        using var _ = channel;
        var sessionId = Guid.NewGuid().ToString();
        var operationId = Guid.NewGuid().ToString();
        var request = new ExecutePlanRequest { SessionId = sessionId, OperationId = operationId, Plan = RangePlan(3), UserContext = new UserContext { UserId = "u" } };
        request.RequestOptions.Add(new ExecutePlanRequest.Types.RequestOption { ReattachOptions = new ReattachOptions { Reattachable = true } });
        var responses = new List<ExecutePlanResponse>();
        using (var call = client.ExecutePlan(request))
        {
            await foreach (var r in call.ResponseStream.ReadAllAsync())
            {
                responses.Add(r);
            }
        }

        Assert.All(responses, r => Assert.Equal(sessionId, r.SessionId));
        Assert.All(responses, r => Assert.Equal(operationId, r.OperationId));
        Assert.Single(responses.Select(r => r.ServerSideSessionId).Distinct());
        Assert.Equal(responses.Count, responses.Select(r => r.ResponseId).Distinct().Count());
        Assert.NotNull(responses[0].Schema);
        Assert.Equal(3, responses.Where(r => r.ArrowBatch is not null).Sum(r => r.ArrowBatch.RowCount));
        Assert.Equal(ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete, responses[^1].ResponseTypeCase);

        // Reattach after the first response replays the rest.
        using var reattach = client.ReattachExecute(new ReattachExecuteRequest { SessionId = sessionId, OperationId = operationId, LastResponseId = responses[0].ResponseId, UserContext = new UserContext { UserId = "u" } });
        var replay = new List<ExecutePlanResponse>();
        await foreach (var r in reattach.ResponseStream.ReadAllAsync())
        {
            replay.Add(r);
        }

        Assert.Equal(responses.Skip(1).Select(r => r.ResponseId), replay.Select(r => r.ResponseId));
        await client.ReleaseExecuteAsync(new ReleaseExecuteRequest { SessionId = sessionId, OperationId = operationId, ReleaseAll = new ReleaseExecuteRequest.Types.ReleaseAll(), UserContext = new UserContext { UserId = "u" } });
        var gone = Assert.Throws<RpcException>(() => client.ReattachExecute(new ReattachExecuteRequest { SessionId = sessionId, OperationId = operationId, UserContext = new UserContext { UserId = "u" } }).ResponseStream.MoveNext().GetAwaiter().GetResult());
        Assert.Contains("INVALID_HANDLE.OPERATION_NOT_FOUND", gone.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutePlan_NoRows_SendsOneEmptyBatch()
    {
        var client = RawClient(out var channel);
        using var _ = channel;
        var request = new ExecutePlanRequest { SessionId = Guid.NewGuid().ToString(), Plan = RangePlan(0), UserContext = new UserContext() };
        var batches = new List<ExecutePlanResponse.Types.ArrowBatch>();
        using var call = client.ExecutePlan(request);
        await foreach (var r in call.ResponseStream.ReadAllAsync())
        {
            if (r.ArrowBatch is not null)
            {
                batches.Add(r.ArrowBatch);
            }
        }

        var batch = Assert.Single(batches);
        Assert.Equal(0, batch.RowCount);
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(new MemoryStream(batch.Data.ToByteArray()));
        Assert.Equal("id", reader.Schema.FieldsList.Single().Name);
    }

    [Fact]
    public async Task ExecutePlan_ManyRows_BatchesOfMaxRecordsPerBatch()
    {
        var client = RawClient(out var channel);
        using var _ = channel;
        using var call = client.ExecutePlan(new ExecutePlanRequest { SessionId = Guid.NewGuid().ToString(), Plan = RangePlan(25_000), UserContext = new UserContext() });
        var counts = new List<long>();
        long next = 0;
        await foreach (var r in call.ResponseStream.ReadAllAsync())
        {
            if (r.ArrowBatch is null)
            {
                continue;
            }

            counts.Add(r.ArrowBatch.RowCount);
            using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(new MemoryStream(r.ArrowBatch.Data.ToByteArray()));
            var batch = reader.ReadNextRecordBatch();
            Assert.Equal(r.ArrowBatch.RowCount, batch.Length);
            var ids = (Apache.Arrow.Int64Array)batch.Column(0);
            for (var i = 0; i < ids.Length; i++)
            {
                Assert.Equal(next++, ids.GetValue(i));
            }
        }

        // The default spark.sql.execution.arrow.maxRecordsPerBatch is 10,000.
        Assert.Equal([10_000L, 10_000L, 5_000L], counts);
    }

    [Fact]
    public async Task Error_ErrorInfoAndFetchErrorDetails_CarrySparkFields()
    {
        var client = RawClient(out var channel);
        using var _ = channel;
        var sessionId = Guid.NewGuid().ToString();
        var plan = new Plan { Root = new Relation { Sql = new SQL { Query = "SELEC 1" } } };
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.ExecutePlan(new ExecutePlanRequest { SessionId = sessionId, Plan = plan, UserContext = new UserContext() });
            await call.ResponseStream.ReadAllAsync().CountAsync();
        });
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        var status = Lakehouse.Spark.Protos.Rpc.Status.Parser.ParseFrom(e.Trailers.Single(t => t.Key == "grpc-status-details-bin").ValueBytes);
        var info = status.Details.Single().Unpack<Lakehouse.Spark.Protos.Rpc.ErrorInfo>();
        Assert.Equal("org.apache.spark.sql.catalyst.parser.ParseException", info.Reason);
        Assert.Equal("PARSE_SYNTAX_ERROR", info.Metadata["errorClass"]);
        Assert.Equal("42601", info.Metadata["sqlState"]);
        Assert.Contains("ParseException", info.Metadata["classes"], StringComparison.Ordinal);

        var details = await client.FetchErrorDetailsAsync(new FetchErrorDetailsRequest { SessionId = sessionId, ErrorId = info.Metadata["errorId"], UserContext = new UserContext() });
        Assert.Equal(sessionId, details.SessionId);
        Assert.Equal("PARSE_SYNTAX_ERROR", details.Errors[details.RootErrorIdx].SparkThrowable.ErrorClass);
    }

    [Fact]
    public async Task Session_NonUuidId_IsInvalidHandleFormat()
    {
        var client = RawClient(out var channel);
        using var _ = channel;
        var e = await Assert.ThrowsAsync<RpcException>(() => client.ConfigAsync(new ConfigRequest
        {
            SessionId = "not-a-uuid",
            Operation = new ConfigRequest.Types.Operation { GetAll = new ConfigRequest.Types.GetAll() },
        }).ResponseAsync);
        Assert.Contains("INVALID_HANDLE.FORMAT", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_SetGetUnset_AndSparkDefaults()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal("67108864", await spark.Conf.GetAsync("spark.sql.session.localRelationCacheThreshold"));
        await spark.Conf.SetAsync("my.key", "v1");
        Assert.Equal("v1", await spark.Conf.GetAsync("my.key"));
        await spark.Conf.UnsetAsync("my.key");
        Assert.Equal("dflt", await spark.Conf.GetAsync("my.key", "dflt"));
    }

    [Fact]
    public async Task Config_SessionTimeZone_ChangesTimestampRendering()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 1).Select(ToTimestamp(Lit("2024-01-01 12:00:00")).Alias("ts"));
        await spark.Conf.SetAsync("spark.sql.session.timeZone", "America/New_York");
        // Spark parses the text in the session time zone: 12:00 in New York is 17:00 UTC.
        var ts = (DateTimeOffset)(await df.CollectAsync())[0]["ts"]!;
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 17, 0, 0, TimeSpan.Zero), ts.ToUniversalTime());
    }

    [Fact]
    public async Task Sessions_ShareTheEngineDatabase_TimeZoneAndPersistedRowsStayPerSession()
    {
        await using var first = await server.SessionAsync();
        await using var second = await server.SessionAsync();
        await first.Conf.SetAsync("spark.sql.session.timeZone", "America/New_York");
        // The same plan and the same persisted subtree in both sessions: each session's temporary table is its own.
        DataFrame Frame(SparkSession s) => s.Range(0, 3).Select(ToTimestamp(Lit("2024-01-01 12:00:00")).Alias("ts"), Col("id"));
        var a = Frame(first);
        var b = Frame(second);
        await a.PersistAsync();
        await b.PersistAsync();

        var fromA = await a.CollectAsync();
        var fromB = await b.CollectAsync();
        await first.DisposeAsync();
        var fromBAfterAClosed = await b.CollectAsync();

        // Spark parses the text in the session's time zone: 12:00 in New York is 17:00 UTC; the other session stays UTC.
        Assert.All(fromA, r => Assert.Equal(new DateTimeOffset(2024, 1, 1, 17, 0, 0, TimeSpan.Zero), ((DateTimeOffset)r["ts"]!).ToUniversalTime()));
        Assert.All(fromB, r => Assert.Equal(new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero), ((DateTimeOffset)r["ts"]!).ToUniversalTime()));
        Assert.Equal(3, fromBAfterAClosed.Count);
        Assert.All(fromBAfterAClosed, r => Assert.Equal(new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero), ((DateTimeOffset)r["ts"]!).ToUniversalTime()));
    }

    [Fact]
    public async Task Dispose_EngineWithSessions_RemovesItsSpillDirectory()
    {
        using var spill = new TempDirectory("spill");
        var engine = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = server.Warehouse, SpillDirectory = spill.Path, MemoryLimit = "64MB" } });
        List<string> spilled;
        await using (var spark = await SparkSession.Builder().Remote(engine.ConnectionString).CreateAsync())
        {
            // 3M persisted rows of 50 characters do not fit in 64 MB, so DuckDB spills them into the engine's directory.
            var wide = spark.Range(0, 3_000_000).Select(Concat(Lit(new string('x', 44)), Col("id").Cast("string")).Alias("s"));
            await wide.PersistAsync();
            Assert.Equal(3_000_000, await wide.CountAsync());
            spilled = Directory.EnumerateDirectories(spill.Path).ToList();
        }

        await engine.DisposeAsync();

        Assert.Single(spilled);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spill.Path));
    }

    [Fact]
    public async Task Plan_DeeperThanProtobufDefaultLimit_Executes()
    {
        await using var spark = await server.SessionAsync();
        var df = spark.Range(0, 10);
        for (var i = 0; i < 120; i++)
        {
            df = df.Filter(Col("id") >= 0);
        }

        Assert.Equal(10, await df.CountAsync());
    }

    [Fact]
    public async Task ExecutePlan_StreamCut_ClientReattachesAndGetsAllRows()
    {
        await using var faulty = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = server.Warehouse, MaxRecordsPerBatch = 10 } });
        faulty.Faults.CutStreamsAfter(2);
        await using var spark = await SparkSession.Builder().Remote(faulty.ConnectionString).CreateAsync();
        var rows = await spark.Range(0, 100).CollectAsync();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), rows.Select(r => r.Get<long>("id")));
    }

    [Fact]
    public async Task Token_MissingOrWrong_IsUnauthenticated_CorrectIsServed()
    {
        await using var secured = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Token = "s3cret", Engine = new EmbeddedOptions { Warehouse = server.Warehouse } });
        var without = await Assert.ThrowsAsync<SparkConnectException>(async () =>
        {
            await using var s = await SparkSession.Builder().Remote(secured.ConnectionString).CreateAsync();
            await s.Range(0, 1).CountAsync();
        });
        Assert.Equal(StatusCode.Unauthenticated, without.StatusCode);
        var wrong = await Assert.ThrowsAsync<SparkConnectException>(async () =>
        {
            await using var s = await SparkSession.Builder().Remote(secured.ConnectionString + "/;token=nope;use_ssl=false").CreateAsync();
            await s.Range(0, 1).CountAsync();
        });
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        await using var ok = await SparkSession.Builder().Remote(secured.ConnectionString + "/;token=s3cret;use_ssl=false").CreateAsync();
        Assert.Equal(1, await ok.Range(0, 1).CountAsync());
    }

    [Fact]
    public async Task RemoteLocal_RegisteredEngine_RunsInProcess()
    {
        EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = server.Warehouse });
        await using var spark = await SparkSession.Builder().Remote("local").CreateAsync();
        Assert.Equal(5, await spark.Range(0, 5).CountAsync());
        Assert.StartsWith("4.", await spark.VersionAsync(), StringComparison.Ordinal);
    }
}
