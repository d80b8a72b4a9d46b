using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading.Skipping;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta's MERGE INTO (copy-on-write; merge-on-read with deletion vectors when the table enables them, see
/// <see cref="DeletionVectorMerge"/>): the source is materialized once; one pass over its keys finds the target files
/// that can hold a match from partition values and min/max statistics (<see cref="MergeFilePruning"/>) before any target
/// data is read; one DuckDB join over those files counts per file the rows each clause kind applies to
/// (<see cref="MergeJoin.Classify"/>); only files with a row that is updated or deleted are rewritten, by one query
/// that joins them with the source again and also yields the inserted rows (<see cref="MergeJoin.Output"/>); the rows
/// are written and committed in one transaction with Delta's operation metrics. Without not-matched-by-source clauses
/// the first join is an inner join and the inserted rows are counted from what the second one writes. On a table with
/// deletion vectors whose MERGE writes only source columns, pass 1 keeps its matched pairs and pass 2 reads those and
/// the source instead of the target files (<see cref="MergeJoin.ClassifyIntoPairs"/>).
/// </summary>
internal static class MergeCommand
{
    /// <summary>Runs the MERGE and returns Delta's result row (num_affected_rows, num_updated_rows, num_deleted_rows, num_inserted_rows) as SQL.</summary>
    public static string Execute(EngineSession session, MergeIntoTable merge, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var target = DeltaTarget.Resolve(session, merge.Target);
        Snapshot snapshot;
        using (new TraceScope("delta-load", Trace.Start(), target.Path))
        {
            snapshot = DmlTable.Load(target.Path);
        }

        var settings = CommitSettings.From(session.Config);
        if (settings.AlreadyApplied(snapshot))
        {
            return ResultRows.Merge(0, 0, 0);
        }

        var sourceTable = $"__lakehouse_merge_source_{Guid.NewGuid():N}";
        var pairsTable = $"__lakehouse_merge_pairs_{Guid.NewGuid():N}";
        var changedTable = $"__lakehouse_merge_changed_{Guid.NewGuid():N}";
        try
        {
            return Run(session, merge, target, snapshot, settings, (sourceTable, pairsTable, changedTable), started, cancellationToken);
        }
        finally
        {
            session.NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(changedTable)}");
            session.NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(pairsTable)}");
            session.NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(sourceTable)}");
        }
    }

    private static string Run(EngineSession session, MergeIntoTable merge, DeltaTarget target, Snapshot snapshot, CommitSettings settings,
        (string Source, string Pairs, string Changed) tables, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var (sourceTable, pairsTable, changedTable) = tables;
        // The source is evaluated once (Delta materializes it too), so both passes see the same rows.
        var translator = new RelationTranslator(session);
        var source = translator.Translate(merge.Source);
        session.NonQuery($"CREATE TEMP TABLE {SqlText.Ident(sourceTable)} AS SELECT *, TRUE AS {MergeJoin.SourceMarker} FROM ({source.Sql})");
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
            var described = session.Describe($"SELECT * EXCLUDE ({MergeJoin.SourceMarker}) FROM {SqlText.Ident(sourceTable)}");
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

        // With the change data feed, the changed rows keep the target's old values (deletes and update preimages).
        var changeData = ChangeData.Enabled(snapshot);
        var join = new MergeJoin(session, snapshot, clauses, condition, sourceTable, targetAlias, sourceAlias) { KeepsPreimages = changeData };
        // On a table with deletion vectors, a MERGE whose written values are all source columns keeps pass 1's matched
        // pairs, and pass 2 reads only them and the source: the target is scanned once (MergeJoin.Pairs.cs). The pairs
        // count matched rows exactly, so the source's keys need no uniqueness test.
        var pairs = DeletionVectorDml.Enabled(snapshot) && join.WritesFromSourceOnly(finalFields, sourceColumns.Select(c => c.Sql).ToHashSet(StringComparer.Ordinal))
            ? pairsTable : null;

        // Candidate files: all of them when not-matched-by-source clauses must see every target row.
        var keys = MergeFilePruning.Keys(merge.Condition, scope, targetFrame, sourceFrame, schema);
        var bySource = clauses.Any(c => c.IsNotMatchedBySource);
        var sourceKeys = MergeFilePruning.Analyze(session, snapshot, keys, sourceTable, sourceAlias, prune: !bySource, uniqueness: pairs is null);
        var candidates = sourceKeys.Candidates;
        var scanStarted = DateTimeOffset.UtcNow;

        // Pass 1: counts per file from one join; nothing is materialized (except the pairs above). Unique source keys
        // mean no target row can match twice, so target rows need not be told apart.
        var files = pairs is not null ? join.ClassifyIntoPairs(candidates, pairs) : join.Classify(candidates, exact: !sourceKeys.UniqueKeys);
        CheckSingleMatch(join, clauses, files, candidates);
        var counts = new RowCounts(files.Sum(f => f.MatchedUpdated), files.Sum(f => f.MatchedDeleted), files.Sum(f => f.BySourceUpdated),
            files.Sum(f => f.BySourceDeleted), files.Sum(f => f.Inserted));
        var byPath = files.Where(f => f.Path is not null).ToDictionary(f => f.Path!, StringComparer.Ordinal);
        MergeJoin.FileCounts? Of(AddFile f) => byPath.GetValueOrDefault(TablePaths.ResolveDataFile(snapshot.TablePath, f.Path));
        var touched = candidates.Where(f => Of(f) is { Modifying: > 0 }).ToList();
        var matchedElsewhere = candidates.Where(f => Of(f) is { Modifying: 0, Pairs: > 0 }).ToList();
        var rewriteStarted = DateTimeOffset.UtcNow;

        // Pass 2: the rows of the touched files as the clauses leave them, and the inserted rows. When pass 1 did not
        // count the inserted rows, they are what pass 2 writes beyond the touched files' surviving rows.
        var mayInsert = join.CountsInserts ? counts.Inserted > 0 : clauses.Any(c => c.IsNotMatched);
        if (DeletionVectorMerge.Applies(snapshot, touched))
        {
            return DeletionVectorMerge.Run(session, snapshot, new DeletionVectorMerge.Plan(join, files, touched, matchedElsewhere, mayInsert, finalFields, newMetadata,
                Parameters(merge, clauses), sourceKeys.Rows, started, scanStarted) { Pairs = pairs }, settings, cancellationToken);
        }

        var severalMatches = files.Any(f => f.Pairs != f.PairedRows);
        string? changeDataSql = null;
        if (changeData && (touched.Count > 0 || mayInsert))
        {
            // The change data comes from the merge-on-read pass 2 (only the changed rows, with their old values), which an
            // insert-only outcome also writes its data from; a rewrite still copies the touched files' other rows.
            using (new TraceScope("merge-changed", Trace.Start(), changedTable))
            {
                var changed = pairs is not null ? join.ChangedRowsFromPairs(pairs, mayInsert, finalFields) : join.ChangedRows(touched, matchedElsewhere, mayInsert, finalFields);
                session.NonQuery($"CREATE TEMP TABLE {SqlText.Ident(changedTable)} AS {changed}");
            }

            changeDataSql = join.ChangeDataRows(changedTable, finalFields, severalMatches);
        }

        var rowsSql = touched.Count == 0 && !mayInsert ? null
            : touched.Count == 0 && changeDataSql is not null ? join.WrittenRows(changedTable, finalFields)
            : touched.Count == 0 && pairs is not null ? join.InsertedRowsFromPairs(pairs, finalFields)
            : join.Output(touched, matchedElsewhere, mayInsert, severalMatches, finalFields);
        var keptTargetRows = join.CountsInserts ? 0 : RowsIn(session, snapshot, touched) - counts.MatchedDeleted;
        var parameters = Parameters(merge, clauses);
        var numSourceRows = sourceKeys.Rows;
        CopyOnWrite.Run(session, snapshot, new CopyOnWrite.Change("MERGE", parameters, touched, rowsSql, newMetadata) { ChangeDataSql = changeDataSql }, settings, (adds, outputRows) =>
        {
            if (!join.CountsInserts)
            {
                counts = counts with { Inserted = outputRows - keptTargetRows };
            }

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
                ["numTargetDeletionVectorsAdded"] = 0,
                ["numTargetDeletionVectorsRemoved"] = touched.Count(f => f.DeletionVector is not null),
                ["numTargetDeletionVectorsUpdated"] = 0,
                ["executionTimeMs"] = (long)(now - started).TotalMilliseconds,
                ["scanTimeMs"] = (long)(rewriteStarted - scanStarted).TotalMilliseconds,
                ["rewriteTimeMs"] = (long)(now - rewriteStarted).TotalMilliseconds,
            };
        }, cancellationToken);
        return ResultRows.Merge(counts.MatchedUpdated + counts.BySourceUpdated, counts.MatchedDeleted + counts.BySourceDeleted, counts.Inserted);
    }

    /// <summary>Delta's rule: a target row that more than one source row would modify is an error, unless the only matched clause is an unconditional delete.</summary>
    private static void CheckSingleMatch(MergeJoin join, List<MergeClause> clauses, List<MergeJoin.FileCounts> files, List<AddFile> candidates)
    {
        var matched = clauses.Where(c => c.IsMatched).ToList();
        if (matched.Count == 0 || (matched.Count == 1 && matched[0] is { Action: MergeActionKind.Delete, ConditionSql: null })
            || files.All(f => f.ModifyingPairs == f.ModifyingRows))
        {
            return;
        }

        var duplicates = join.AmbiguousRows(candidates);
        throw new EmbeddedException("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE", "21506",
            $"Cannot perform Merge as multiple source rows matched and attempted to modify the same target row in the Delta table ({duplicates} target row(s)); "
            + "the result would be ambiguous, since it is unclear which source row should update or delete the target row. "
            + "Preprocess the source so that at most one source row matches each target row (for example, deduplicate it on the merge keys).");
    }

    /// <summary>The rows the files hold (after their deletion vectors), from their statistics, or counted when some file has none.</summary>
    private static long RowsIn(EngineSession session, Snapshot snapshot, IReadOnlyList<AddFile> files)
    {
        if (files.Count == 0)
        {
            return 0;
        }

        // PROTOCOL.md, Per-file Statistics: numRecords counts the file's rows; a deletion vector's cardinality is the rows it removes.
        var records = files.Select(f => FileStats.Parse(f.Stats)?.NumRecords).ToList();
        return records.All(r => r is not null)
            ? records.Sum(r => r!.Value) - files.Sum(f => f.DeletionVector?.Cardinality ?? 0)
            : QueryValues.Count(session, $"SELECT count(*) FROM ({DeltaScanSql.Sql(snapshot, files, session.Rows, rowIds: false)})");
    }

    private sealed record RowCounts(long MatchedUpdated, long MatchedDeleted, long BySourceUpdated, long BySourceDeleted, long Inserted);

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
