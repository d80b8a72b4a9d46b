using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading.Skipping;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// MERGE with deletion vectors (merge-on-read), as Delta does on tables with <c>delta.enableDeletionVectors=true</c>:
/// after pass 1 (<see cref="MergeJoin.Classify"/>, shared with copy-on-write) has found the touched files, one join of
/// those files with the source keeps only the rows the MERGE changes (<see cref="MergeJoin.ChangedRows"/>, a small
/// temp table; or from pass 1's kept pairs and the source, <see cref="MergeJoin.ChangedRowsFromPairs"/>); the positions
/// of the updated and deleted target rows are added to their files' deletion vectors (union with the current ones), the
/// updated and inserted rows go to new files, and the touched files' other rows are neither read back nor copied.
/// </summary>
internal static class DeletionVectorMerge
{
    /// <summary>What the copy-on-write MERGE has worked out when it hands over.</summary>
    /// <param name="Join">The two passes' join.</param>
    /// <param name="Files">Pass 1's counts per file.</param>
    /// <param name="Touched">Files with a row a clause updates or deletes.</param>
    /// <param name="MatchedElsewhere">Files not touched that hold a match.</param>
    /// <param name="MayInsert">Whether some source row may be inserted.</param>
    /// <param name="Fields">The final schema.</param>
    /// <param name="NewMetadata">New metadata (schema evolution), or null.</param>
    /// <param name="Parameters">commitInfo.operationParameters.</param>
    /// <param name="SourceRows">numSourceRows.</param>
    /// <param name="Started">When the MERGE started.</param>
    /// <param name="ScanStarted">When pass 1 started.</param>
    public sealed record Plan(MergeJoin Join, IReadOnlyList<MergeJoin.FileCounts> Files, IReadOnlyList<AddFile> Touched, IReadOnlyList<AddFile> MatchedElsewhere,
        bool MayInsert, IReadOnlyList<StructField> Fields, Metadata? NewMetadata, IReadOnlyDictionary<string, string> Parameters, long SourceRows,
        DateTimeOffset Started, DateTimeOffset ScanStarted)
    {
        /// <summary>The table of pass 1's matched pairs (<see cref="MergeJoin.ClassifyIntoPairs"/>), when pass 2 is
        /// computed from them; null when pass 2 joins the touched files again.</summary>
        public string? Pairs { get; init; }
    }

    /// <summary>
    /// True when the MERGE marks rows deleted instead of rewriting files: the table enables deletion vectors, some file
    /// is touched, and every touched file has <c>numRecords</c> in its statistics (which a vector requires, PROTOCOL.md,
    /// Per-file Statistics). Otherwise the MERGE stays copy-on-write.
    /// </summary>
    public static bool Applies(Snapshot snapshot, IReadOnlyList<AddFile> touched) =>
        touched.Count > 0 && DeletionVectorDml.Enabled(snapshot) && touched.All(f => FileStats.Parse(f.Stats)?.NumRecords is not null);

    /// <summary>Runs pass 2, writes the vectors and the new rows, commits; returns Delta's result row.</summary>
    public static string Run(EngineSession session, Snapshot snapshot, Plan plan, CommitSettings settings, CancellationToken cancellationToken)
    {
        var changed = $"__lakehouse_merge_changed_{Guid.NewGuid():N}";
        try
        {
            return Run(session, snapshot, plan, settings, changed, cancellationToken);
        }
        finally
        {
            session.NonQuery($"DROP TABLE IF EXISTS {SqlText.Ident(changed)}");
        }
    }

