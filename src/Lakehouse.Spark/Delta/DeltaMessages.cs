using Google.Protobuf.WellKnownTypes;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// Builds the Delta Connect messages (delta-io/delta v4.0.0 <c>relations.proto</c>/<c>commands.proto</c>) the way
/// delta-spark's Python client does (<c>python/delta/connect/plan.py</c>): relations travel packed in
/// <c>Relation.extension</c>, commands in <c>Command.extension</c>.
/// </summary>
internal static class DeltaMessages
{
    internal static Relation Relation(DeltaRelation delta, long planId) =>
        new() { Common = new RelationCommon { PlanId = planId }, Extension = Any.Pack(delta) };

    internal static Command Command(DeltaCommand delta) => new() { Extension = Any.Pack(delta) };

    internal static DeltaRelation Scan(DeltaTableRef table) => new() { Scan = new Scan { Table = table.ToProto() } };

    internal static DeltaRelation History(DeltaTableRef table) => new() { DescribeHistory = new DescribeHistory { Table = table.ToProto() } };

    internal static DeltaRelation Detail(DeltaTableRef table) => new() { DescribeDetail = new DescribeDetail { Table = table.ToProto() } };

    internal static DeltaRelation IsDeltaTable(string path) => new() { IsDeltaTable = new IsDeltaTable { Path = path } };

    internal static DeltaRelation RestoreToVersion(DeltaTableRef table, long version) =>
        new() { RestoreTable = new RestoreTable { Table = table.ToProto(), Version = version } };

    internal static DeltaRelation RestoreToTimestamp(DeltaTableRef table, string timestamp) =>
        new() { RestoreTable = new RestoreTable { Table = table.ToProto(), Timestamp = timestamp } };

    internal static DeltaRelation Delete(Relation target, Column? condition)
    {
        var delete = new DeleteFromTable { Target = target };
        if (condition is not null)
        {
            delete.Condition = condition.Expression;
        }

        return new() { DeleteFromTable = delete };
    }

    internal static DeltaRelation Update(Relation target, Column? condition, IEnumerable<KeyValuePair<string, Column>> set)
    {
        var update = new UpdateTable { Target = target };
        if (condition is not null)
        {
            update.Condition = condition.Expression;
        }

        update.Assignments.AddRange(set.Select(Assignment));
        return new() { UpdateTable = update };
    }

    internal static DeltaRelation Merge(Relation target, Relation source, Column condition, IEnumerable<MergeClause> clauses, bool schemaEvolution)
    {
        // plan.py sends with_schema_evolution always (false unless withSchemaEvolution() was called).
        var merge = new MergeIntoTable { Target = target, Source = source, Condition = condition.Expression, WithSchemaEvolution = schemaEvolution };
        foreach (var clause in clauses)
        {
            var action = Action(clause);
            var list = clause.Group switch
            {
                MergeClauseGroup.Matched => merge.MatchedActions,
                MergeClauseGroup.NotMatched => merge.NotMatchedActions,
                _ => merge.NotMatchedBySourceActions,
            };
            list.Add(action);
        }

        return new() { MergeIntoTable = merge };
    }

    internal static DeltaRelation Optimize(DeltaTableRef table, IEnumerable<string> partitionFilters, IEnumerable<string> zOrderColumns)
    {
        var optimize = new OptimizeTable { Table = table.ToProto() };
        optimize.PartitionFilters.AddRange(partitionFilters);
        optimize.ZorderColumns.AddRange(zOrderColumns);
        return new() { OptimizeTable = optimize };
    }

    internal static DeltaCommand Vacuum(DeltaTableRef table, double? retentionHours)
    {
        var vacuum = new VacuumTable { Table = table.ToProto() };
        if (retentionHours is { } hours)
        {
            vacuum.RetentionHours = hours;
        }

        return new() { VacuumTable = vacuum };
    }

    internal static Protos.Delta.Assignment Assignment(KeyValuePair<string, Column> set) =>
        new() { Field = Functions.Col(set.Key).Expression, Value = set.Value.Expression };

    private static MergeIntoTable.Types.Action Action(MergeClause clause)
    {
        var action = new MergeIntoTable.Types.Action();
        if (clause.Condition is not null)
        {
            action.Condition = clause.Condition.Expression;
        }

        switch (clause.Action)
        {
            case MergeActionKind.Delete:
                action.DeleteAction = new();
                break;
            case MergeActionKind.UpdateAll:
                action.UpdateStarAction = new();
                break;
            case MergeActionKind.InsertAll:
                action.InsertStarAction = new();
                break;
            case MergeActionKind.Update:
                action.UpdateAction = new();
                action.UpdateAction.Assignments.AddRange(clause.Assignments.Select(Assignment));
                break;
            default:
                action.InsertAction = new();
                action.InsertAction.Assignments.AddRange(clause.Assignments.Select(Assignment));
                break;
        }

        return action;
    }
}
