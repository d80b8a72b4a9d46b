using Lakehouse.Delta;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Delta;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// The streaming write path: DuckDB writes the query's result straight into the table directory
/// (<see cref="CopyDataWriter"/>, no rows pass through .NET) and one transaction commits the add actions. It covers
/// append and overwrite of tables without column mapping (writer protocol ≤ 2) whose schema the data matches exactly
/// (so <c>mergeSchema</c> has nothing to merge), partitioned or not; every other write takes <see cref="DeltaTable"/>'s
/// Arrow path.
/// </summary>
internal static class StreamingDeltaWriter
{
    /// <summary>Writes and commits when the write qualifies; false (nothing done) otherwise.</summary>
    /// <param name="session">The session.</param>
    /// <param name="table">The existing table.</param>
    /// <param name="snapshot">Its latest snapshot, which the transaction starts from.</param>
    /// <param name="sql">The rows.</param>
    /// <param name="described">Their columns' names and DuckDB types (<see cref="EngineSession.PlanColumns"/>).</param>
    /// <param name="input">The written relation (to see whether all rows fall in one partition, <see cref="ConstantPartition"/>).</param>
    /// <param name="overwrite">Overwrite rather than append.</param>
    /// <param name="options">The writer's options.</param>
    /// <param name="settings">Commit settings (txn app id and version, user metadata).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static bool TryWrite(EngineSession session, DeltaTable table, Lakehouse.Delta.Snapshots.Snapshot snapshot, string sql, IReadOnlyList<(string Name, string Type)> described, Relation input, bool overwrite, Dictionary<string, string> options, CommitSettings settings, CancellationToken cancellationToken)
    {
        if (!CopyDataWriter.Supports(snapshot.Metadata) || options.ContainsKey("replaceWhere") || !CopyDataWriter.SupportsProtocol(snapshot.Protocol))
        {
            return false;
        }

        var fields = snapshot.Schema.Fields;
        if (described.Count != fields.Count || described.Zip(fields).Any(p => p.First.Name != p.Second.Name || !Equals(Types.FromDuckDb(p.First.Type), p.Second.Type)))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>
        {
            ["mode"] = overwrite ? "Overwrite" : "Append",
            ["partitionBy"] = System.Text.Json.JsonSerializer.Serialize(snapshot.PartitionColumns),
        };
        var txn = Transaction.Start(snapshot, "WRITE", parameters);
        settings.Apply(txn);
        if (settings.AlreadyApplied(snapshot))
        {
            // Already applied: commit only the txn bookkeeping, write no data (as DeltaTable does).
            txn.Commit();
            return true;
        }

        if (overwrite)
        {
            foreach (var file in snapshot.Files)
            {
                txn.Remove(file);
            }

            txn.ReadWholeTable();
        }

        var adds = CopyDataWriter.Write(session, table.TablePath, snapshot.Metadata, sql, ConstantPartition.Values(input, snapshot.Metadata), cancellationToken);
        AddAll(txn, adds);
        using (new TraceScope("delta-commit", Trace.Start(), table.TablePath))
        {
            txn.Commit();
        }

        return true;
    }

    /// <summary>Adds the files to the transaction with Spark's write metrics.</summary>
    public static void AddAll(Transaction txn, List<Lakehouse.Delta.Actions.AddFile> adds)
    {
        adds.ForEach(txn.Add);
        txn.SetMetric("numFiles", adds.Count);
        txn.SetMetric("numOutputRows", CopyDataWriter.Rows(adds));
        txn.SetMetric("numOutputBytes", adds.Sum(a => a.Size));
    }
}
