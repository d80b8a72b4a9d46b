using Apache.Arrow;
using Apache.Arrow.Ipc;
using Google.Protobuf.WellKnownTypes;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;
using Expression = Lakehouse.Spark.Protos.Expression;

namespace Lakehouse.Embedded.Tests;

/// <summary>Delta Connect messages built by hand, as a Delta Connect client sends them, and a runner that decodes the rows they return.</summary>
internal static class DeltaPlans
{
    public static Lakehouse.Spark.Protos.Delta.DeltaTable Table(string path) => new() { Path = new Lakehouse.Spark.Protos.Delta.DeltaTable.Types.Path { Path_ = path } };

    public static Relation Pack(DeltaRelation relation) => new() { Extension = Any.Pack(relation) };

    /// <summary>DeltaTable.ForPath(path).As(alias).</summary>
    public static Relation Target(string path, string? alias = "t")
    {
        var scan = Pack(new DeltaRelation { Scan = new Scan { Table = Table(path) } });
        return alias is null ? scan : new Relation { SubqueryAlias = new SubqueryAlias { Input = scan, Alias = alias } };
    }

    /// <summary>A source DataFrame from a SQL query, aliased.</summary>
    public static Relation Source(string query, string alias = "s") =>
        new() { SubqueryAlias = new SubqueryAlias { Input = new Relation { Sql = new SQL { Query = query } }, Alias = alias } };

    public static Expression Expr(string text) => new() { ExpressionString = new Expression.Types.ExpressionString { Expression = text } };

    public static Expression Col(string name) => new() { UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = name } };

    public static Expression Fn(string name, params Expression[] args)
    {
        var f = new Expression.Types.UnresolvedFunction { FunctionName = name };
        f.Arguments.Add(args);
        return new Expression { UnresolvedFunction = f };
    }

    public static Expression Lit(long value) => new() { Literal = new Expression.Types.Literal { Long = value } };

    public static Assignment Set(string field, string value) => new() { Field = Col(field), Value = Expr(value) };

    public static MergeIntoTable.Types.Action Update(string? condition, params Assignment[] set)
    {
        var a = new MergeIntoTable.Types.Action { UpdateAction = new MergeIntoTable.Types.Action.Types.UpdateAction() };
        a.UpdateAction.Assignments.Add(set);
        return WithCondition(a, condition);
    }

    public static MergeIntoTable.Types.Action UpdateAll(string? condition = null) =>
        WithCondition(new MergeIntoTable.Types.Action { UpdateStarAction = new MergeIntoTable.Types.Action.Types.UpdateStarAction() }, condition);

    public static MergeIntoTable.Types.Action Delete(string? condition = null) =>
        WithCondition(new MergeIntoTable.Types.Action { DeleteAction = new MergeIntoTable.Types.Action.Types.DeleteAction() }, condition);

    public static MergeIntoTable.Types.Action Insert(string? condition, params Assignment[] values)
    {
        var a = new MergeIntoTable.Types.Action { InsertAction = new MergeIntoTable.Types.Action.Types.InsertAction() };
        a.InsertAction.Assignments.Add(values);
        return WithCondition(a, condition);
    }

    public static MergeIntoTable.Types.Action InsertAll(string? condition = null) =>
        WithCondition(new MergeIntoTable.Types.Action { InsertStarAction = new MergeIntoTable.Types.Action.Types.InsertStarAction() }, condition);

    public static MergeIntoTable Merge(string path, string sourceQuery, string condition) =>
        new() { Target = Target(path), Source = Source(sourceQuery), Condition = Expr(condition) };

    /// <summary>Executes a relation once (as the client does for DML) and returns its rows.</summary>
    public static async Task<List<object?[]>> RunAsync(SparkSession spark, Relation relation)
    {
        var rows = new List<object?[]>();
        await foreach (var response in spark.Client.ExecuteAsync(new Plan { Root = relation }))
        {
            if (response.ResponseTypeCase != ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch)
            {
                continue;
            }

            using var reader = new ArrowStreamReader(new MemoryStream(response.ArrowBatch.Data.ToByteArray()));
            while (await reader.ReadNextRecordBatchAsync() is { } batch)
            {
                using (batch)
                {
                    for (var i = 0; i < batch.Length; i++)
                    {
                        rows.Add(Enumerable.Range(0, batch.ColumnCount).Select(c => Value(batch.Column(c), i)).ToArray());
                    }
                }
            }
        }

        return rows;
    }

    public static Task<List<object?[]>> RunAsync(SparkSession spark, DeltaRelation relation) => RunAsync(spark, Pack(relation));

    /// <summary>Runs a MERGE and returns its metrics row (affected, updated, deleted, inserted).</summary>
    /// <summary>A DELETE of the table at <paramref name="path"/> (alias t), of every row when <paramref name="condition"/> is null.</summary>
    public static DeltaRelation DeleteFrom(string path, string? condition)
    {
        var delete = new DeleteFromTable { Target = Target(path) };
        if (condition is not null)
        {
            delete.Condition = Expr(condition);
        }

        return new DeltaRelation { DeleteFromTable = delete };
    }

    /// <summary>An UPDATE of the rows of the table at <paramref name="path"/> (alias t) where <paramref name="condition"/> holds.</summary>
    public static DeltaRelation UpdateTable(string path, string condition, params Assignment[] assignments)
    {
        var update = new Lakehouse.Spark.Protos.Delta.UpdateTable { Target = Target(path), Condition = Expr(condition) };
        update.Assignments.AddRange(assignments);
        return new DeltaRelation { UpdateTable = update };
    }

    /// <summary>Runs a DELETE or UPDATE and returns its one result value: the number of affected rows.</summary>
    public static async Task<long> AffectedAsync(SparkSession spark, DeltaRelation relation) => (long)(await RunAsync(spark, relation)).Single()[0]!;

    public static async Task<long[]> MergeAsync(SparkSession spark, MergeIntoTable merge) =>
        (await RunAsync(spark, new DeltaRelation { MergeIntoTable = merge })).Single().Select(v => (long)v!).ToArray();

    /// <summary>Runs a DeltaCommand.</summary>
    public static async Task CommandAsync(SparkSession spark, DeltaCommand command)
    {
        await foreach (var _ in spark.Client.ExecuteAsync(new Plan { Command = new Command { Extension = Any.Pack(command) } }))
        {
        }
    }

    private static object? Value(IArrowArray array, int i) => array switch
    {
        _ when array.IsNull(i) => null,
        Int64Array a => a.GetValue(i),
        Int32Array a => (long?)a.GetValue(i),
        StringArray a => a.GetString(i),
        BooleanArray a => a.GetValue(i),
        DoubleArray a => a.GetValue(i),
        _ => array.GetType().Name,
    };

    private static MergeIntoTable.Types.Action WithCondition(MergeIntoTable.Types.Action a, string? condition)
    {
        if (condition is not null)
        {
            a.Condition = Expr(condition);
        }

        return a;
    }
}
