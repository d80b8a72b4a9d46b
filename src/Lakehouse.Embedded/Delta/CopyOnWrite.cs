using System.Collections.Concurrent;
using System.Text.Json;
using Lakehouse.Delta;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
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
    /// <param name="RowsSql">The DuckDB query of the rows to write, or null to write none: the table's columns in schema
    /// order, named as in the schema, each cast to its DuckDB type (<c>Types.ToDuckDb</c>).</param>
    /// <param name="NewMetadata">New metadata (schema evolution), or null.</param>
    public sealed record Change(string Operation, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<AddFile> Removes, string? RowsSql, Metadata? NewMetadata)
    {
        /// <summary>Files whose deletion vector changes (remove + add of the same path), already written; their vector
        /// files are deleted again when the commit fails. Empty for pure copy-on-write.</summary>
        public IReadOnlyList<DeletionVectorUpdate> DeletionVectorUpdates { get; init; } = [];

        /// <summary>The DuckDB query of the change data rows (<see cref="ChangeData.Write"/>), or null on a table without
        /// the change data feed. The files are written with the data files and named by <c>cdc</c> actions; the metric
        /// <c>numTargetChangeFilesAdded</c> or <c>numAddedChangeFiles</c>, when the operation reports it, counts them.</summary>
        public string? ChangeDataSql { get; init; }
    }

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
        var changeData = new List<Cdc>();
        try
        {
            if (change.RowsSql is { } sql)
            {
                adds = Write(session, snapshot, metadata, sql, cancellationToken);
            }

            if (change.ChangeDataSql is { } cdcSql)
            {
                using var trace = new TraceScope("delta-change-data", Trace.Start(), snapshot.TablePath);
                changeData = ChangeData.Write(session, snapshot, metadata, cdcSql, cancellationToken);
            }

            var outputRows = adds.Sum(NumRecords);
            if (BeforeCommit.TryRemove(snapshot.TablePath, out var hook))
            {
                hook();
            }

            if (adds.Count == 0 && change.Removes.Count == 0 && change.DeletionVectorUpdates.Count == 0 && change.NewMetadata is null && settings.AppId is null)
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

            foreach (var update in change.DeletionVectorUpdates)
            {
                update.ApplyTo(txn);
            }

            adds.ForEach(txn.Add);
            changeData.ForEach(txn.AddChangeData);
            foreach (var (name, value) in metrics(adds, outputRows))
            {
                txn.SetMetric(name, name is "numTargetChangeFilesAdded" or "numAddedChangeFiles" ? changeData.Count : value);
            }

            CommitResult result;
            using (new TraceScope("delta-commit", Trace.Start(), change.Operation))
            {
                result = txn.Commit();
            }

            return new Outcome(adds, outputRows, result.Skipped ? null : result.Version);
        }
        catch (Exception e)
        {
            // Nothing references the new files: remove them rather than leave orphans for vacuum.
            foreach (var add in adds)
            {
                TryDelete(TablePaths.ResolveDataFile(snapshot.TablePath, add.Path));
            }

            DeletionVectorDml.DeleteVectors(snapshot.TablePath, change.DeletionVectorUpdates);
            ChangeData.Delete(snapshot.TablePath, changeData);

            if (e is DeltaException delta)
            {
                throw DeltaErrors.From(delta);
            }

            throw;
        }
    }

    /// <summary>
    /// Writes the rows as data files. An unpartitioned table without column mapping whose column types DuckDB
    /// reproduces exactly gets one file written by DuckDB's <c>COPY</c> (no rows pass through .NET; statistics from
    /// the footer, as <see cref="StreamingDeltaWriter"/> does); every other table goes through Lakehouse.Delta's writer.
    /// </summary>
    private static List<AddFile> Write(EngineSession session, Snapshot snapshot, Metadata metadata, string sql, CancellationToken cancellationToken)
    {
        // The query casts every column to its DuckDB type (Change.RowsSql), so the schema alone says whether DuckDB's
        // Parquet types read back as the table's types.
        var direct = metadata.PartitionColumns.Count == 0 && snapshot.ColumnMapping == ColumnMappingMode.None && CopyDataWriter.SupportsProtocol(snapshot.Protocol)
            && metadata.Schema.Fields.All(f => Equals(Sql.Types.FromDuckDb(Sql.Types.ToDuckDb(f.Type)), f.Type));

        if (!direct)
        {
            var batches = session.QueryAsync(sql, cancellationToken).ToBlockingEnumerable(cancellationToken);
            return TableDataWriter.WriteAsync(snapshot.TablePath, metadata, batches, 1_000_000, null, cancellationToken).GetAwaiter().GetResult();
        }

        var path = Path.Combine(snapshot.TablePath, $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet");
        try
        {
            session.NonQuery($"COPY ({sql}) TO {Sql.SqlText.Str(path)} (FORMAT PARQUET, COMPRESSION SNAPPY)");
            using var footer = new TraceScope("delta-stats", Trace.Start(), path);
            var add = AddFileFactory.CreateAsync(metadata, snapshot.TablePath, path, new Dictionary<string, string?>(), cancellationToken: cancellationToken).GetAwaiter().GetResult();
            if (NumRecords(add) == 0)
            {
                // Spark adds no file for an empty result.
                File.Delete(path);
                return [];
            }

            return [add];
        }
        catch
        {
            TryDelete(path);
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
