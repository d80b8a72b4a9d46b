using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Lakehouse.Embedded.Delta;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>Executes a Spark Connect <see cref="Spark.Protos.Plan"/> on a session: queries stream schema then batches; commands run to completion.</summary>
internal static partial class PlanExecutor
{
    public static async IAsyncEnumerable<ExecutionItem> ExecuteAsync(EngineSession session, Plan plan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = await session.EnterAsync(cancellationToken).ConfigureAwait(false);
        using var executing = new ExecutingScope(session);
        switch (plan.OpTypeCase)
        {
            case Plan.OpTypeOneofCase.Root when plan.Root.RelTypeCase == Relation.RelTypeOneofCase.ShowString:
                foreach (var item in ShowString(session, plan.Root.ShowString))
                {
                    yield return item;
                }

                break;
            case Plan.OpTypeOneofCase.Root:
                var (sql, schema) = session.Plan(plan.Root);
                yield return new ExecutionItem.SchemaItem(schema);
                var any = false;
                await foreach (var batch in Rebatch(session.QueryAsync(sql, cancellationToken), session.Options.MaxRecordsPerBatch).ConfigureAwait(false))
                {
                    any = true;
                    yield return new ExecutionItem.BatchItem(batch);
                }

                if (!any)
                {
                    // Clients expect at least one batch, empty with the schema when there are no rows (brief, server rule 2).
                    yield return new ExecutionItem.EmptyItem(session.ArrowSchema(sql));
                }

                break;
            case Plan.OpTypeOneofCase.Command:
                if (Command(session, plan.Command, cancellationToken) is { } result)
                {
                    yield return result;
                }

                break;
            default:
                throw Errors.UnsupportedPlan("Plan." + plan.OpTypeCase);
        }
    }

    /// <summary>Spark's schema of a relation, without running it.</summary>
    public static async Task<DataType> SchemaAsync(EngineSession session, Relation relation, CancellationToken cancellationToken)
    {
        using var _ = await session.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (relation.RelTypeCase == Relation.RelTypeOneofCase.ShowString)
        {
            return Types.StructProto([("show_string", Lakehouse.Delta.Schema.PrimitiveType.String)]);
        }

        if (relation.RelTypeCase == Relation.RelTypeOneofCase.Extension && DeltaConnect.ResultShapeSql(relation.Extension) is { } shape)
        {
            // Analyzing a Delta DML/restore/optimize relation must not run it: answer the shape of its result.
            return session.Plan(new Relation { Sql = new SQL { Query = shape } }).Schema;
        }

        return session.Plan(relation).Schema;
    }

    /// <summary>The DuckDB statement a relation runs as (for explain).</summary>
    public static async Task<string> SqlAsync(EngineSession session, Relation relation, CancellationToken cancellationToken)
    {
        using var _ = await session.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (relation.RelTypeCase == Relation.RelTypeOneofCase.Extension && DeltaConnect.ResultShapeSql(relation.Extension) is not null)
        {
            return "-- a Delta Connect operation: it runs when the plan is executed, not when it is explained";
        }

        return session.Plan(relation).Sql;
    }

    private static ExecutionItem? Command(EngineSession session, Command command, CancellationToken cancellationToken)
    {
        switch (command.CommandTypeCase)
        {
            case Spark.Protos.Command.CommandTypeOneofCase.SqlCommand:
                var sc = command.SqlCommand;
                var query = sc.Input is { RelTypeCase: Relation.RelTypeOneofCase.Sql } input ? input.Sql.Query : sc.Sql;
                if (Delta.VacuumStatement.TryRun(session, query) is { } vacuumRows)
                {
                    return new ExecutionItem.SqlResultItem(vacuumRows);
                }

                if (Delta.OptimizeStatement.TryRun(session, query, cancellationToken) is { } optimizeRows)
                {
                    return new ExecutionItem.SqlResultItem(optimizeRows);
                }

                if (!QueryStart().IsMatch(query))
                {
                    throw Errors.Unsupported("sql statement", $"The SQL statement '{Truncate(query)}' (only queries: SELECT / WITH / VALUES / FROM)");
                }

                var relation = new Relation { Sql = new SQL { Query = query } };
                relation.Sql.Args.Add(sc.Args);
                relation.Sql.PosArgs.Add(sc.PosArgs);
                session.Plan(relation);
                return new ExecutionItem.SqlResultItem(relation);
            case Spark.Protos.Command.CommandTypeOneofCase.CreateDataframeView:
                var view = command.CreateDataframeView;
                if (view.IsGlobal)
                {
                    throw Errors.Unsupported("global temp view", "createGlobalTempView");
                }

                session.CreateView(view.Name, view.Input, view.Replace);
                return null;
            case Spark.Protos.Command.CommandTypeOneofCase.WriteOperation:
                DeltaWriter.Write(session, command.WriteOperation, cancellationToken);
                return null;
            case Spark.Protos.Command.CommandTypeOneofCase.Extension when DeltaConnect.IsCommand(command.Extension):
                return DeltaConnect.Command(session, command.Extension) is { } resultSql
                    ? new ExecutionItem.SqlResultItem(new Relation { Sql = new SQL { Query = resultSql } })
                    : null;
            case Spark.Protos.Command.CommandTypeOneofCase.Extension:
                throw Errors.UnsupportedPlan("Command.extension (" + command.Extension.TypeUrl + ")");
            default:
                throw Errors.UnsupportedPlan("Command." + command.CommandTypeCase);
        }
    }

