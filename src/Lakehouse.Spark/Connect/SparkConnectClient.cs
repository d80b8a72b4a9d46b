using System.Runtime.CompilerServices;
using Grpc.Core;
using Lakehouse.Spark.Protos;
using Polly;

namespace Lakehouse.Spark.Connect;

/// <summary>
/// The RPC layer of one Spark Connect session: fills the session envelope (session id, user, client
/// type, observed server-side session), authenticates, retries transient failures once per policy,
/// resumes cut result streams (ReattachExecute) and maps failures to <see cref="SparkConnectException"/>.
/// </summary>
public sealed partial class SparkConnectClient : IAsyncDisposable
{
    private readonly ChannelBase _channel;
    private readonly SparkConnectService.SparkConnectServiceClient _stub;
    private readonly ResiliencePipeline _retry;
    private readonly Metadata _headers = [];
    private string? _serverSideSessionId;
    private string? _sparkVersion;
    private bool _fetchErrorDetailsUnsupported;

    internal SparkConnectClient(SparkConnectionString connection, ChannelBase channel, SparkConnectRetryOptions retry)
    {
        Connection = connection;
        _channel = channel;
        _stub = new SparkConnectService.SparkConnectServiceClient(channel);
        _retry = RetryPipeline.Create(retry);
        if (connection.Token is not null)
        {
            // PySpark's access-token credentials send exactly this header; 4.0's PreSharedKeyAuthenticationInterceptor checks it.
            _headers.Add("authorization", "Bearer " + connection.Token);
        }

        foreach (var (key, value) in connection.Headers)
        {
            _headers.Add(key.ToLowerInvariant(), value);
        }
    }

    /// <summary>The connection string this client was opened with.</summary>
    public SparkConnectionString Connection { get; }

    /// <summary>The session id sent with every request.</summary>
    public string SessionId => Connection.SessionId.ToString();

    /// <summary>The server-side session id a Spark 4.0 server reported, once seen.</summary>
    public string? ServerSideSessionId => Volatile.Read(ref _serverSideSessionId);

    /// <summary>Runs a plan and streams every response (schema, Arrow batches, command results, metrics).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">Cancels the stream and interrupts the operation on the server.</param>
    /// <exception cref="SparkConnectException">The server failed the plan, or retries were exhausted.</exception>
    public async IAsyncEnumerable<ExecutePlanResponse> ExecuteAsync(
        Plan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var execution = new Execution(this, plan);
        await using var interrupt = cancellationToken.Register(() => _ = InterruptQuietlyAsync(execution.OperationId));
        try
        {
            while (await execution.NextAsync(cancellationToken).ConfigureAwait(false) is { } response)
            {
                yield return response;
            }
        }
        finally
        {
            execution.Dispose();
        }
    }

    /// <summary>Sends an AnalyzePlan request after filling its envelope.</summary>
    /// <param name="request">The request with its <c>analyze</c> case set.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<AnalyzePlanResponse> AnalyzeAsync(AnalyzePlanRequest request, CancellationToken cancellationToken = default)
    {
        request.SessionId = SessionId;
        request.UserContext = UserContext();
        request.ClientType = Connection.UserAgent;
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        return UnaryAsync(
            async ct => Observe(await _stub.AnalyzePlanAsync(request, Options(ct)).ConfigureAwait(false), r => r.ServerSideSessionId),
            cancellationToken);
    }

    /// <summary>Sends a Config operation (set, get, unset, …).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConfigResponse> ConfigAsync(ConfigRequest.Types.Operation operation, CancellationToken cancellationToken = default)
    {
        var request = new ConfigRequest
        {
            SessionId = SessionId, UserContext = UserContext(), ClientType = Connection.UserAgent, Operation = operation,
        };
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        return UnaryAsync(
            async ct => Observe(await _stub.ConfigAsync(request, Options(ct)).ConfigureAwait(false), r => r.ServerSideSessionId),
            cancellationToken);
    }

    /// <summary>The server's Spark version (e.g. <c>3.5.3</c>, <c>4.0.0</c>), asked once per session.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> SparkVersionAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _sparkVersion) is { } known)
        {
            return known;
        }

