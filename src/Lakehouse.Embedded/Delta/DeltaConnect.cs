using Google.Protobuf.WellKnownTypes;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Executes Delta Connect messages: <c>DeltaRelation</c> (in <c>Relation.extension</c>) becomes a DuckDB SELECT —
/// a scan of the table, or the result rows of an operation that runs right here, while the plan is translated, as
/// Delta's own server runs it while planning (so a client must execute such a relation once and not analyze it);
/// <c>DeltaCommand</c> (in <c>Command.extension</c>) runs and returns its result relation.
/// </summary>
internal static class DeltaConnect
{
    /// <summary>True for a packed <c>delta.connect.DeltaRelation</c>.</summary>
    public static bool IsRelation(Any extension) => extension.TypeUrl == DeltaTarget.RelationTypeUrl;

    /// <summary>True for a packed <c>delta.connect.DeltaCommand</c>.</summary>
    public static bool IsCommand(Any extension) => extension.TypeUrl == DeltaTarget.CommandTypeUrl;

    /// <summary>The SELECT a DeltaRelation stands for; DML, restore and optimize run first.</summary>
    /// <param name="session">The session.</param>
    /// <param name="extension">The packed DeltaRelation.</param>
    /// <param name="cancellationToken">Cancels an operation the relation runs.</param>
    /// <param name="limit">A positive LIMIT the caller applies on top: DESCRIBE HISTORY (newest first) then reads only that
    /// many commits, as <c>history(n)</c> is a describe_history with a limit on top (delta-spark's tables.py).</param>
    public static SourceSql RelationSql(EngineSession session, Any extension, CancellationToken cancellationToken, int? limit = null)
    {
        var relation = extension.Unpack<DeltaRelation>();
        if (relation.RelationTypeCase == DeltaRelation.RelationTypeOneofCase.Scan)
        {
            return session.DeltaTableSql(DeltaTarget.PathOf(session, relation.Scan.Table), null, null);
        }

        return new SourceSql(relation.RelationTypeCase switch
        {
            DeltaRelation.RelationTypeOneofCase.DescribeHistory => DeltaDescribe.History(DeltaTarget.PathOf(session, relation.DescribeHistory.Table), limit),
            DeltaRelation.RelationTypeOneofCase.DescribeDetail => DeltaDescribe.Detail(DeltaTarget.PathOf(session, relation.DescribeDetail.Table)),
            DeltaRelation.RelationTypeOneofCase.IsDeltaTable => DeltaMaintenanceSql.IsDeltaTable(relation.IsDeltaTable.Path),
            DeltaRelation.RelationTypeOneofCase.RestoreTable => DeltaMaintenanceSql.Restore(session, relation.RestoreTable),
            DeltaRelation.RelationTypeOneofCase.OptimizeTable => DeltaMaintenanceSql.Optimize(session, relation.OptimizeTable, cancellationToken),
            DeltaRelation.RelationTypeOneofCase.DeleteFromTable => RowLevelCommand.Delete(session, relation.DeleteFromTable, cancellationToken),
            DeltaRelation.RelationTypeOneofCase.UpdateTable => RowLevelCommand.Update(session, relation.UpdateTable, cancellationToken),
            DeltaRelation.RelationTypeOneofCase.MergeIntoTable => MergeCommand.Execute(session, relation.MergeIntoTable, cancellationToken),
            _ => throw Errors.UnsupportedPlan("DeltaRelation." + relation.RelationTypeCase),
        });
    }

    /// <summary>
    /// The result schema of a DeltaRelation that changes the table (DML, restore, optimize), without running it, so
    /// that analyzing such a relation never runs the operation; null for the read-only ones, which are planned.
    /// </summary>
    public static string? ResultShapeSql(Any extension)
    {
        if (!IsRelation(extension))
        {
            return null;
        }

        return extension.Unpack<DeltaRelation>().RelationTypeCase switch
        {
            DeltaRelation.RelationTypeOneofCase.MergeIntoTable => ResultRows.Merge(0, 0, 0),
            DeltaRelation.RelationTypeOneofCase.DeleteFromTable or DeltaRelation.RelationTypeOneofCase.UpdateTable => ResultRows.Longs(("num_affected_rows", 0)),
            DeltaRelation.RelationTypeOneofCase.RestoreTable => DeltaMaintenanceSql.RestoreSql(0, 0, 0, 0, 0, 0),
            DeltaRelation.RelationTypeOneofCase.OptimizeTable => DeltaMaintenanceSql.OptimizeSql("", 0, 0, 0, 0, 0),
            _ => null,
        };
    }

    /// <summary>Runs a DeltaCommand; returns the SELECT of its result rows, or null when it has none.</summary>
    public static string? Command(EngineSession session, Any extension)
    {
        var command = extension.Unpack<DeltaCommand>();
        switch (command.CommandTypeCase)
        {
            case DeltaCommand.CommandTypeOneofCase.VacuumTable:
                return DeltaMaintenanceSql.Vacuum(session, command.VacuumTable);
            case DeltaCommand.CommandTypeOneofCase.CreateDeltaTable:
                CreateTableCommand.Run(session, command.CreateDeltaTable);
                return null;
            default:
                throw Errors.UnsupportedPlan("DeltaCommand." + command.CommandTypeCase);
        }
    }
}