    private static IEnumerable<ExecutionItem> ShowString(EngineSession session, ShowString show)
    {
        var limited = new Relation { Limit = new Limit { Input = show.Input, Limit_ = show.NumRows + 1 } };
        var (sql, schema) = session.Plan(limited);
        var rows = new List<object?[]>();
        var batches = session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable();
        foreach (var batch in batches)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(Enumerable.Range(0, batch.ColumnCount).Select(c => ArrowResults.Value(batch.Column(c), i)).ToArray());
            }
        }

        var names = schema.Struct.Fields.Select(f => f.Name).ToList();
        var text = ShowFormatter.Format(names, rows, show.NumRows, show.Truncate, show.Vertical, session.Config.TimeZone);
        var outSchema = Types.StructProto([("show_string", Lakehouse.Delta.Schema.PrimitiveType.String)]);
        yield return new ExecutionItem.SchemaItem(outSchema);
        yield return new ExecutionItem.BatchItem(ArrowResults.SingleString("show_string", text));
    }

    /// <summary>
    /// Regroups DuckDB's vector-sized batches (2,048 rows) into batches of up to <paramref name="maxRows"/> rows, as
    /// Spark sizes them by <c>spark.sql.execution.arrow.maxRecordsPerBatch</c>: fewer, larger messages.
    /// </summary>
    private static async IAsyncEnumerable<RecordBatch> Rebatch(IAsyncEnumerable<RecordBatch> source, int maxRows)
    {
        var pending = new List<RecordBatch>();
        var rows = 0;
        await foreach (var batch in source.ConfigureAwait(false))
        {
            for (var offset = 0; offset < batch.Length;)
            {
                var take = Math.Min(maxRows - rows, batch.Length - offset);
                pending.Add(offset == 0 && take == batch.Length ? batch : batch.Slice(offset, take));
                rows += take;
                offset += take;
                if (rows == maxRows)
                {
                    yield return Concat(pending, rows);
                    pending.Clear();
                    rows = 0;
                }
            }
        }

        if (rows > 0)
        {
            yield return Concat(pending, rows);
        }
    }

    private static RecordBatch Concat(List<RecordBatch> batches, int rows)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var schema = batches[0].Schema;
        var columns = Enumerable.Range(0, schema.FieldsList.Count)
            .Select(c => ArrowArrayConcatenator.Concatenate(batches.Select(b => b.Column(c)).ToList()))
            .ToList();
        return new RecordBatch(schema, columns, rows);
    }

    /// <summary>Persist and unpersist, which change the session's cache and run nothing.</summary>
    public static async Task CacheAsync(EngineSession session, Relation relation, bool persist, CancellationToken cancellationToken)
    {
        using var _ = await session.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (persist)
        {
            session.Persist(relation);
        }
        else
        {
            session.Unpersist(relation);
        }
    }

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;

    [GeneratedRegex(@"^\s*(\(\s*)*(SELECT|WITH|VALUES|FROM|TABLE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QueryStart();

    private sealed class ExecutingScope : IDisposable
    {
        private readonly EngineSession _session;

        public ExecutingScope(EngineSession session)
        {
            _session = session;
            session.Executing = true;
        }

        public void Dispose() => _session.Executing = false;
    }
}
