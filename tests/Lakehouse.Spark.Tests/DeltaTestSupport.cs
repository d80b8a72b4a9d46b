using Apache.Arrow;
using Apache.Arrow.Types;
using Field = Apache.Arrow.Field;
using Any = Google.Protobuf.WellKnownTypes.Any;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;
using DeltaTableProto = Lakehouse.Spark.Protos.Delta.DeltaTable;

namespace Lakehouse.Spark.Tests;

/// <summary>Hand-written Delta Connect pieces and loopback helpers for the DeltaTable tests.</summary>
internal static class D
{
    internal const string Spark4 = "4.0.0";
    internal const string Spark35 = "3.5.1";

    /// <summary>One row of long metric columns, as Delta's commands return them.</summary>
    internal static RecordBatch Metrics(params (string Name, long Value)[] metrics)
    {
        var fields = metrics.Select(m => new Field(m.Name, Int64Type.Default, true)).ToList();
        var arrays = metrics.Select(m => (IArrowArray)new Int64Array.Builder().Append(m.Value).Build()).ToList();
        return new RecordBatch(new Schema(fields, null), arrays, 1);
    }

    internal static RecordBatch Bool(string name, bool value) =>
        new(new Schema([new Field(name, BooleanType.Default, false)], null), [new BooleanArray.Builder().Append(value).Build()], 1);

    internal static RecordBatch Strings(string name, params string[] values) =>
        new(new Schema([new Field(name, StringType.Default, true)], null), [new StringArray.Builder().AppendRange(values).Build()], values.Length);

    internal static async Task<(LoopbackConnectServer Server, SparkSession Spark)> StartAsync(
        string version, IReadOnlyList<RecordBatch>? batches = null, bool rejectExtensions = false, string? api = null)
    {
        var server = await LoopbackConnectServer.StartAsync(new LoopbackBehaviour
        {
            SparkVersion = version, Batches = batches ?? [], SqlCommandsReturnBatches = true, RejectExtensions = rejectExtensions,
        });
        var builder = SparkSession.Builder().Remote(server.ConnectionString()).Retry(LoopbackConnectServer.FastRetry());
        if (api is not null)
        {
            builder.Config(Delta.DeltaTable.ApiConf, api);
        }

        return (server, await builder.CreateAsync());
    }

    internal static DeltaTableProto PathTable(string path) => new() { Path = new DeltaTableProto.Types.Path { Path_ = path } };

    internal static Relation Extension(DeltaRelation delta, long planId) =>
        new() { Common = new RelationCommon { PlanId = planId }, Extension = Any.Pack(delta) };

    internal static Relation ScanOf(string path, long planId) => Extension(new DeltaRelation { Scan = new Scan { Table = PathTable(path) } }, planId);

    internal static Relation Aliased(Relation input, string alias, long planId) =>
        new() { Common = new RelationCommon { PlanId = planId }, SubqueryAlias = new SubqueryAlias { Input = input, Alias = alias } };

    internal static Expression SqlExpr(string sql) => new() { ExpressionString = new() { Expression = sql } };

    internal static Protos.Delta.Assignment Set(string field, Expression value) => new() { Field = P.Attr(field), Value = value };

    /// <summary>The only Delta relation the client executed (as ExecutePlan root).</summary>
    internal static (DeltaRelation Relation, long PlanId) SentRelation(LoopbackBehaviour behaviour)
    {
        var root = Assert.Single(behaviour.Executes).Plan.Root;
        Assert.Equal(Relation.RelTypeOneofCase.Extension, root.RelTypeCase);
        Assert.Equal("type.googleapis.com/delta.connect.DeltaRelation", root.Extension.TypeUrl);
        return (root.Extension.Unpack<DeltaRelation>(), root.Common.PlanId);
    }

    /// <summary>The only Delta command the client executed.</summary>
    internal static DeltaCommand SentCommand(LoopbackBehaviour behaviour)
    {
        var command = Assert.Single(behaviour.Executes).Plan.Command;
        Assert.Equal("type.googleapis.com/delta.connect.DeltaCommand", command.Extension.TypeUrl);
        return command.Extension.Unpack<DeltaCommand>();
    }

    /// <summary>Every SQL statement the client sent, in order.</summary>
    internal static List<string> SentSql(LoopbackBehaviour behaviour) =>
        [.. behaviour.Executes.Where(e => e.Plan.Command?.SqlCommand is not null).Select(e => e.Plan.Command.SqlCommand.Sql)];

    /// <summary>brief §6b: Delta Connect runs DML while planning, so nothing but the version may be analyzed.</summary>
    internal static void AssertNothingAnalyzed(LoopbackBehaviour behaviour) =>
        Assert.All(behaviour.Analyzes, a => Assert.Equal(AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion, a.AnalyzeCase));
}
