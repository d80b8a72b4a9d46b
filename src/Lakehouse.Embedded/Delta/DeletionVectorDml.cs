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
    /// The physical positions (<c>file_row_number</c>) of the rows where the condition is TRUE, by the file's absolute
    /// path. Rows an existing deletion vector removes are not scanned, so they never match again.
    /// </summary>
    public static Dictionary<string, List<long>> MatchingPositions(EngineSession session, Snapshot snapshot, IReadOnlyList<AddFile> candidates, string conditionSql, string t)
    {
        var positions = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        if (candidates.Count == 0)
        {
            return positions;
        }

        var scan = DeltaScanSql.Sql(snapshot, candidates, session.Rows, rowIds: true, positions: true);
        var sql = $"SELECT {DeltaScanSql.FileColumn}, {DeltaScanSql.PositionColumn} FROM ({scan}) AS {t} WHERE ({conditionSql}) IS TRUE";
        foreach (var batch in session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable())
        {
            var files = batch.Column(0);
            var rows = batch.Column(1);
            for (var i = 0; i < batch.Length; i++)
            {
                var file = (string)ArrowResults.Value(files, i)!;
                var position = rows is Int64Array longs ? longs.GetValue(i)!.Value : Convert.ToInt64(ArrowResults.Value(rows, i), System.Globalization.CultureInfo.InvariantCulture);
                if (!positions.TryGetValue(file, out var list))
                {
                    positions[file] = list = [];
                }

                list.Add(position);
            }
        }

        return positions;
    }

    /// <summary>The absolute path a scan reports for the file (<see cref="DeltaScanSql.FileColumn"/>).</summary>
    public static string AbsolutePath(Snapshot snapshot, AddFile file) => TablePaths.ResolveDataFile(snapshot.TablePath, file.Path);

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