    private static string Run(EngineSession session, Snapshot snapshot, Plan plan, CommitSettings settings, string changed, CancellationToken cancellationToken)
    {
        var files = plan.Files;
        long matchedUpdated = files.Sum(f => f.MatchedUpdated), matchedDeleted = files.Sum(f => f.MatchedDeleted);
        long bySourceUpdated = files.Sum(f => f.BySourceUpdated), bySourceDeleted = files.Sum(f => f.BySourceDeleted);
        var updated = matchedUpdated + bySourceUpdated;
        var rewriteStarted = DateTimeOffset.UtcNow;

        // Only the changed rows are materialized (the batch's size, not the touched files'): the positions come back
        // to .NET, the written rows go to the writer's COPY.
        var join = plan.Join;
        using (new TraceScope("merge-dv-changed", Trace.Start(), changed))
        {
            var rows = plan.Pairs is { } pairs
                ? join.ChangedRowsFromPairs(pairs, plan.MayInsert, plan.Fields)
                : join.ChangedRows(plan.Touched, plan.MatchedElsewhere, plan.MayInsert, plan.Fields);
            session.NonQuery($"CREATE TEMP TABLE {SqlText.Ident(changed)} AS {rows}");
        }

        var marked = DeletionVectorDml.Hits(snapshot, plan.Touched, DeletionVectorDml.PositionsByFile(session, MergeJoin.ChangedPositions(changed)));
        var writes = updated > 0 || plan.MayInsert;
        var rowsSql = writes ? join.WrittenRows(changed, plan.Fields) : null;
        List<Lakehouse.Delta.Data.Writing.DeletionVectorUpdate> updates;
        using (new TraceScope("merge-dv-vectors", Trace.Start(), snapshot.TablePath))
        {
            updates = DeletionVectorDml.Mark(snapshot.TablePath, marked);
        }

        var dropped = updates.Where(u => u.Add is null).ToList();
        long inserted = 0;
        // Change data feed: the changed rows carry the old values of the target rows (MergeJoin.KeepsPreimages).
        var changeData = join.KeepsPreimages ? join.ChangeDataRows(changed, plan.Fields, files.Any(f => f.Pairs != f.PairedRows)) : null;
        CopyOnWrite.Run(session, snapshot, new CopyOnWrite.Change("MERGE", plan.Parameters, [], rowsSql, plan.NewMetadata)
            {
                DeletionVectorUpdates = updates,
                ChangeDataSql = changeData,
            }, settings,
            (adds, outputRows) =>
            {
                // Written rows are the updated ones and the inserted ones.
                inserted = join.CountsInserts ? files.Sum(f => f.Inserted) : outputRows - updated;
                var now = DateTimeOffset.UtcNow;
                return new Dictionary<string, long>
                {
                    ["numSourceRows"] = plan.SourceRows,
                    ["numTargetRowsInserted"] = inserted,
                    ["numTargetRowsUpdated"] = updated,
                    ["numTargetRowsMatchedUpdated"] = matchedUpdated,
                    ["numTargetRowsNotMatchedBySourceUpdated"] = bySourceUpdated,
                    ["numTargetRowsDeleted"] = matchedDeleted + bySourceDeleted,
                    ["numTargetRowsMatchedDeleted"] = matchedDeleted,
                    ["numTargetRowsNotMatchedBySourceDeleted"] = bySourceDeleted,
                    ["numTargetRowsCopied"] = 0,
                    ["numOutputRows"] = outputRows,
                    ["numTargetFilesAdded"] = adds.Count,
                    // Only files whose every row is now deleted leave the table.
                    ["numTargetFilesRemoved"] = dropped.Count,
                    ["numTargetBytesAdded"] = adds.Sum(a => a.Size),
                    ["numTargetBytesRemoved"] = dropped.Sum(u => u.Remove.Size ?? 0),
                    ["numTargetChangeFilesAdded"] = 0,
                    // Delta's MERGE counts a replaced vector as one removed, one added and one updated.
                    ["numTargetDeletionVectorsAdded"] = updates.Count(u => u.Add is not null),
                    ["numTargetDeletionVectorsRemoved"] = updates.Count(u => u.ReplacesVector),
                    ["numTargetDeletionVectorsUpdated"] = updates.Count(u => u.Add is not null && u.ReplacesVector),
                    ["executionTimeMs"] = (long)(now - plan.Started).TotalMilliseconds,
                    ["scanTimeMs"] = (long)(rewriteStarted - plan.ScanStarted).TotalMilliseconds,
                    ["rewriteTimeMs"] = (long)(now - rewriteStarted).TotalMilliseconds,
                };
            }, cancellationToken);
        return ResultRows.Merge(updated, matchedDeleted + bySourceDeleted, inserted);
    }
}
