using System.Globalization;
using System.Text.Json;
using Lakehouse.Delta;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Delta;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// The streaming write path: DuckDB writes the query's result straight to a Parquet file in the table directory
/// (<c>COPY … TO</c>, no rows pass through .NET), <see cref="AddFileFactory"/> turns it into an add action with
/// statistics from the footer, and one transaction commits it. It covers append and overwrite of unpartitioned
/// tables without column mapping whose schema the data matches exactly; every other write takes
/// <see cref="DeltaTable"/>'s Arrow path.
/// </summary>
internal static class StreamingDeltaWriter
{
    /// <summary>Writes and commits when the write qualifies; false (nothing done) otherwise.</summary>
    public static bool TryWrite(EngineSession session, DeltaTable table, string sql, bool overwrite, Dictionary<string, string> options, CommitSettings settings, CancellationToken cancellationToken)
    {
        var snapshot = table.Snapshot();
        if (snapshot.PartitionColumns.Count > 0 || snapshot.ColumnMapping != ColumnMappingMode.None
            || options.ContainsKey("replaceWhere") || snapshot.Protocol.MinWriterVersion > 2)
        {
            return false;
        }

        var described = session.Describe(sql);
        var fields = snapshot.Schema.Fields;
        if (described.Count != fields.Count || described.Zip(fields).Any(p => p.First.Name != p.Second.Name || !Equals(Types.FromDuckDb(p.First.Type), p.Second.Type)))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>
        {
            ["mode"] = overwrite ? "Overwrite" : "Append",
            ["partitionBy"] = "[]",
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

        var name = $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
        var path = Path.Combine(table.TablePath, name);
        session.NonQuery($"COPY ({sql}) TO {SqlText.Str(path)} (FORMAT PARQUET, COMPRESSION SNAPPY)");
        var add = AddFileFactory.CreateAsync(snapshot.Metadata, table.TablePath, path, new Dictionary<string, string?>(), cancellationToken: cancellationToken).GetAwaiter().GetResult();
        var rows = add.Stats is { } stats ? JsonDocument.Parse(stats).RootElement.GetProperty("numRecords").GetInt64() : -1;
        if (rows == 0)
        {
            // Spark adds no file for an empty result.
            File.Delete(path);
        }
        else
        {
            txn.Add(add);
            txn.SetMetric("numFiles", 1);
            txn.SetMetric("numOutputRows", rows);
            txn.SetMetric("numOutputBytes", add.Size);
        }

        txn.Commit();
        return true;
    }
}
