using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Data.Reading.Skipping;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta's DELETE and UPDATE, copy-on-write, or with deletion vectors on tables that enable them
/// (<see cref="DeletionVectorDml"/>: matched rows are marked deleted, an UPDATE writes the new rows to a new file). Files are skipped by partition values and statistics before any data is
/// read; a condition on partition columns only is decided per file from its partition values (a DELETE then removes
/// whole files without rewriting them); otherwise the files that have a matching row are rewritten with the other rows
/// copied, in one commit with Delta's operation metrics. Both return <c>num_affected_rows</c>.
/// </summary>
internal static class RowLevelCommand
{
    public static string Delete(EngineSession session, DeleteFromTable delete, CancellationToken cancellationToken) =>
        Run(session, delete.Target, delete.Condition, null, cancellationToken);

    public static string Update(EngineSession session, UpdateTable update, CancellationToken cancellationToken) =>
        Run(session, update.Target, update.Condition, update.Assignments, cancellationToken);

    private static string Run(EngineSession session, Relation targetRelation, Expression? condition, IReadOnlyList<Assignment>? assignments, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var isUpdate = assignments is not null;
        var target = DeltaTarget.Resolve(session, targetRelation);
        var snapshot = DmlTable.Load(target.Path);
        var settings = CommitSettings.From(session.Config);
        if (settings.AlreadyApplied(snapshot))
        {
            return ResultRows.Longs(("num_affected_rows", 0));
        }

        var alias = target.Alias ?? "__target";
        var schema = snapshot.Schema;
        var frame = new Frame(
            "SELECT " + string.Join(", ", schema.Fields.Select(f => $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}")) + " WHERE FALSE",
            schema.Fields.Select(f => new FrameColumn(f.Name, f.Name, target.Alias, target.PlanIds.ToImmutableHashSet())).ToList());
        var tx = new RelationTranslator(session).Expressions(Scope.Of(alias, frame));
        var conditionSql = condition is null ? "TRUE" : tx.Translate(condition).Sql;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in assignments ?? [])
        {
            var name = AssignedColumn(a.Field, target.Alias, schema.Fields.Select(f => f.Name).ToList());
            if (!values.TryAdd(name, tx.Translate(a.Value).Sql))
            {
                throw new EmbeddedException("DELTA_UPDATE_DUPLICATE_ASSIGNMENT", "42701", $"The column `{name}` is assigned more than once. Assign each column once.");
            }
        }

        // Skipping: statistics and partition values, before any data is read.
        var predicate = condition is null ? null : SkippingPredicate.From(condition, target.Alias);
        var candidates = predicate is null ? snapshot.Files.ToList() : new DeltaScan(snapshot, predicate).Files.Select(f => f.Add).ToList();
        var scanStarted = DateTimeOffset.UtcNow;
        var t = SqlText.Ident(alias);
        var useDv = DeletionVectorDml.Enabled(snapshot);
        var marked = new List<(AddFile File, List<long> Rows)>();
        bool whole;
        List<AddFile> touched;
        long affected;
        if (PartitionOnly(session, snapshot, candidates, conditionSql, alias) is { } exact)
        {
            (whole, touched, affected) = (!isUpdate, exact, exact.Sum(f => CopyOnWrite.NumRecords(f) - (f.DeletionVector?.Cardinality ?? 0)));
        }
        else if (useDv)
        {
            // Merge-on-read: matched rows are marked in deletion vectors; a file without numRecords (which a vector
            // needs, PROTOCOL.md, Per-file Statistics) is rewritten as before.
            var hits = DeletionVectorDml.Matching(session, snapshot, candidates, conditionSql, t);
            var withRecords = hits.ToLookup(h => FileStats.Parse(h.File.Stats)?.NumRecords is not null);
            marked = [.. withRecords[true]];
            (whole, touched, affected) = (false, withRecords[false].Select(h => h.File).ToList(), hits.Sum(h => (long)h.Rows.Count));
        }
        else
        {
            (whole, touched, affected) = Matching(session, snapshot, candidates, conditionSql, t);
        }

        var rewriteStarted = DateTimeOffset.UtcNow;

        var projection = string.Join(", ", schema.Fields.Select(f => $"CAST({(values.TryGetValue(f.Name, out var v) ? $"CASE WHEN ({conditionSql}) THEN {v} ELSE {t}.{SqlText.Ident(f.Name)} END" : $"{t}.{SqlText.Ident(f.Name)}")} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"));
        var queries = new List<string>();
        if (touched.Count > 0 && !whole)
        {
            var scan = DeltaScanSql.Sql(snapshot, touched, session.Rows, rowIds: false);
            queries.Add(isUpdate
                ? $"SELECT {projection} FROM ({scan}) AS {t}"
                : $"SELECT * FROM ({scan}) AS {t} WHERE ({conditionSql}) IS NOT TRUE");
        }

        if (isUpdate && marked.Count > 0)
        {
            // The updated rows go to a new file; the old versions are deleted by the vectors.
            var scan = DeltaScanSql.Sql(snapshot, marked.Select(m => m.File), session.Rows, rowIds: false);
            queries.Add($"SELECT {projection} FROM ({scan}) AS {t} WHERE ({conditionSql}) IS TRUE");
        }

        var rowsSql = queries.Count == 0 ? null : string.Join(" UNION ALL ", queries.Select(q => $"SELECT * FROM ({q})"));
        var dvUpdates = DeletionVectorDml.Mark(snapshot.TablePath, marked);
        var dropped = dvUpdates.Where(u => u.Add is null).ToList();

        var operation = isUpdate ? "UPDATE" : "DELETE";
        var parameters = new Dictionary<string, string>
        {
            ["predicate"] = JsonSerializer.Serialize(condition is null ? [] : new[] { ConditionDisplay.Of(condition) }),
        };
        var change = new CopyOnWrite.Change(operation, parameters, touched, rowsSql, null)
        {
            DeletionVectorUpdates = dvUpdates,
            ChangeDataSql = affected > 0 && ChangeData.Enabled(snapshot) ? ChangeDataRows(session, snapshot, [.. touched, .. marked.Select(m => m.File)], conditionSql, t, isUpdate ? projection : null) : null,
        };
        CopyOnWrite.Run(session, snapshot, change, settings, (adds, outputRows) =>
        {
            var now = DateTimeOffset.UtcNow;
            var metrics = new Dictionary<string, long>
            {
                ["numRemovedFiles"] = touched.Count + dropped.Count,
                ["numRemovedBytes"] = touched.Sum(f => f.Size) + dropped.Sum(u => u.Remove.Size ?? 0),
                ["numAddedFiles"] = adds.Count,
                ["numAddedBytes"] = adds.Sum(f => f.Size),
                [isUpdate ? "numUpdatedRows" : "numDeletedRows"] = affected,
                ["numCopiedRows"] = isUpdate ? outputRows - affected : outputRows,
                ["numAddedChangeFiles"] = 0,
                ["executionTimeMs"] = (long)(now - started).TotalMilliseconds,
                ["scanTimeMs"] = (long)(rewriteStarted - scanStarted).TotalMilliseconds,
                ["rewriteTimeMs"] = (long)(now - rewriteStarted).TotalMilliseconds,
            };
            if (useDv)
            {
                // As Delta counts them: a replaced vector is one added, one removed and one updated.
                metrics["numDeletionVectorsAdded"] = dvUpdates.Count(u => u.Add is not null);
                metrics["numDeletionVectorsUpdated"] = dvUpdates.Count(u => u.Add is not null && u.ReplacesVector);
                metrics["numDeletionVectorsRemoved"] = dvUpdates.Count(u => u.ReplacesVector) + touched.Count(f => f.DeletionVector is not null);
            }

            return metrics;
        }, cancellationToken);
        return ResultRows.Longs(("num_affected_rows", affected));
    }

