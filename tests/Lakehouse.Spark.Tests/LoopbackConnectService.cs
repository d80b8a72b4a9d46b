using Apache.Arrow.Ipc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Rpc;
using Status = Grpc.Core.Status;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// A small Spark Connect server for transport tests: canned Arrow answers, server-side rules of the brief
/// (§9 "Embedded server": session ids echoed, schema then batches, result_complete when reattachable,
/// replay on ReattachExecute) and injected faults. Not an engine: plans are not evaluated.
/// </summary>
internal sealed class LoopbackConnectService(LoopbackBehaviour behaviour) : SparkConnectService.SparkConnectServiceBase
{
    public override async Task ExecutePlan(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        Enter(nameof(ExecutePlan), context);
        behaviour.Executes.Enqueue(request);
        if (behaviour.ExecuteError is { } error)
        {
            throw error;
        }

        if (behaviour.RejectExtensions && (request.Plan.Root?.Extension is not null || request.Plan.Command?.Extension is not null))
        {
            // SparkConnectPlanner.transformRelationPlugin: InvalidPlanInput when no plugin takes the extension.
            throw SparkError("No handler found for extension", new Dictionary<string, string>(), "org.apache.spark.sql.connect.common.InvalidPlanInput");
        }

        var responses = Responses(request);
        behaviour.Operations[request.OperationId] = responses;
        var first = behaviour.Executes.Count == 1;
        for (var i = 0; i < responses.Count; i++)
        {
            if (first && i == behaviour.CutAfterResponses)
            {
                if (behaviour.CutWithUnavailable)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "connection reset by test"));
                }

