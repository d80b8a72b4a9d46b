using Google.Protobuf;
using Google.Protobuf.Reflection;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Delta.Sql;

/// <summary>
/// A MERGE sent as SQL (servers without Delta Connect): the source DataFrame becomes a temporary view with a
/// unique name, the statement reads <c>MERGE INTO target [AS t] USING view [AS s] ON … WHEN …</c>, and the
/// view is dropped afterwards. Columns bound to the source DataFrame (<c>source["id"]</c>) are qualified
/// with the source alias, or the view name when the source has none.
/// </summary>
internal sealed class MergeSql(DeltaTable target, DataFrame source, Column condition, IReadOnlyList<MergeClause> clauses, bool schemaEvolution)
{
    /// <summary>Delta's documented switch for schema evolution in SQL MERGE ("Automatic schema evolution").</summary>
    internal const string AutoMergeConf = "spark.databricks.delta.schema.autoMerge.enabled";

    /// <summary>The alias of the source DataFrame (<c>source.Alias("s")</c>), if its plan ends with one.</summary>
    internal string? SourceAlias => source.Relation.RelTypeCase == Relation.RelTypeOneofCase.SubqueryAlias ? source.Relation.SubqueryAlias.Alias : null;

    /// <summary>A fresh view name: unique per MERGE, so concurrent merges in one session never share a view.</summary>
    internal static string NewViewName() => "lakehouse_merge_source_" + Guid.NewGuid().ToString("N");

    /// <summary>The MERGE statement reading the source from <paramref name="view"/>.</summary>
    /// <exception cref="ArgumentException">A condition or value has no SQL rendering.</exception>
    internal string Render(string view)
    {
        var qualifiers = new Dictionary<long, string?>();
        foreach (var id in target.PlanIds)
        {
            qualifiers[id] = target.Alias;
        }

        foreach (var id in PlanIds(source.Relation))
        {
            qualifiers[id] = SourceAlias ?? view;
        }

        var sql = new SqlExpressions(qualifiers);
        var rendered = clauses.Select(c => new RenderedClause(
            c.Group,
            c.Action,
            c.Condition is null ? null : sql.Render(c.Condition),
            [.. c.Assignments.Select(a => KeyValuePair.Create(a.Key, sql.Render(a.Value)))]));
        return DeltaSql.Merge(target.Table, target.Alias, view, SourceAlias, sql.Render(condition), rendered);
    }

    /// <summary>Creates the view, runs the MERGE once, then drops the view (and restores the schema-evolution conf).</summary>
    internal async Task<DeltaResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        var session = target.Session;
        var view = NewViewName();
        var text = Render(view);
        await DeltaExecution.CommandAsync(session, source.TempViewCommand(view), cancellationToken).ConfigureAwait(false);
        string? previousAutoMerge = null;
        try
        {
            if (schemaEvolution)
            {
                // MERGE WITH SCHEMA EVOLUTION is Spark 4 syntax; the session conf works on Delta 3 and 4 alike.
                previousAutoMerge = await session.Conf.GetAsync(AutoMergeConf, "false", cancellationToken).ConfigureAwait(false) ?? "false";
                await session.Conf.SetAsync(AutoMergeConf, "true", cancellationToken).ConfigureAwait(false);
            }

            return await DeltaExecution.SqlAsync(session, text, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CleanUpAsync(session, view, previousAutoMerge).ConfigureAwait(false);
        }
    }

    /// <summary>Every plan id in a relation tree (Spark resolves a plan-bound column against any of them).</summary>
    internal static HashSet<long> PlanIds(IMessage root)
    {
        var ids = new HashSet<long>();
        Walk(root, ids);
        return ids;
    }

    private static void Walk(IMessage message, HashSet<long> ids)
    {
        if (message is Relation { Common.HasPlanId: true } relation)
        {
            ids.Add(relation.Common.PlanId);
        }

        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType != FieldType.Message || field.IsMap)
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    Walk((IMessage)item, ids);
                }
            }
            else if (value is IMessage child)
            {
                Walk(child, ids);
            }
        }
    }

    private static async Task CleanUpAsync(SparkSession session, string view, string? previousAutoMerge)
    {
        // Not cancellable: the MERGE ran (or failed); its conf change or view must not outlive it in the session.
        if (previousAutoMerge is not null)
        {
            await session.Conf.SetAsync(AutoMergeConf, previousAutoMerge, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            await DeltaExecution.SqlAsync(session, DeltaSql.DropView(view), CancellationToken.None).ConfigureAwait(false);
        }
        catch (SparkConnectException)
        {
            // A view left behind is harmless: it is session-scoped, uniquely named, and ends with the session.
        }
    }
}