    /// <summary>
    /// The change data rows (<see cref="ChangeData"/>) of a DELETE (<paramref name="projection"/> null: the matching rows as
    /// <c>delete</c>) or an UPDATE (their old values as <c>update_preimage</c>, the projection's as <c>update_postimage</c>),
    /// read from the files that have a matching row. Rows an existing deletion vector removes are not read.
    /// </summary>
    private static string ChangeDataRows(EngineSession session, Snapshot snapshot, IReadOnlyList<AddFile> files, string conditionSql, string t, string? projection)
    {
        var scan = DeltaScanSql.Sql(snapshot, files, session.Rows, rowIds: false);
        var type = SqlText.Ident(ChangeData.ChangeTypeColumn);
        var before = $"SELECT {t}.*, {ChangeData.Type(projection is null ? "delete" : "update_preimage")} AS {type} FROM ({scan}) AS {t} WHERE ({conditionSql}) IS TRUE";
        return projection is null ? before
            : $"{before} UNION ALL SELECT {projection}, {ChangeData.Type("update_postimage")} AS {type} FROM ({scan}) AS {t} WHERE ({conditionSql}) IS TRUE";
    }

    /// <summary>
    /// When the condition names partition columns only, the files whose partition values satisfy it (every row of
    /// such a file matches), decided by DuckDB over one row of partition values per file; null otherwise.
    /// </summary>
    private static List<AddFile>? PartitionOnly(EngineSession session, Snapshot snapshot, List<AddFile> files, string conditionSql, string alias)
    {
        var partitions = snapshot.PartitionColumns.Select(p => snapshot.Schema[p]).ToList();
        if (conditionSql == "TRUE")
        {
            return files;
        }

        if (partitions.Count == 0 || files.Count == 0)
        {
            return null;
        }

        var mode = snapshot.ColumnMapping;
        var rows = files.Select((f, i) => "(" + string.Join(", ", new[] { i.ToString(CultureInfo.InvariantCulture) }.Concat(partitions.Select(p =>
        {
            var raw = f.PartitionValues.TryGetValue(p.PhysicalName(mode), out var v) ? v : null;
            return raw is null || (raw.Length == 0 && p.Type != Lakehouse.Delta.Schema.PrimitiveType.String)
                ? $"CAST(NULL AS {Types.ToDuckDb(p.Type)})"
                : $"CAST({SqlText.Str(raw)} AS {Types.ToDuckDb(p.Type)})";
        }))) + ")");
        var columns = string.Join(", ", new[] { "__fid" }.Concat(partitions.Select(p => SqlText.Ident(p.Name))));
        try
        {
            var hits = QueryValues.Strings(session,
                $"SELECT CAST(__fid AS VARCHAR) FROM (VALUES {string.Join(", ", rows)}) AS {SqlText.Ident(alias)}({columns}) WHERE ({conditionSql}) IS TRUE")
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();
            return files.Where((_, i) => hits.Contains(i)).ToList();
        }
        catch (EmbeddedException)
        {
            // The condition names a data column: decide row by row.
            return null;
        }
    }

