using Google.Protobuf;
using Grpc.Core;
using Lakehouse.Embedded.Execution;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// The Spark Connect service on the embedded engine. It follows the server rules of the brief: every response echoes
/// the session id and a stable server-side session id; a query answers its schema, at least one Arrow batch and, when
/// reattachable, ResultComplete; executions are buffered per operation for ReattachExecute until ReleaseExecute;
/// failures carry ErrorInfo.
/// </summary>
internal sealed partial class EmbeddedConnectService(SessionRegistry sessions, ServerFaults faults)
{
    private const string SparkVersion = "4.0.0";

    public async Task ExecutePlan(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        var operationId = request.HasOperationId && request.OperationId.Length > 0 ? request.OperationId : Guid.NewGuid().ToString();
        if (!Guid.TryParse(operationId, out _))
        {
            throw ErrorStatus.Handle("INVALID_HANDLE.FORMAT", $"The operation id '{operationId}' is not a UUID.");
        }

        var reattachable = request.RequestOptions.Any(o => o.ReattachOptions is { Reattachable: true });
        var operation = new Operation(operationId, request.Tags.ToList(), reattachable);
        if (!session.Operations.TryAdd(operationId, operation))
        {
            throw ErrorStatus.Handle("INVALID_HANDLE.OPERATION_ALREADY_EXISTS", $"The operation {operationId} already exists. Use a new operation id.");
        }

        _ = Task.Run(() => RunAsync(session, request, operation), CancellationToken.None);
        try
        {
            await StreamAsync(operation, 0, responseStream, context).ConfigureAwait(false);
        }
        finally
        {
            // Without reattach nobody can come back for the rest: stop the work and forget the operation.
            if (!reattachable)
            {
                operation.Cancellation.Cancel();
                session.Operations.TryRemove(operationId, out _);
            }
        }
    }

    public async Task ReattachExecute(ReattachExecuteRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        if (!session.Operations.TryGetValue(request.OperationId, out var operation) || !operation.Reattachable)
        {
            throw ErrorStatus.Handle("INVALID_HANDLE.OPERATION_NOT_FOUND", $"The operation {request.OperationId} was not found (released, finished without reattach, or never started).");
        }

        var position = 0;
        if (request.HasLastResponseId && request.LastResponseId.Length > 0)
        {
            position = operation.PositionAfter(request.LastResponseId)
                ?? throw ErrorStatus.Handle("INVALID_CURSOR.POSITION_NOT_AVAILABLE", $"The response {request.LastResponseId} of operation {request.OperationId} is not available any more.");
        }

        await StreamAsync(operation, position, responseStream, context).ConfigureAwait(false);
    }

