using Grpc.Core;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Service;

/// <summary>AnalyzePlan and Config.</summary>
internal sealed partial class EmbeddedConnectService
{
    public async Task<AnalyzePlanResponse> AnalyzePlan(AnalyzePlanRequest request, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        var response = new AnalyzePlanResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        using var traceScope = new Execution.TraceScope("rpc-analyze:" + request.AnalyzeCase, Execution.Trace.Start(), "");
        try
        {
            switch (request.AnalyzeCase)
            {
                case AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion:
                    response.SparkVersion = new AnalyzePlanResponse.Types.SparkVersion { Version = SparkVersion };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.Schema:
                    response.Schema = new AnalyzePlanResponse.Types.Schema { Schema_ = await PlanExecutor.SchemaAsync(session.Engine, Root(request.Schema.Plan), context.CancellationToken).ConfigureAwait(false) };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.Explain:
                    var sql = await PlanExecutor.SqlAsync(session.Engine, Root(request.Explain.Plan), context.CancellationToken).ConfigureAwait(false);
                    response.Explain = new AnalyzePlanResponse.Types.Explain { ExplainString = "== Embedded engine (DuckDB SQL) ==\n" + sql + "\n" };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.TreeString:
                    var schema = await PlanExecutor.SchemaAsync(session.Engine, Root(request.TreeString.Plan), context.CancellationToken).ConfigureAwait(false);
                    response.TreeString = new AnalyzePlanResponse.Types.TreeString { TreeString_ = TreeString(schema) };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.IsLocal:
                    response.IsLocal = new AnalyzePlanResponse.Types.IsLocal { IsLocal_ = Root(request.IsLocal.Plan).RelTypeCase == Relation.RelTypeOneofCase.LocalRelation };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.IsStreaming:
                    response.IsStreaming = new AnalyzePlanResponse.Types.IsStreaming { IsStreaming_ = false };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.DdlParse:
                    response.DdlParse = new AnalyzePlanResponse.Types.DDLParse { Parsed = DdlParse(request.DdlParse.DdlString) };
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.Persist:
                    await PlanExecutor.CacheAsync(session.Engine, request.Persist.Relation, persist: true, context.CancellationToken).ConfigureAwait(false);
                    response.Persist = new AnalyzePlanResponse.Types.Persist();
                    break;
                case AnalyzePlanRequest.AnalyzeOneofCase.Unpersist:
                    await PlanExecutor.CacheAsync(session.Engine, request.Unpersist.Relation, persist: false, context.CancellationToken).ConfigureAwait(false);
                    response.Unpersist = new AnalyzePlanResponse.Types.Unpersist();
                    break;
                default:
                    throw Errors.UnsupportedPlan("AnalyzePlan." + request.AnalyzeCase);
            }
        }
        catch (Exception e) when (e is not RpcException)
        {
            var error = ErrorStatus.Normalize(e);
            var errorId = Guid.NewGuid().ToString();
            session.RememberError(errorId, error);
            throw ErrorStatus.ToRpc(error, errorId);
        }

        return response;
    }

    public Task<ConfigResponse> Config(ConfigRequest request, ServerCallContext context)
    {
        var session = Session(request.UserContext, request.SessionId, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        var config = session.Engine.Config;
        var response = new ConfigResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        var op = request.Operation ?? throw ErrorStatus.Handle("LAKEHOUSE_EMBEDDED_INVALID_ARGUMENT", "The Config request has no operation.");
        try
        {
            switch (op.OpTypeCase)
            {
                case ConfigRequest.Types.Operation.OpTypeOneofCase.Set:
                    foreach (var kv in op.Set.Pairs)
                    {
                        config.Set(kv.Key, kv.HasValue ? kv.Value : "");
                    }

                    break;
                case ConfigRequest.Types.Operation.OpTypeOneofCase.Get:
                    foreach (var key in op.Get.Keys)
                    {
                        response.Pairs.Add(new KeyValue { Key = key, Value = config.Get(key) ?? throw new EmbeddedException("SQL_CONF_NOT_FOUND", "42K0I", $"The SQL config \"{key}\" cannot be found. Set it first, or use getWithDefault.", new Dictionary<string, string> { ["sqlConf"] = $"\"{key}\"" }) });
                    }

                    break;
                case ConfigRequest.Types.Operation.OpTypeOneofCase.GetWithDefault:
                    foreach (var kv in op.GetWithDefault.Pairs)
                    {
                        var value = config.Get(kv.Key) ?? (kv.HasValue ? kv.Value : null);
                        response.Pairs.Add(value is null ? new KeyValue { Key = kv.Key } : new KeyValue { Key = kv.Key, Value = value });
                    }

                    break;
                case ConfigRequest.Types.Operation.OpTypeOneofCase.GetOption:
                    foreach (var key in op.GetOption.Keys)
                    {
                        var value = config.Get(key);
                        response.Pairs.Add(value is null ? new KeyValue { Key = key } : new KeyValue { Key = key, Value = value });
                    }

                    break;
                case ConfigRequest.Types.Operation.OpTypeOneofCase.GetAll:
                    foreach (var kv in config.All(op.GetAll.HasPrefix ? op.GetAll.Prefix : null))
                    {
                        response.Pairs.Add(new KeyValue { Key = kv.Key, Value = kv.Value });
                    }

                    break;
                case ConfigRequest.Types.Operation.OpTypeOneofCase.Unset:
                    foreach (var key in op.Unset.Keys)
                    {
                        config.Unset(key);
                    }

                    break;
                case ConfigRequest.Types.Operation.OpTypeOneofCase.IsModifiable:
                    foreach (var key in op.IsModifiable.Keys)
                    {
                        response.Pairs.Add(new KeyValue { Key = key, Value = SessionConfig.IsModifiable(key) ? "true" : "false" });
                    }

                    break;
                default:
                    throw Errors.UnsupportedPlan("Config." + op.OpTypeCase);
            }
        }
        catch (EmbeddedException e)
        {
            var errorId = Guid.NewGuid().ToString();
            session.RememberError(errorId, e);
            throw ErrorStatus.ToRpc(e, errorId);
        }

        return Task.FromResult(response);
    }

    private static Relation Root(Plan plan) => plan.OpTypeCase == Plan.OpTypeOneofCase.Root
        ? plan.Root
        : throw Errors.UnsupportedPlan("AnalyzePlan of a command");

    private static DataType DdlParse(string ddl)
    {
        try
        {
            return Types.ToProto(SparkDdl.ParseSchema(ddl));
        }
        catch (EmbeddedException)
        {
            return Types.ToProto(SparkDdl.ParseType(ddl));
        }
    }

    private static string TreeString(DataType schema)
    {
        var sb = new System.Text.StringBuilder("root\n");
        foreach (var f in schema.Struct.Fields)
        {
            var type = Types.FromProto(f.DataType);
            sb.Append(" |-- ").Append(f.Name).Append(": ").Append(type is null ? "void" : SimpleName(type)).Append(" (nullable = ").Append(f.Nullable ? "true" : "false").Append(")\n");
        }

        return sb.ToString();
    }

    private static string SimpleName(Lakehouse.Delta.Schema.DeltaType t) => t switch
    {
        Lakehouse.Delta.Schema.PrimitiveType p => p.Name,
        Lakehouse.Delta.Schema.DecimalType d => $"decimal({d.Precision},{d.Scale})",
        Lakehouse.Delta.Schema.ArrayType => "array",
        Lakehouse.Delta.Schema.MapType => "map",
        _ => "struct",
    };
}
