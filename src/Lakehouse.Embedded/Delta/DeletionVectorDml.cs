using Apache.Arrow;
using Lakehouse.Delta;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.TableFeatures;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Execution;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// DELETE and UPDATE with deletion vectors (merge-on-read): the positions of the matching rows are marked in each
/// file's deletion vector, unioned with the rows it already deletes, instead of copying the file's other rows.
/// Used only on tables with <c>delta.enableDeletionVectors=true</c> whose protocol supports the feature, as Delta does.
/// </summary>
internal static class DeletionVectorDml
{
    /// <summary>True when DML on the table marks rows deleted instead of rewriting files.</summary>
    public static bool Enabled(Snapshot snapshot) =>
        new TableProperties(snapshot.Metadata.Configuration).EnableDeletionVectors && TableFeatureSupport.IsEnabled(snapshot.Protocol, TableCreation.DeletionVectorsFeature);

    /// <summary>
    /// The files of <paramref name="candidates"/> with a row where the condition is TRUE, each with the physical
    /// positions (<c>file_row_number</c>) of those rows. Rows an existing deletion vector removes are not scanned, so
    /// they never match again.
    /// </summary>
    public static List<(AddFile File, List<long> Rows)> Matching(EngineSession session, Snapshot snapshot, IReadOnlyList<AddFile> candidates, string conditionSql, string t)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var scan = DeltaScanSql.Sql(snapshot, candidates, session.Rows, rowIds: true, positions: true);
        return Hits(snapshot, candidates, PositionsByFile(session,
            $"SELECT {DeltaScanSql.FileColumn}, list({DeltaScanSql.PositionColumn}) FROM ({scan}) AS {t} WHERE ({conditionSql}) IS TRUE GROUP BY 1"));
    }

    /// <summary>
    /// Runs <paramref name="sql"/>, whose rows are a file's absolute path and a list of its row positions (one row per
    /// file, not per position: a path string per changed row cost more than the positions), and returns the positions by path.
    /// </summary>
    public static Dictionary<string, List<long>> PositionsByFile(EngineSession session, string sql)
    {
        var positions = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var batch in session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable())
        {
            var files = batch.Column(0);
            var lists = (ListArray)batch.Column(1);
            var values = (Int64Array)lists.Values;
            for (var i = 0; i < batch.Length; i++)
            {
                var list = new List<long>(lists.GetValueLength(i));
                for (var j = lists.ValueOffsets[i]; j < lists.ValueOffsets[i + 1]; j++)
                {
                    list.Add(values.GetValue(j)!.Value);
                }

                positions[(string)ArrowResults.Value(files, i)!] = list;
            }
        }

        return positions;
    }

    /// <summary>The files of <paramref name="files"/> that have positions in <paramref name="positions"/> (keyed by the
    /// absolute path a scan reports, <see cref="DeltaScanSql.FileColumn"/>), with them, in the order of <paramref name="files"/>.</summary>
    public static List<(AddFile File, List<long> Rows)> Hits(Snapshot snapshot, IEnumerable<AddFile> files, Dictionary<string, List<long>> positions) =>
        [.. files.Select(f => (File: f, Rows: positions.GetValueOrDefault(TablePaths.ResolveDataFile(snapshot.TablePath, f.Path))))
            .Where(h => h.Rows is not null)
            .Select(h => (h.File, h.Rows!))];

    /// <summary>
    /// Writes the new deletion vector of every file (the union with its current one). When one fails, the vectors
    /// already written are deleted again, so a failed operation leaves no orphans behind.
    /// </summary>
    public static List<DeletionVectorUpdate> Mark(string tablePath, IReadOnlyList<(AddFile File, List<long> Rows)> marked)
    {
        var updates = new List<DeletionVectorUpdate>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            foreach (var (file, rows) in marked)
            {
                if (DeletionVectorWriter.MarkDeleted(tablePath, file, rows, now) is { } update)
                {
                    updates.Add(update);
                }
            }

            return updates;
        }
        catch
        {
            DeleteVectors(tablePath, updates);
            throw;
        }
    }

    /// <summary>Deletes the vector files <paramref name="updates"/> wrote (best effort: vacuum removes what is left).</summary>
    public static void DeleteVectors(string tablePath, IEnumerable<DeletionVectorUpdate> updates)
    {
        foreach (var path in updates.Select(u => u.VectorFile(tablePath)).OfType<string>())
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }
}
