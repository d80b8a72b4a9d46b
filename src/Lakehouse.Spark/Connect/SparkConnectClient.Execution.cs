using Grpc.Core;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Connect;

public sealed partial class SparkConnectClient
{
    /// <summary>
    /// One reattachable execution (brief §4, PySpark <c>reattach.py</c>): ExecutePlan with an operation id
    /// and <c>reattachable=true</c>; when the stream fails transiently or ends before <c>result_complete</c>,
    /// ReattachExecute after the last response id seen, so every response reaches the caller exactly once.
    /// Consumed responses are released (ReleaseUntil) as we go and the whole operation (ReleaseAll) at the end.
    /// </summary>
    private sealed class Execution(SparkConnectClient client, Plan plan) : IDisposable
    {
        private AsyncServerStreamingCall<ExecutePlanResponse>? _call;
        private string? _lastResponseId;
        private bool _executeSent;
        private bool _complete;

        internal string OperationId { get; } = Guid.NewGuid().ToString();

        internal async Task<ExecutePlanResponse?> NextAsync(CancellationToken cancellationToken)
        {
            if (_complete)
            {
                return null;
            }

            ExecutePlanResponse response;
            try
            {
                response = await client._retry.ExecuteAsync(ReadOneAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested || e.StatusCode == StatusCode.Cancelled)
            {
                throw new OperationCanceledException("The Spark Connect operation was cancelled.", e, cancellationToken);
            }
            catch (RpcException e)
            {
                throw await client.MapAsync(e, OperationId).ConfigureAwait(false);
            }
            catch (StreamCutException e)
            {
                throw new SparkConnectException(
                    $"The result stream of operation {OperationId} kept ending before completion and retries are exhausted. Check the server and network, then run the action again.",
                    StatusCode.Unavailable, e) { OperationId = OperationId };
            }

            client.Observe(response, r => r.ServerSideSessionId);
            if (response.SessionId.Length > 0 && response.SessionId != client.SessionId)
            {
                throw new SparkConnectException(
                    $"The server answered for session {response.SessionId}, not ours ({client.SessionId}).", StatusCode.Internal)
                { OperationId = OperationId };
            }

            if (response.ResponseId.Length > 0)
            {
                _lastResponseId = response.ResponseId;
            }

            if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete)
            {
                _complete = true;
                Dispose();
                _ = ReleaseQuietlyAsync(new ReleaseExecuteRequest { ReleaseAll = new() });
            }
            else if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch && _lastResponseId is { } until)
            {
                _ = ReleaseQuietlyAsync(new ReleaseExecuteRequest { ReleaseUntil = new() { ResponseId = until } });
            }

            return response;
        }

        public void Dispose()
        {
            _call?.Dispose();
            _call = null;
        }

        private async ValueTask<ExecutePlanResponse> ReadOneAsync(CancellationToken cancellationToken)
        {
            _call ??= Open(cancellationToken);
            try
            {
                if (await _call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    return _call.ResponseStream.Current;
                }
            }
            catch (RpcException e) when (RetryPipeline.IsTransient(e))
            {
                Dispose();
                throw;
            }
            catch (RpcException e) when (_lastResponseId is null && e.Status.Detail.Contains("INVALID_HANDLE.OPERATION_NOT_FOUND", StringComparison.Ordinal))
            {
                // reattach.py: the first ExecutePlan never reached the server, so send it again.
                Dispose();
                _executeSent = false;
                throw new StreamCutException();
            }

            Dispose();
            throw new StreamCutException();
        }

        private AsyncServerStreamingCall<ExecutePlanResponse> Open(CancellationToken cancellationToken)
        {
            var observed = client.ServerSideSessionId;
            if (!_executeSent)
            {
                _executeSent = true;
                var request = new ExecutePlanRequest
                {
                    SessionId = client.SessionId,
                    UserContext = client.UserContext(),
                    ClientType = client.Connection.UserAgent,
                    OperationId = OperationId,
                    Plan = plan,
                    RequestOptions = { new ExecutePlanRequest.Types.RequestOption { ReattachOptions = new() { Reattachable = true } } },
                };
                if (observed is not null)
                {
                    request.ClientObservedServerSideSessionId = observed;
                }

                return client._stub.ExecutePlan(request, client.Options(cancellationToken));
            }

            var reattach = new ReattachExecuteRequest
            {
                SessionId = client.SessionId,
                UserContext = client.UserContext(),
                ClientType = client.Connection.UserAgent,
                OperationId = OperationId,
            };
            if (_lastResponseId is not null)
            {
                reattach.LastResponseId = _lastResponseId;
            }

            if (observed is not null)
            {
                reattach.ClientObservedServerSideSessionId = observed;
            }

            return client._stub.ReattachExecute(reattach, client.Options(cancellationToken));
        }

        private async Task ReleaseQuietlyAsync(ReleaseExecuteRequest request)
        {
            request.SessionId = client.SessionId;
            request.UserContext = client.UserContext();
            request.ClientType = client.Connection.UserAgent;
            request.OperationId = OperationId;
            if (client.ServerSideSessionId is { } observed)
            {
                request.ClientObservedServerSideSessionId = observed;
            }

            try
            {
                await client._stub.ReleaseExecuteAsync(request, client.Options(CancellationToken.None)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or ObjectDisposedException or InvalidOperationException)
            {
                // Best effort: the server reaps unreleased executions (spark.connect.execute.manager.detachedTimeout).
            }
        }
    }
}