    public Task<ReleaseExecuteResponse> ReleaseExecute(ReleaseExecuteRequest request, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        if (session.Operations.TryGetValue(request.OperationId, out var operation))
        {
            if (request.ReleaseCase == ReleaseExecuteRequest.ReleaseOneofCase.ReleaseUntil)
            {
                operation.ReleaseUntil(request.ReleaseUntil.ResponseId);
            }
            else
            {
                operation.Cancellation.Cancel();
                session.Operations.TryRemove(request.OperationId, out _);
            }
        }

        return Task.FromResult(new ReleaseExecuteResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId, OperationId = request.OperationId });
    }

    public Task<InterruptResponse> Interrupt(InterruptRequest request, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        var response = new InterruptResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        foreach (var op in session.Operations.Values)
        {
            var hit = request.InterruptType switch
            {
                InterruptRequest.Types.InterruptType.All => true,
                InterruptRequest.Types.InterruptType.Tag => op.Tags.Contains(request.OperationTag),
                InterruptRequest.Types.InterruptType.OperationId => op.OperationId == request.OperationId,
                _ => false,
            };
            if (hit && !op.IsDone)
            {
                op.Cancellation.Cancel();
                response.InterruptedIds.Add(op.OperationId);
            }
        }

        return Task.FromResult(response);
    }

    public Task<ReleaseSessionResponse> ReleaseSession(ReleaseSessionRequest request, ServerCallContext context)
    {
        var userId = request.UserContext?.UserId ?? "";
        var serverSide = Session(request.UserContext, request.SessionId, null).ServerSideSessionId;
        sessions.Release(userId, request.SessionId);
        return Task.FromResult(new ReleaseSessionResponse { SessionId = request.SessionId, ServerSideSessionId = serverSide });
    }

    public Task<FetchErrorDetailsResponse> FetchErrorDetails(FetchErrorDetailsRequest request, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        var response = new FetchErrorDetailsResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        if (session.Errors.TryGetValue(request.ErrorId, out var error))
        {
            response.RootErrorIdx = 0;
            response.Errors.Add(ErrorStatus.Details(error));
        }

        return Task.FromResult(response);
    }

    private SessionState Session(UserContext? user, string sessionId, string? observed) =>
        sessions.Get(user?.UserId ?? "", sessionId, observed);

    private async Task RunAsync(SessionState session, ExecutePlanRequest request, Operation operation)
    {
        ExecutePlanResponse New() => new()
        {
            SessionId = request.SessionId,
            ServerSideSessionId = session.ServerSideSessionId,
            OperationId = operation.OperationId,
            ResponseId = Guid.NewGuid().ToString(),
        };

        var traceStart = Trace.Start();
        long traceBytes = 0, traceRows = 0;
        var traceKind = !Trace.On ? "" : request.Plan.OpTypeCase == Plan.OpTypeOneofCase.Root ? "rpc-rel:" + request.Plan.Root.RelTypeCase : "rpc-cmd:" + request.Plan.Command.CommandTypeCase;
        try
        {
            await foreach (var item in PlanExecutor.ExecuteAsync(session.Engine, request.Plan, operation.Cancellation.Token).ConfigureAwait(false))
            {
                var response = New();
                switch (item)
                {
                    case ExecutionItem.SchemaItem s:
                        response.Schema = s.Schema;
                        break;
                    case ExecutionItem.BatchItem b:
                        response.ArrowBatch = new ExecutePlanResponse.Types.ArrowBatch { RowCount = b.Batch.Length, Data = ByteString.CopyFrom(ArrowResults.Serialize(b.Batch)) };
                        traceBytes += response.ArrowBatch.Data.Length;
                        traceRows += b.Batch.Length;
                        break;
                    case ExecutionItem.EmptyItem e:
                        response.ArrowBatch = new ExecutePlanResponse.Types.ArrowBatch { RowCount = 0, Data = ByteString.CopyFrom(ArrowResults.Serialize(e.ArrowSchema, null)) };
                        break;
                    case ExecutionItem.SqlResultItem r:
                        response.SqlCommandResult = new ExecutePlanResponse.Types.SqlCommandResult { Relation = r.Relation };
                        break;
                }

                operation.Add(response);
            }

            if (operation.Reattachable)
            {
                var complete = New();
                complete.ResultComplete = new ExecutePlanResponse.Types.ResultComplete();
                operation.Add(complete);
            }

            operation.Complete(null);
            Trace.Write(traceKind, traceStart, Trace.On ? request.Plan.ToString() : "", traceRows, traceBytes);
        }
        catch (Exception e)
        {
            var error = ErrorStatus.Normalize(e);
            var errorId = Guid.NewGuid().ToString();
            session.RememberError(errorId, error);
            operation.Complete(ErrorStatus.ToRpc(error, errorId));
        }
    }

    private async Task StreamAsync(Operation operation, int position, IServerStreamWriter<ExecutePlanResponse> stream, ServerCallContext context)
    {
        var sent = 0;
        await foreach (var response in operation.ReadAsync(position, context.CancellationToken).ConfigureAwait(false))
        {
            if (faults.ShouldCut(operation.OperationId, sent))
            {
                // Fault injection for transport tests: end the stream early, as a load balancer cutting it would.
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "stream cut by fault injection"));
            }

            await stream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
            sent++;
        }
    }
}
