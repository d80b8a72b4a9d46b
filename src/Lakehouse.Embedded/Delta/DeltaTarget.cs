using Lakehouse.Embedded.Execution;
using Lakehouse.Spark.Protos;
using DeltaRelationProto = Lakehouse.Spark.Protos.Delta.DeltaRelation;
using DeltaTableProto = Lakehouse.Spark.Protos.Delta.DeltaTable;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The Delta table a Delta Connect message operates on: its directory, the alias expressions may qualify its columns
/// with, and the plan ids of the relations that name it (for <c>df["col"]</c> references).
/// </summary>
/// <param name="Path">The table directory.</param>
/// <param name="Alias">The DataFrame alias (<c>DeltaTable.As("t")</c>), or null.</param>
/// <param name="PlanIds">Plan ids of the target relation's nodes.</param>
internal sealed record DeltaTarget(string Path, string? Alias, IReadOnlyList<long> PlanIds)
{
    /// <summary>The type URL of a packed <c>delta.connect.DeltaRelation</c>.</summary>
    public const string RelationTypeUrl = "type.googleapis.com/delta.connect.DeltaRelation";

    /// <summary>The type URL of a packed <c>delta.connect.DeltaCommand</c>.</summary>
    public const string CommandTypeUrl = "type.googleapis.com/delta.connect.DeltaCommand";

    /// <summary>The directory of a <c>delta.connect.DeltaTable</c> (by path or by <c>db.table</c> name).</summary>
    public static string PathOf(EngineSession session, DeltaTableProto? table) => table?.AccessTypeCase switch
    {
        DeltaTableProto.AccessTypeOneofCase.Path => System.IO.Path.GetFullPath(table.Path.Path_),
        DeltaTableProto.AccessTypeOneofCase.TableOrViewName => NamedPath(session, table.TableOrViewName),
        _ => throw Errors.InvalidArgument("DeltaTable", "the table has neither a path nor a name"),
    };

    /// <summary>
    /// The target of a DML relation: a <c>Scan</c> of a Delta table or a read of one (<c>delta</c> format path or
    /// table name), optionally under a SubqueryAlias.
    /// </summary>
    public static DeltaTarget Resolve(EngineSession session, Relation relation)
    {
        string? alias = null;
        var planIds = new List<long>();
        while (true)
        {
            if (relation.Common is { HasPlanId: true } common)
            {
                planIds.Add(common.PlanId);
            }

            switch (relation.RelTypeCase)
            {
                case Relation.RelTypeOneofCase.SubqueryAlias:
                    alias ??= relation.SubqueryAlias.Alias;
                    relation = relation.SubqueryAlias.Input;
                    continue;
                case Relation.RelTypeOneofCase.Extension when relation.Extension.TypeUrl == RelationTypeUrl:
                    var delta = relation.Extension.Unpack<DeltaRelationProto>();
                    if (delta.RelationTypeCase == DeltaRelationProto.RelationTypeOneofCase.Scan)
                    {
                        return new DeltaTarget(PathOf(session, delta.Scan.Table), alias, planIds);
                    }

                    break;
                case Relation.RelTypeOneofCase.Read when relation.Read.ReadTypeCase == Read.ReadTypeOneofCase.NamedTable:
                    return new DeltaTarget(NamedPath(session, relation.Read.NamedTable.UnparsedIdentifier), alias, planIds);
                case Relation.RelTypeOneofCase.Read when relation.Read.DataSource is { Paths.Count: 1 } ds
                                                       && (!ds.HasFormat || ds.Format.Equals("delta", StringComparison.OrdinalIgnoreCase)):
                    return new DeltaTarget(System.IO.Path.GetFullPath(ds.Paths[0]), alias, planIds);
            }

            throw new EmbeddedException("DELTA_UNSUPPORTED_TARGET", "0A000",
                $"The target of a Delta DML operation must be a Delta table (DeltaTable.ForPath/ForName, optionally with As(alias)), not a {relation.RelTypeCase} relation. Run the operation on the table itself.");
        }
    }

    private static string NamedPath(EngineSession session, string name)
    {
        var parts = Sql.Scope.SplitIdentifier(name);
        if (parts.Count == 2 && parts[0].Equals("delta", StringComparison.OrdinalIgnoreCase) && System.IO.Path.IsPathRooted(parts[1]))
        {
            return System.IO.Path.GetFullPath(parts[1]);
        }

        var path = session.TablePath(name);
        if (!Lakehouse.Delta.DeltaTable.ForPath(path).Exists)
        {
            throw Errors.TableNotFound(name, path);
        }

        return path;
    }
}
