using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta's MERGE INTO, copy-on-write: the source is materialized once; the target files that can hold a match are
/// found from partition values and min/max statistics (<see cref="MergeFilePruning"/>) before any target data is read;
/// one DuckDB join over those files and the source classifies every row by the first clause that applies; only files
/// with a row that is updated or deleted are rewritten; the rewritten rows and the inserted rows are written by
/// Lakehouse.Delta and committed in one transaction with Delta's operation metrics.
/// </summary>
internal static class MergeCommand
{
    private const string ClauseColumn = "__lakehouse_clause";
    private const string SourceRowColumn = "__lakehouse_src_row";

    /// <summary>Runs the MERGE and returns Delta's result row (num_affected_rows, num_updated_rows, num_deleted_rows, num_inserted_rows) as SQL.</summary>
    public static string Execute(EngineSession session, MergeIntoTable merge, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var target = DeltaTarget.Resolve(session, merge.Target);
        var snapshot = DmlTable.Load(target.Path);
        var settings = CommitSettings.From(session.Config);
        if (settings.AlreadyApplied(snapshot))
        {
            return ResultRows.Merge(0, 0, 0);
        }

        var id = Guid.NewGuid().ToString("N");
        var sourceTable = $"__lakehouse_merge_source_{id}";
        var classTable = $"__lakehouse_merge_rows_{id}";
        try
        {
            return Run(session, merge, target, snapshot, settings, sourceTable, classTable, started, cancellationToken);
        }
        finally
        {
            session.NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(sourceTable)}");
            session.NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(classTable)}");
        }
    }

    private static string Run(EngineSession session, MergeIntoTable merge, DeltaTarget target, Snapshot snapshot, CommitSettings settings,
        string sourceTable, string classTable, DateTimeOffset started, CancellationToken cancellationToken)
    {
        // The source is evaluated once (Delta materializes it too), so both passes see the same rows.
        var translator = new RelationTranslator(session);
        var source = translator.Translate(merge.Source);
        session.NonQuery($"CREATE TEMP TABLE {SqlText.Ident(sourceTable)} AS SELECT *, row_number() OVER () AS {SourceRowColumn} FROM ({source.Sql})");
        var sourceAlias = merge.Source.SubqueryAlias is { } sa ? sa.Alias : "__source";
        var targetAlias = target.Alias ?? "__target";
        if (sourceAlias.Equals(targetAlias, StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidArgument("merge aliases", $"the target and the source are both aliased '{targetAlias}'; give them different aliases");
        }

        var schema = snapshot.Schema;
        var targetFrame = new Frame(
            "SELECT " + string.Join(", ", schema.Fields.Select(f => $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}")) + " WHERE FALSE",
            schema.Fields.Select(f => new FrameColumn(f.Name, f.Name, target.Alias, target.PlanIds.ToImmutableHashSet())).ToList());
        var sourceFrame = new Frame($"SELECT * FROM {SqlText.Ident(sourceTable)}", source.Columns);
        var scope = new Scope([(targetAlias, targetFrame), (sourceAlias, sourceFrame)]);
        var tx = translator.Expressions(scope);
        var condition = tx.Translate(merge.Condition).Sql;
        var sourceColumns = source.Columns.Select(c => (c.Name, Sql: SqlText.Ident(sourceAlias) + "." + SqlText.Ident(c.Physical))).ToList();

        // Schema evolution: source columns the target lacks are added when a * clause would write them.
        var evolve = merge.HasWithSchemaEvolution && merge.WithSchemaEvolution;
        var hasStar = merge.MatchedActions.Concat(merge.NotMatchedActions).Any(a => a.ActionTypeCase is MergeIntoTable.Types.Action.ActionTypeOneofCase.UpdateStarAction
            or MergeIntoTable.Types.Action.ActionTypeOneofCase.InsertStarAction);
        var finalFields = schema.Fields.ToList();
        Metadata? newMetadata = null;
        if (evolve && hasStar)
        {
            var described = session.Describe($"SELECT * EXCLUDE ({SourceRowColumn}) FROM {SqlText.Ident(sourceTable)}");
            var added = source.Columns.Select((c, i) => (c.Name, Type: described[i].Type))
                .Where(c => schema.Find(c.Name) is null)
                .DistinctBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => new StructField(c.Name, Types.FromDuckDb(c.Type) ?? PrimitiveType.String))
                .ToList();
            if (added.Count > 0)
            {
                if (snapshot.ColumnMapping != ColumnMappingMode.None)
                {
                    throw Errors.Unsupported("schema evolution with column mapping", "MERGE schema evolution on a table with column mapping");
                }

                finalFields.AddRange(added);
                newMetadata = snapshot.Metadata with { SchemaString = SchemaJson.ToJson(new StructType(finalFields)) };
            }
        }

        var builder = new MergeClauseBuilder(tx, target.Alias, finalFields, schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase), sourceColumns, evolve);
        var clauses = builder.Build(merge.MatchedActions, 0, "matched")
            .Concat(builder.Build(merge.NotMatchedActions, MergeClause.NotMatchedBase, "notMatched"))
            .Concat(builder.Build(merge.NotMatchedBySourceActions, MergeClause.NotMatchedBySourceBase, "notMatchedBySource"))
            .ToList();

        // Candidate files: all of them when not-matched-by-source clauses must see every target row.
        var keys = MergeFilePruning.Keys(merge.Condition, scope, targetFrame, sourceFrame, schema);
        var bySource = clauses.Any(c => c.IsNotMatchedBySource);
        var candidates = bySource ? snapshot.Files.ToList() : MergeFilePruning.Candidates(session, snapshot, keys, sourceTable, sourceAlias);
        var scanStarted = DateTimeOffset.UtcNow;

        // Pass 1: one join classifies rows; only rows some clause applies to are kept (ids and the clause code).
        Classify(session, snapshot, candidates, clauses, condition, sourceTable, classTable, targetAlias, sourceAlias);
        CheckSingleMatch(session, clauses, classTable);
        var counts = Counts(session, clauses, classTable);
        var touchedPaths = QueryValues.Strings(session, $"SELECT DISTINCT {DeltaScanSql.FileColumn} FROM {SqlText.Ident(classTable)} WHERE {ClauseColumn} < {MergeClause.NotMatchedBase} OR {ClauseColumn} > {MergeClause.NotMatchedBySourceBase}").ToHashSet(StringComparer.Ordinal);
        var touched = candidates.Where(f => touchedPaths.Contains(f.Path)).ToList();
        var rewriteStarted = DateTimeOffset.UtcNow;

        // Pass 2: the rows of the touched files as the clauses leave them, and the inserted rows.
        var rowsSql = touched.Count == 0 && counts.Inserted == 0 ? null
            : Output(session, snapshot, touched, clauses, finalFields, classTable, sourceTable, targetAlias, sourceAlias);
        var parameters = Parameters(merge, clauses);
        var numSourceRows = QueryValues.Count(session, $"SELECT count(*) FROM {SqlText.Ident(sourceTable)}");
        CopyOnWrite.Run(session, snapshot, new CopyOnWrite.Change("MERGE", parameters, touched, rowsSql, newMetadata), settings, (adds, outputRows) =>
        {
            var now = DateTimeOffset.UtcNow;
            return new Dictionary<string, long>
            {
                ["numSourceRows"] = numSourceRows,
                ["numTargetRowsInserted"] = counts.Inserted,
                ["numTargetRowsUpdated"] = counts.MatchedUpdated + counts.BySourceUpdated,
                ["numTargetRowsMatchedUpdated"] = counts.MatchedUpdated,
                ["numTargetRowsNotMatchedBySourceUpdated"] = counts.BySourceUpdated,
                ["numTargetRowsDeleted"] = counts.MatchedDeleted + counts.BySourceDeleted,
                ["numTargetRowsMatchedDeleted"] = counts.MatchedDeleted,
                ["numTargetRowsNotMatchedBySourceDeleted"] = counts.BySourceDeleted,
                ["numTargetRowsCopied"] = outputRows - counts.Inserted - counts.MatchedUpdated - counts.BySourceUpdated,
                ["numOutputRows"] = outputRows,
                ["numTargetFilesAdded"] = adds.Count,
                ["numTargetFilesRemoved"] = touched.Count,
                ["numTargetBytesAdded"] = adds.Sum(a => a.Size),
                ["numTargetBytesRemoved"] = touched.Sum(a => a.Size),
                ["numTargetChangeFilesAdded"] = 0,
                ["executionTimeMs"] = (long)(now - started).TotalMilliseconds,
                ["scanTimeMs"] = (long)(rewriteStarted - scanStarted).TotalMilliseconds,
                ["rewriteTimeMs"] = (long)(now - rewriteStarted).TotalMilliseconds,
            };
        }, cancellationToken);
        return ResultRows.Merge(counts.MatchedUpdated + counts.BySourceUpdated, counts.MatchedDeleted + counts.BySourceDeleted, counts.Inserted);
    }

    private static void Classify(EngineSession session, Snapshot snapshot, List<AddFile> candidates, List<MergeClause> clauses, string condition,
        string sourceTable, string classTable, string targetAlias, string sourceAlias)
    {
        string Case(IEnumerable<MergeClause> kind) => kind.Any()
            ? "CASE " + string.Concat(kind.Select(c => $"WHEN {c.ConditionSql ?? "TRUE"} THEN {c.Code} ")) + "ELSE 0 END"
            : "0";
        var t = SqlText.Ident(targetAlias);
        var s = SqlText.Ident(sourceAlias);
        var targetOnly = clauses.Any(c => c.IsNotMatchedBySource);
        var sourceOnly = clauses.Any(c => c.IsNotMatched);
        var join = (targetOnly, sourceOnly) switch
        {
            (true, true) => "FULL OUTER JOIN",
            (true, false) => "LEFT JOIN",
            (false, true) => "RIGHT JOIN",
            _ => "INNER JOIN",
        };
        var scan = DeltaScanSql.Sql(snapshot, candidates, session.Describe, rowIds: true);
        var inTarget = $"{t}.{DeltaScanSql.FileColumn} IS NOT NULL";
        var inSource = $"{s}.{SourceRowColumn} IS NOT NULL";
        var clause = $"CASE WHEN {inTarget} AND {inSource} THEN {Case(clauses.Where(c => c.IsMatched))} "
                   + $"WHEN {inSource} THEN {Case(clauses.Where(c => c.IsNotMatched))} "
                   + $"ELSE {Case(clauses.Where(c => c.IsNotMatchedBySource))} END";
        session.NonQuery($"CREATE TEMP TABLE {SqlText.Ident(classTable)} AS SELECT * FROM ("
            + $"SELECT {t}.{DeltaScanSql.FileColumn} AS {DeltaScanSql.FileColumn}, {t}.{DeltaScanSql.PositionColumn} AS {DeltaScanSql.PositionColumn}, "
            + $"{s}.{SourceRowColumn} AS {SourceRowColumn}, {clause} AS {ClauseColumn} "
            + $"FROM ({scan}) AS {t} {join} {SqlText.Ident(sourceTable)} AS {s} ON ({condition})) WHERE {ClauseColumn} > 0");
    }

    /// <summary>Delta's rule: a target row that more than one source row would modify is an error, unless the only matched clause is an unconditional delete.</summary>
    private static void CheckSingleMatch(EngineSession session, List<MergeClause> clauses, string classTable)
    {
        var matched = clauses.Where(c => c.IsMatched).ToList();
        if (matched.Count == 0 || (matched.Count == 1 && matched[0] is { Action: MergeActionKind.Delete, ConditionSql: null }))
        {
            return;
        }

        var duplicates = QueryValues.Count(session, $"SELECT count(*) FROM (SELECT 1 FROM {SqlText.Ident(classTable)} WHERE {ClauseColumn} < {MergeClause.NotMatchedBase} "
            + $"GROUP BY {DeltaScanSql.FileColumn}, {DeltaScanSql.PositionColumn} HAVING count(*) > 1)");
        if (duplicates > 0)
        {
            throw new EmbeddedException("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE", "21506",
                $"Cannot perform Merge as multiple source rows matched and attempted to modify the same target row in the Delta table ({duplicates} target row(s)); "
                + "the result would be ambiguous, since it is unclear which source row should update or delete the target row. "
                + "Preprocess the source so that at most one source row matches each target row (for example, deduplicate it on the merge keys).");
        }
    }

    private sealed record RowCounts(long MatchedUpdated, long MatchedDeleted, long BySourceUpdated, long BySourceDeleted, long Inserted);

    private static RowCounts Counts(EngineSession session, List<MergeClause> clauses, string classTable)
    {
        string Codes(Func<MergeClause, bool> which) => clauses.Where(which).Select(c => c.Code.ToString(CultureInfo.InvariantCulture)).DefaultIfEmpty("-1").Aggregate((a, b) => a + ", " + b);
        var row = $"({DeltaScanSql.FileColumn}, {DeltaScanSql.PositionColumn})";
        var sql = $"SELECT count(*) FILTER (WHERE {ClauseColumn} IN ({Codes(c => c.IsMatched && c.Action == MergeActionKind.Update)})), "
                + $"count(DISTINCT {row}) FILTER (WHERE {ClauseColumn} IN ({Codes(c => c.IsMatched && c.Action == MergeActionKind.Delete)})), "
                + $"count(*) FILTER (WHERE {ClauseColumn} IN ({Codes(c => c.IsNotMatchedBySource && c.Action == MergeActionKind.Update)})), "
                + $"count(*) FILTER (WHERE {ClauseColumn} IN ({Codes(c => c.IsNotMatchedBySource && c.Action == MergeActionKind.Delete)})), "
                + $"count(*) FILTER (WHERE {ClauseColumn} IN ({Codes(c => c.IsNotMatched)})) FROM {SqlText.Ident(classTable)}";
        var values = QueryValues.Longs(session, sql);
        return new RowCounts(values[0], values[1], values[2], values[3], values[4]);
    }

    private static string Output(EngineSession session, Snapshot snapshot, List<AddFile> touched, List<MergeClause> clauses, List<StructField> fields,
        string classTable, string sourceTable, string targetAlias, string sourceAlias)
    {
        var t = SqlText.Ident(targetAlias);
        var s = SqlText.Ident(sourceAlias);
        const string c = "\"__lakehouse_c\"";
        var existing = snapshot.Schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string Cast(string sql, StructField f) => $"CAST({sql} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}";
        var updates = clauses.Where(x => x.Action == MergeActionKind.Update).ToList();
        var inserts = clauses.Where(x => x.Action == MergeActionKind.Insert).ToList();
        var targetColumns = fields.Select(f =>
        {
            var current = existing.Contains(f.Name) ? $"{t}.{SqlText.Ident(f.Name)}" : "NULL";
            var cases = string.Concat(updates.Where(u => u.Values.ContainsKey(f.Name)).Select(u => $"WHEN {u.Code} THEN {u.Values[f.Name]} "));
            return Cast(cases.Length == 0 ? current : $"CASE {c}.{ClauseColumn} {cases}ELSE {current} END", f);
        });
        var deletes = clauses.Where(x => x.Action == MergeActionKind.Delete).Select(x => x.Code.ToString(CultureInfo.InvariantCulture)).DefaultIfEmpty("-1");
        var modifying = $"SELECT * FROM {SqlText.Ident(classTable)} WHERE {ClauseColumn} < {MergeClause.NotMatchedBase} OR {ClauseColumn} > {MergeClause.NotMatchedBySourceBase} "
                      + $"QUALIFY row_number() OVER (PARTITION BY {DeltaScanSql.FileColumn}, {DeltaScanSql.PositionColumn} ORDER BY {ClauseColumn}) = 1";
        var rewritten = $"SELECT {string.Join(", ", targetColumns)} FROM ({DeltaScanSql.Sql(snapshot, touched, session.Describe, rowIds: true)}) AS {t} "
            + $"LEFT JOIN ({modifying}) AS {c} ON {t}.{DeltaScanSql.FileColumn} = {c}.{DeltaScanSql.FileColumn} AND {t}.{DeltaScanSql.PositionColumn} = {c}.{DeltaScanSql.PositionColumn} "
            + $"LEFT JOIN {SqlText.Ident(sourceTable)} AS {s} ON {s}.{SourceRowColumn} = {c}.{SourceRowColumn} "
            + $"WHERE {c}.{ClauseColumn} IS NULL OR {c}.{ClauseColumn} NOT IN ({string.Join(", ", deletes)})";
        if (inserts.Count == 0)
        {
            return rewritten;
        }

        var insertColumns = fields.Select(f =>
        {
            var cases = string.Concat(inserts.Select(i => $"WHEN {i.Code} THEN {i.Values.GetValueOrDefault(f.Name, "NULL")} "));
            return Cast($"CASE {c}.{ClauseColumn} {cases}END", f);
        });
        var inserted = $"SELECT {string.Join(", ", insertColumns)} FROM {SqlText.Ident(classTable)} AS {c} "
            + $"JOIN {SqlText.Ident(sourceTable)} AS {s} ON {s}.{SourceRowColumn} = {c}.{SourceRowColumn} "
            + $"WHERE {c}.{ClauseColumn} > {MergeClause.NotMatchedBase} AND {c}.{ClauseColumn} < {MergeClause.NotMatchedBySourceBase}";
        return $"{rewritten} UNION ALL {inserted}";
    }

    private static Dictionary<string, string> Parameters(MergeIntoTable merge, List<MergeClause> clauses)
    {
        string Predicates(Func<MergeClause, bool> which) => JsonSerializer.Serialize(clauses.Where(which)
            .Select(c => c.ConditionText is { } p ? new Dictionary<string, string> { ["predicate"] = p, ["actionType"] = c.ActionType } : new Dictionary<string, string> { ["actionType"] = c.ActionType }));
        return new Dictionary<string, string>
        {
            ["predicate"] = JsonSerializer.Serialize(new[] { ConditionDisplay.Of(merge.Condition) }),
            ["matchedPredicates"] = Predicates(c => c.IsMatched),
            ["notMatchedPredicates"] = Predicates(c => c.IsNotMatched),
            ["notMatchedBySourcePredicates"] = Predicates(c => c.IsNotMatchedBySource),
        };
    }
}