                return;
            }

            await responseStream.WriteAsync(responses[i]);
            if (behaviour.HangAfterFirstResponse)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
        }
    }

    public override async Task ReattachExecute(ReattachExecuteRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        Enter(nameof(ReattachExecute), context);
        behaviour.Reattaches.Enqueue(request);
        if (!behaviour.Operations.TryGetValue(request.OperationId, out var responses))
        {
            throw new RpcException(new Status(StatusCode.Internal, "[INVALID_HANDLE.OPERATION_NOT_FOUND] unknown operation"));
        }

        var start = request.HasLastResponseId ? responses.FindIndex(r => r.ResponseId == request.LastResponseId) + 1 : 0;
        foreach (var response in responses.Skip(start))
        {
            await responseStream.WriteAsync(response);
        }
    }

    public override Task<ReleaseExecuteResponse> ReleaseExecute(ReleaseExecuteRequest request, ServerCallContext context)
    {
        Enter(nameof(ReleaseExecute), context);
        behaviour.Releases.Enqueue(request);
        if (request.ReleaseCase == ReleaseExecuteRequest.ReleaseOneofCase.ReleaseAll)
        {
            behaviour.ReleasedAll.TrySetResult(request.OperationId);
        }

        return Task.FromResult(new ReleaseExecuteResponse
        {
            SessionId = request.SessionId, OperationId = request.OperationId, ServerSideSessionId = behaviour.ServerSideSessionId,
        });
    }

    public override Task<AnalyzePlanResponse> AnalyzePlan(AnalyzePlanRequest request, ServerCallContext context)
    {
        Enter(nameof(AnalyzePlan), context);
        behaviour.Analyzes.Enqueue(request);
        var response = new AnalyzePlanResponse { SessionId = request.SessionId, ServerSideSessionId = behaviour.ServerSideSessionId };
        switch (request.AnalyzeCase)
        {
            case AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion:
                response.SparkVersion = new() { Version = behaviour.SparkVersion };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.Schema:
                response.Schema = new() { Schema_ = Schema() };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.Explain:
                response.Explain = new() { ExplainString = "== Physical Plan ==\nLoopbackScan" };
                break;
            default:
                throw new RpcException(new Status(StatusCode.Unimplemented, $"{request.AnalyzeCase} is not canned"));
        }

        return Task.FromResult(response);
    }

    public override Task<ConfigResponse> Config(ConfigRequest request, ServerCallContext context)
    {
        Enter(nameof(Config), context);
        behaviour.Configs.Enqueue(request);
        var response = new ConfigResponse { SessionId = request.SessionId, ServerSideSessionId = behaviour.ServerSideSessionId };
        var op = request.Operation;
        switch (op.OpTypeCase)
        {
            case ConfigRequest.Types.Operation.OpTypeOneofCase.Set:
                foreach (var pair in op.Set.Pairs)
                {
                    behaviour.Conf[pair.Key] = pair.Value;
                }

                break;
            case ConfigRequest.Types.Operation.OpTypeOneofCase.Get:
                foreach (var key in op.Get.Keys)
                {
                    response.Pairs.Add(behaviour.Conf.TryGetValue(key, out var v) ? new KeyValue { Key = key, Value = v } : new KeyValue { Key = key });
                }

                break;
            case ConfigRequest.Types.Operation.OpTypeOneofCase.GetWithDefault:
                foreach (var pair in op.GetWithDefault.Pairs)
                {
                    response.Pairs.Add(new KeyValue { Key = pair.Key, Value = behaviour.Conf.GetValueOrDefault(pair.Key, pair.Value) });
                }

                break;
            case ConfigRequest.Types.Operation.OpTypeOneofCase.Unset:
                foreach (var key in op.Unset.Keys)
                {
                    behaviour.Conf.TryRemove(key, out _);
                }

                break;
            default:
                throw new RpcException(new Status(StatusCode.Unimplemented, $"{op.OpTypeCase} is not canned"));
        }

        return Task.FromResult(response);
    }

    public override Task<InterruptResponse> Interrupt(InterruptRequest request, ServerCallContext context)
    {
        Enter(nameof(Interrupt), context);
        behaviour.Interrupted.TrySetResult(request.OperationId);
        return Task.FromResult(new InterruptResponse
        {
            SessionId = request.SessionId, ServerSideSessionId = behaviour.ServerSideSessionId, InterruptedIds = { request.OperationId },
        });
    }

    public override Task<ReleaseSessionResponse> ReleaseSession(ReleaseSessionRequest request, ServerCallContext context)
    {
        Enter(nameof(ReleaseSession), context);
        return Task.FromResult(new ReleaseSessionResponse { SessionId = request.SessionId, ServerSideSessionId = behaviour.ServerSideSessionId });
    }

    public override Task<FetchErrorDetailsResponse> FetchErrorDetails(FetchErrorDetailsRequest request, ServerCallContext context)
    {
        Enter(nameof(FetchErrorDetails), context);
        return behaviour.ErrorDetails.TryGetValue(request.ErrorId, out var details)
            ? Task.FromResult(details)
            : throw new RpcException(new Status(StatusCode.NotFound, "no such error"));
    }

    /// <summary>A Spark-style failure: INTERNAL with a google.rpc.Status carrying ErrorInfo (ErrorUtils.scala).</summary>
    public static RpcException SparkError(string message, IDictionary<string, string> metadata, string reason = "org.apache.spark.sql.AnalysisException")
    {
        var info = new ErrorInfo { Reason = reason, Domain = "org.apache.spark" };
        info.Metadata.Add(metadata);
        var status = new Protos.Rpc.Status { Code = (int)StatusCode.Internal, Message = message, Details = { Any.Pack(info) } };
        return new RpcException(new Status(StatusCode.Internal, message), new Metadata { { "grpc-status-details-bin", status.ToByteArray() } });
    }

    private void Enter(string rpc, ServerCallContext context)
    {
        behaviour.Calls.Enqueue(rpc);
        var authorization = context.RequestHeaders.GetValue("authorization");
        behaviour.AuthorizationHeaders.Enqueue(authorization);
        if (behaviour.RequiredToken is { } token && authorization != "Bearer " + token)
        {
            // Spark 4.0 PreSharedKeyAuthenticationInterceptor answers UNAUTHENTICATED (brief §5).
            throw new RpcException(new Status(StatusCode.Unauthenticated, authorization is null ? "No authentication token provided" : "Invalid authentication token"));
        }

        if (Interlocked.Decrement(ref behaviour.UnavailableCalls) >= 0)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "injected: server briefly away"));
        }
    }

    private List<ExecutePlanResponse> Responses(ExecutePlanRequest request)
    {
        var responses = new List<ExecutePlanResponse>();
        ExecutePlanResponse New() => new()
        {
            SessionId = request.SessionId,
            ServerSideSessionId = behaviour.ServerSideSessionId,
            OperationId = request.OperationId,
            ResponseId = Guid.NewGuid().ToString(),
        };

        if (request.Plan.OpTypeCase == Plan.OpTypeOneofCase.Root)
        {
            var schema = New();
            schema.Schema = Schema();
            responses.Add(schema);
            foreach (var batch in behaviour.Batches)
            {
                var response = New();
                response.ArrowBatch = new() { RowCount = batch.Length, Data = ByteString.CopyFrom(Serialize(batch)) };
                responses.Add(response);
            }
        }
        else if (request.Plan.Command.CommandTypeCase == Command.CommandTypeOneofCase.SqlCommand)
        {
            var result = New();
            result.SqlCommandResult = behaviour.SqlCommandsReturnBatches && behaviour.Batches.Count > 0
                ? new() { Relation = new Relation { LocalRelation = new LocalRelation { Data = ByteString.CopyFrom(Serialize(behaviour.Batches)) } } }
                : new() { Relation = new Relation { Sql = new SQL { Query = request.Plan.Command.SqlCommand.Sql } } };
            responses.Add(result);
        }

        else if (request.Plan.Command?.Extension is not null && behaviour.ExtensionCommandResult is { } commandResult)
        {
            var result = New();
            result.SqlCommandResult = new() { Relation = commandResult };
            responses.Add(result);
        }

        var progress = New();
        progress.ExecutionProgress = new() { NumInflightTasks = 0 };
        responses.Add(progress);
        if (request.RequestOptions.Any(o => o.ReattachOptions?.Reattachable == true))
        {
            var complete = New();
            complete.ResultComplete = new();
            responses.Add(complete);
        }

        return responses;
    }

    private DataType Schema()
    {
        var structType = new DataType.Types.Struct();
        if (behaviour.Batches.Count > 0)
        {
            foreach (var field in behaviour.Batches[0].Schema.FieldsList)
            {
                structType.Fields.Add(new DataType.Types.StructField { Name = field.Name, Nullable = field.IsNullable, DataType = new DataType { Unparsed = new() { DataTypeString = field.DataType.Name } } });
            }
        }

        return new DataType { Struct = structType };
    }

    private static byte[] Serialize(Apache.Arrow.RecordBatch batch) => Serialize([batch]);

    private static byte[] Serialize(IReadOnlyList<Apache.Arrow.RecordBatch> batches)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batches[0].Schema, leaveOpen: true))
        {
            foreach (var batch in batches)
            {
                writer.WriteRecordBatch(batch);
            }

            writer.WriteEnd();
        }

        return stream.ToArray();
    }
}