        var response = await AnalyzeAsync(new AnalyzePlanRequest { SparkVersion = new() }, cancellationToken).ConfigureAwait(false);
        var version = response.SparkVersion?.Version ?? "";
        Volatile.Write(ref _sparkVersion, version);
        if (IsSpark35(version))
        {
            _fetchErrorDetailsUnsupported = true;
        }

        return version;
    }

    /// <summary>Interrupts every running operation of the session; returns the interrupted operation ids.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<string>> InterruptAllAsync(CancellationToken cancellationToken = default)
    {
        var request = InterruptRequest(Protos.InterruptRequest.Types.InterruptType.All);
        var response = await UnaryAsync(async ct => await _stub.InterruptAsync(request, Options(ct)).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return response.InterruptedIds;
    }

    /// <summary>Ends the session on the server (Spark 4.0); a 3.5 server's UNIMPLEMENTED answer is ignored.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ReleaseSessionAsync(CancellationToken cancellationToken = default)
    {
        var request = new ReleaseSessionRequest { SessionId = SessionId, UserContext = UserContext(), ClientType = Connection.UserAgent };
        try
        {
            // Bounded: this runs on dispose, which must not hang on an unresponsive server.
            var options = Options(cancellationToken).WithDeadline(DateTime.UtcNow.AddSeconds(10));
            await _stub.ReleaseSessionAsync(request, options).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // brief §1: ReleaseSession is 4.0-only; a 3.5 server simply keeps the session until it times out.
        }
    }

    /// <summary>Shuts the channel down.</summary>
    public async ValueTask DisposeAsync() => await _channel.ShutdownAsync().ConfigureAwait(false);

    /// <summary>The server version if <see cref="SparkVersionAsync"/> already asked for it, else null.</summary>
    internal string? KnownSparkVersion => Volatile.Read(ref _sparkVersion);

    internal static bool IsSpark35(string version) => version.StartsWith("3.", StringComparison.Ordinal);

    internal UserContext UserContext() => new() { UserId = Connection.UserId, UserName = Connection.UserId };

    internal CallOptions Options(CancellationToken cancellationToken) => new(_headers, cancellationToken: cancellationToken);

    internal T Observe<T>(T response, Func<T, string> serverSideSessionId)
    {
        var seen = serverSideSessionId(response);
        if (seen.Length == 0)
        {
            return response;
        }

        var previous = Interlocked.CompareExchange(ref _serverSideSessionId, seen, null);
        if (previous is not null && previous != seen)
        {
            throw new SparkConnectException(
                $"The server-side session changed from {previous} to {seen}: the server restarted or dropped the session. Create a new SparkSession.",
                StatusCode.FailedPrecondition) { ErrorClass = "INVALID_HANDLE.SESSION_CHANGED" };
        }

        return response;
    }

    private async Task<T> UnaryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw await MapAsync(e, null).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private InterruptRequest InterruptRequest(InterruptRequest.Types.InterruptType type)
    {
        var request = new InterruptRequest { SessionId = SessionId, UserContext = UserContext(), ClientType = Connection.UserAgent, InterruptType = type };
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        return request;
    }

    private async Task InterruptQuietlyAsync(string operationId)
    {
        var request = InterruptRequest(Protos.InterruptRequest.Types.InterruptType.OperationId);
        request.OperationId = operationId;
        try
        {
            await _stub.InterruptAsync(request, Options(CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort: the caller already stopped reading; the server reaps abandoned operations itself.
        }
    }

    /// <summary>Maps a failure, asking FetchErrorDetails for the full error when the server offers it (4.0).</summary>
    internal async Task<SparkConnectException> MapAsync(RpcException e, string? operationId)
    {
        FetchErrorDetailsResponse? details = null;
        if (!_fetchErrorDetailsUnsupported && ErrorMapper.ErrorId(e) is { } errorId)
        {
            var request = new FetchErrorDetailsRequest
            {
                SessionId = SessionId, UserContext = UserContext(), ClientType = Connection.UserAgent, ErrorId = errorId,
            };
            try
            {
                details = await _stub.FetchErrorDetailsAsync(request, Options(CancellationToken.None)).ConfigureAwait(false);
            }
            catch (RpcException fetch)
            {
                // Best effort (brief §5): the ErrorInfo metadata already carries class, state and parameters.
                _fetchErrorDetailsUnsupported |= fetch.StatusCode == StatusCode.Unimplemented;
            }
        }

        return ErrorMapper.Map(e, operationId, details);
    }
}
