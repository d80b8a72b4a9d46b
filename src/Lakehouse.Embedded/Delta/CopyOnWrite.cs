using System.Collections.Concurrent;
using System.Text.Json;
using Lakehouse.Delta;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Execution;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The write half of copy-on-write DML: the rows a DuckDB query produces go to new data files through
/// Lakehouse.Delta's writer, and one transaction removes the rewritten files and adds the new ones. Data files are
/// written before the commit; when anything fails before the commit lands, the new files are deleted again and the
/// table stays at the version the operation read.
/// </summary>
internal static class CopyOnWrite
{
    /// <summary>
    /// Test hooks by table directory: run once after the data files are written and before the commit, to inject a
    /// failure there or to let another writer commit first. Empty unless a test arms it.
    /// </summary>
    internal static readonly ConcurrentDictionary<string, Action> BeforeCommit = new(StringComparer.Ordinal);

    /// <summary>What one copy-on-write commit changes.</summary>
    /// <param name="Operation">commitInfo.operation (MERGE, UPDATE, DELETE).</param>
    /// <param name="Parameters">commitInfo.operationParameters.</param>
    /// <param name="Removes">Files of the snapshot that are replaced or dropped.</param>
    /// <param name="RowsSql">The DuckDB query of the rows to write (the table's columns), or null to write none.</param>
    /// <param name="NewMetadata">New metadata (schema evolution), or null.</param>
    public sealed record Change(string Operation, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<AddFile> Removes, string? RowsSql, Metadata? NewMetadata);

    /// <summary>What was written and committed.</summary>
    /// <param name="Adds">The new files.</param>
    /// <param name="OutputRows">Rows in the new files.</param>
    /// <param name="Version">The committed version, or null when nothing was committed.</param>
    public sealed record Outcome(IReadOnlyList<AddFile> Adds, long OutputRows, long? Version);

    /// <summary>Writes the rows, then commits. <paramref name="metrics"/> receives the file and row counts and returns every operation metric.</summary>
    /// <exception cref="EmbeddedException">The commit conflicts with a concurrent one, or the table rejects it.</exception>
    public static Outcome Run(EngineSession session, Snapshot snapshot, Change change, CommitSettings settings,
        Func<IReadOnlyList<AddFile>, long, IReadOnlyDictionary<string, long>> metrics, CancellationToken cancellationToken)
    {
        var metadata = change.NewMetadata ?? snapshot.Metadata;
        var adds = new List<AddFile>();
        try
        {
            if (change.RowsSql is { } sql)
            {
                var batches = session.QueryAsync(sql, cancellationToken).ToBlockingEnumerable(cancellationToken);
                adds = TableDataWriter.WriteAsync(snapshot.TablePath, metadata, batches, 1_000_000, null, cancellationToken).GetAwaiter().GetResult();
            }

            var outputRows = adds.Sum(NumRecords);
            if (BeforeCommit.TryRemove(snapshot.TablePath, out var hook))
            {
                hook();
            }

            if (adds.Count == 0 && change.Removes.Count == 0 && change.NewMetadata is null && settings.AppId is null)
            {
                // Delta skips recording a commit that changes nothing (spark.databricks.delta.skipRecordingEmptyCommits).
                return new Outcome(adds, 0, null);
            }

            var txn = Transaction.Start(snapshot, change.Operation, change.Parameters);
            settings.Apply(txn);
            if (change.NewMetadata is { } m)
            {
                txn.SetMetadata(m);
            }

            // The operation's result depends on every row it looked at and on the absence of rows it did not see.
            txn.ReadWholeTable();
            txn.ReadFiles(change.Removes);
            foreach (var file in change.Removes)
            {
                txn.Remove(file);
            }

            adds.ForEach(txn.Add);
            foreach (var (name, value) in metrics(adds, outputRows))
            {
                txn.SetMetric(name, value);
            }

            var result = txn.Commit();
            return new Outcome(adds, outputRows, result.Skipped ? null : result.Version);
        }
        catch
        {
            // Nothing references the new files: remove them rather than leave orphans for vacuum.
            foreach (var add in adds)
            {
                TryDelete(TablePaths.ResolveDataFile(snapshot.TablePath, add.Path));
            }

            throw;
        }
    }

    /// <summary>Rows of a file from its statistics, or 0 when it has none.</summary>
    public static long NumRecords(AddFile file) =>
        file.Stats is { } s && JsonDocument.Parse(s).RootElement.TryGetProperty("numRecords", out var n) ? n.GetInt64() : 0;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: vacuum removes unreferenced files after the retention.
        }
    }
}
