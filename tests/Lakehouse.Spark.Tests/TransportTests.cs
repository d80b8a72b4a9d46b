using Grpc.Core;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// Transport behaviour against a real gRPC server on loopback with faults injected server-side
/// (brief §4 reattachable execution, §5 errors, §2 authentication).
/// </summary>
public sealed class TransportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CollectAsync_StreamCutMidResult_ReattachesAndReturnsEveryRowOnce(bool cutWithUnavailable)
    {
        // Responses: schema, 5 batches, progress, result_complete; the first stream stops after schema + 2 batches.
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(5), CutAfterResponses = 3, CutWithUnavailable = cutWithUnavailable };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        var rows = await spark.Table("t").CollectAsync();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), rows.Select(r => (long)r["id"]!));
        var execute = Assert.Single(behaviour.Executes);
        var reattach = Assert.Single(behaviour.Reattaches);
        Assert.Equal(execute.OperationId, reattach.OperationId);
        Assert.Equal(behaviour.Operations[execute.OperationId][2].ResponseId, reattach.LastResponseId);
    }

    [Fact]
    public async Task CollectAsync_FirstExecuteUnavailable_ReattachFindsNothingAndExecutesAgain()
    {
        // reattach.py: after a failure before any response, ReattachExecute; OPERATION_NOT_FOUND means the
        // server never saw the plan, so it is sent again with the same operation id.
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(2), UnavailableCalls = 1 };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await SparkSession.Builder().Remote(server.ConnectionString()).Retry(LoopbackConnectServer.FastRetry()).CreateAsync();

        var rows = await spark.Table("t").CollectAsync();

        Assert.Equal(4, rows.Count);
        Assert.Equal(["ExecutePlan", "ReattachExecute", "ExecutePlan"], behaviour.Calls.Where(c => c is "ExecutePlan" or "ReattachExecute"));
        Assert.Equal(Assert.Single(behaviour.Executes).OperationId, Assert.Single(behaviour.Reattaches).OperationId);
    }

    [Fact]
    public async Task CollectAsync_Completes_ReleasesTheExecution()
    {
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(1) };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        await spark.Table("t").CollectAsync();

        var released = await behaviour.ReleasedAll.Task.WaitAsync(Patience);
        Assert.Equal(Assert.Single(behaviour.Executes).OperationId, released);
    }

    [Fact]
    public async Task VersionAsync_ServerUnavailableTwice_RetriesAndSucceeds()
    {
        var behaviour = new LoopbackBehaviour { UnavailableCalls = 2, SparkVersion = "4.0.1" };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        var version = await spark.VersionAsync();

        Assert.Equal("4.0.1", version);
        Assert.Equal(3, behaviour.Calls.Count(c => c == "AnalyzePlan"));
    }

    [Fact]
    public async Task CollectAsync_UnavailableBeyondRetries_ThrowsUnavailable()
    {
        var behaviour = new LoopbackBehaviour { UnavailableCalls = 100 };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync(retries: 2);

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Table("t").CollectAsync());

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        // One ExecutePlan, then (the server never answered) reattach attempts: 1 + 2 retries in all.
        Assert.Equal(3, behaviour.Calls.Count(c => c is "ExecutePlan" or "ReattachExecute"));
    }

    [Fact]
    public async Task CollectAsync_SparkError_IsNotRetriedAndCarriesErrorInfoFields()
    {
        var error = LoopbackConnectService.SparkError(
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column `amout` cannot be resolved.",
            new Dictionary<string, string>
            {
                ["classes"] = "[\"org.apache.spark.sql.AnalysisException\",\"java.lang.Exception\"]",
                ["errorClass"] = "UNRESOLVED_COLUMN.WITH_SUGGESTION",
                ["sqlState"] = "42703",
                ["messageParameters"] = "{\"objectName\":\"`amout`\",\"proposal\":\"`amount`\"}",
            });
        var behaviour = new LoopbackBehaviour { ExecuteError = error };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Table("t").Select("amout").CollectAsync());

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal("UNRESOLVED_COLUMN.WITH_SUGGESTION", e.ErrorClass);
        Assert.Equal("42703", e.SqlState);
        Assert.Equal("`amout`", e.MessageParameters["objectName"]);
        Assert.Equal("`amount`", e.MessageParameters["proposal"]);
        Assert.Equal(["org.apache.spark.sql.AnalysisException", "java.lang.Exception"], e.ExceptionClasses);
        Assert.Equal(Assert.Single(behaviour.Executes).OperationId, e.OperationId);
        Assert.Equal(1, behaviour.Calls.Count(c => c == "ExecutePlan"));
    }

    [Fact]
    public async Task CollectAsync_ErrorWithErrorId_FetchesFullDetails()
    {
        var error = LoopbackConnectService.SparkError(
            "[DIVIDE_BY_ZERO] Division by zero. (truncated)",
            new Dictionary<string, string> { ["errorId"] = "e-1", ["errorClass"] = "DIVIDE_BY_ZERO" },
            reason: "org.apache.spark.SparkArithmeticException");
        var behaviour = new LoopbackBehaviour { ExecuteError = error };
        behaviour.ErrorDetails["e-1"] = new FetchErrorDetailsResponse
        {
            RootErrorIdx = 0,
            Errors =
            {
                new FetchErrorDetailsResponse.Types.Error
                {
                    ErrorTypeHierarchy = { "org.apache.spark.SparkArithmeticException" },
                    Message = "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0. SQLSTATE: 22012",
                    SparkThrowable = new() { ErrorClass = "DIVIDE_BY_ZERO", SqlState = "22012", MessageParameters = { ["config"] = "\"spark.sql.ansi.enabled\"" } },
                },
            },
        };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Table("t").CollectAsync());

        Assert.Equal("[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0. SQLSTATE: 22012", e.Message);
        Assert.Equal("DIVIDE_BY_ZERO", e.ErrorClass);
        Assert.Equal("22012", e.SqlState);
        Assert.Equal("\"spark.sql.ansi.enabled\"", e.MessageParameters["config"]);
        Assert.Equal(["org.apache.spark.SparkArithmeticException"], e.ExceptionClasses);
    }

    [Fact]
    public async Task CollectAsync_Spark35StyleError_ReadsErrorClassFromMessage()
    {
        // Spark 3.5's ErrorInfo has only `classes`; the error class leads the message (brief §5).
        var error = LoopbackConnectService.SparkError(
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `missing` cannot be found.",
            new Dictionary<string, string> { ["classes"] = "[\"org.apache.spark.sql.AnalysisException\"]" });
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { ExecuteError = error, SparkVersion = "3.5.3" });
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.Table("missing").CollectAsync());

        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", e.ErrorClass);
        Assert.Null(e.SqlState);
    }

    [Fact]
    public async Task AnyCall_TokenMissing_SurfacesUnauthenticated()
    {
        await using var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour { RequiredToken = "secret" });
        await using var spark = await server.SessionAsync();

        var e = await Assert.ThrowsAsync<SparkConnectException>(() => spark.VersionAsync());

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("No authentication token provided", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_WithToken_SendsBearerHeaderAndSucceeds()
    {
        var behaviour = new LoopbackBehaviour { RequiredToken = "secret", Batches = CannedData.IdBatches(1) };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync(";token=secret");

        var rows = await spark.Table("t").CollectAsync();

        Assert.Equal(2, rows.Count);
        Assert.All(behaviour.AuthorizationHeaders, h => Assert.Equal("Bearer secret", h));
    }

    [Fact]
    public async Task ExecutePlan_Envelope_CarriesSessionUserOperationAndReattachOption()
    {
        const string session = "3f1c2a9e-0b7d-4e55-9a3e-2f6c1d8b7a10";
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(1) };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync($";user_id=alice;session_id={session};user_agent=lakehouse-tests");

        await spark.Table("t").CollectAsync();

        var request = Assert.Single(behaviour.Executes);
        Assert.Equal(session, request.SessionId);
        Assert.Equal("alice", request.UserContext.UserId);
        Assert.Equal("lakehouse-tests", request.ClientType);
        Assert.True(Guid.TryParse(request.OperationId, out _));
        Assert.True(Assert.Single(request.RequestOptions).ReattachOptions.Reattachable);
        Assert.Equal(new Plan { Root = P.Table("t", 0) }, request.Plan);
    }

    [Fact]
    public async Task CollectAsync_Cancelled_InterruptsTheOperation()
    {
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(3), HangAfterFirstResponse = true };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();
        using var cancel = new CancellationTokenSource();

        var enumerator = spark.Table("t").ToArrowAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var pending = enumerator.MoveNextAsync().AsTask();
        while (behaviour.Executes.IsEmpty)
        {
            await Task.Yield();
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var interrupted = await behaviour.Interrupted.Task.WaitAsync(Patience);
        Assert.Equal(Assert.Single(behaviour.Executes).OperationId, interrupted);
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task Conf_SetThenGet_RoundTripsThroughConfigRpc()
    {
        var behaviour = new LoopbackBehaviour();
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await SparkSession.Builder().Remote(server.ConnectionString())
            .Config("spark.sql.session.timeZone", "UTC").Retry(LoopbackConnectServer.FastRetry()).CreateAsync();

        await spark.Conf.SetAsync("spark.sql.shuffle.partitions", "4");

        Assert.Equal("UTC", await spark.Conf.GetAsync("spark.sql.session.timeZone"));
        Assert.Equal("4", await spark.Conf.GetAsync("spark.sql.shuffle.partitions"));
        Assert.Equal("fallback", await spark.Conf.GetAsync("spark.unset.key", "fallback"));
        await spark.Conf.UnsetAsync("spark.sql.shuffle.partitions");
        Assert.Null(await spark.Conf.GetAsync("spark.sql.shuffle.partitions"));
    }

    [Fact]
    public async Task SqlAsync_UsesTheRelationTheServerReturns()
    {
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(1) };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        var df = await spark.SqlAsync("SELECT * FROM t");

        Assert.Equal("SELECT * FROM t", Assert.Single(behaviour.Executes).Plan.Command.SqlCommand.Sql);
        Assert.Equal("SELECT * FROM t", df.Relation.Sql.Query);
        Assert.Equal(2, (await df.CollectAsync()).Count);
    }

    [Fact]
    public async Task SchemaAndExplain_UseAnalyzePlan()
    {
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(1) };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();
        var df = spark.Table("t");

        var schema = await df.SchemaAsync();
        var explain = await df.ExplainAsync();

        Assert.Equal(["id", "name"], schema.Struct.Fields.Select(f => f.Name));
        Assert.StartsWith("== Physical Plan ==", explain, StringComparison.Ordinal);
        Assert.Equal(["id", "name"], await df.ColumnsAsync());
        Assert.Empty(behaviour.Executes);
    }

    [Fact]
    public async Task TakeAsync_SendsALimitOverThePlan()
    {
        var behaviour = new LoopbackBehaviour { Batches = CannedData.IdBatches(1) };
        await using var server = await LoopbackConnectServer.StartAsync(behaviour);
        await using var spark = await server.SessionAsync();

        await spark.Table("t").TakeAsync(1);

        var limit = Assert.Single(behaviour.Executes).Plan.Root.Limit;
        Assert.Equal(1, limit.Limit_);
        Assert.Equal(P.Table("t", 0), limit.Input);
    }
}