    private static (bool Whole, List<AddFile> Touched, long Affected) Matching(EngineSession session, Snapshot snapshot, List<AddFile> candidates, string conditionSql, string t)
    {
        if (candidates.Count == 0)
        {
            return (false, [], 0);
        }

        var scan = DeltaScanSql.Sql(snapshot, candidates, session.Rows, rowIds: true, positions: false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in session.QueryAsync($"SELECT {DeltaScanSql.FileColumn}, count(*) FROM ({scan}) AS {t} WHERE ({conditionSql}) IS TRUE GROUP BY 1", CancellationToken.None).ToBlockingEnumerable())
        {
            for (var i = 0; i < batch.Length; i++)
            {
                counts[(string)ArrowResults.Value(batch.Column(0), i)!] = Convert.ToInt64(ArrowResults.Value(batch.Column(1), i), CultureInfo.InvariantCulture);
            }
        }

        return (false, candidates.Where(f => counts.ContainsKey(TablePaths.ResolveDataFile(snapshot.TablePath, f.Path))).ToList(), counts.Values.Sum());
    }

    private static string AssignedColumn(Expression field, string? alias, List<string> columns)
    {
        var identifier = field.ExprTypeCase switch
        {
            Expression.ExprTypeOneofCase.UnresolvedAttribute => field.UnresolvedAttribute.UnparsedIdentifier,
            Expression.ExprTypeOneofCase.ExpressionString => field.ExpressionString.Expression.Trim(),
            _ => throw Errors.InvalidArgument("update assignment", $"the assigned field must be a column name, not a {field.ExprTypeCase}"),
        };
        var parts = Scope.SplitIdentifier(identifier);
        if (parts.Count == 2 && alias is not null && parts[0].Equals(alias, StringComparison.OrdinalIgnoreCase))
        {
            parts.RemoveAt(0);
        }

        if (parts.Count != 1)
        {
            throw Errors.Unsupported("nested field assignment", $"Assigning '{identifier}' (nested fields)");
        }

        return columns.FirstOrDefault(c => c.Equals(parts[0], StringComparison.OrdinalIgnoreCase)) ?? throw Errors.UnresolvedColumn(identifier, columns.Take(5));
    }
}
