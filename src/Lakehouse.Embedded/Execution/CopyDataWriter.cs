using System.Text;
using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.TableFeatures;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// Writes a query's rows as a Delta table's data files with DuckDB's <c>COPY … TO</c>, so no row passes through .NET,
/// and returns their add actions (statistics from the footers); nothing is committed.
/// <para>
/// Partitioned tables: DuckDB's own Hive directories do not escape values as Spark does and do not write
/// <c>__HIVE_DEFAULT_PARTITION__</c> for nulls, so the rows are partitioned by one helper column, the hex of a JSON array
/// of the partition values (hex digits need no escaping), into a staging directory; each file is then moved to the
/// directory Spark would use (<see cref="PartitionValues.Directory"/>) and its add action gets the values from the JSON.
/// When the caller knows that every row falls in one partition (<see cref="ConstantPartition"/>), the rows are written
/// straight into that partition's directory instead: DuckDB's partitioned COPY buffers every row per partition before
/// writing it. Partition columns are not stored in the files (PROTOCOL.md, Partitioned tables).
/// </para>
/// <para>
/// Row order: a Delta file's rows have no order to keep, so DuckDB may write rows of an unsorted query in the order
/// its threads produce them (<c>preserve_insertion_order = false</c>, which spares it a reordering copy of the
/// result); a query with ORDER BY is still written in its order.
/// </para>
/// </summary>
internal static class CopyDataWriter
{
    private const string PartitionKey = "__lakehouse_partition";

    /// <summary>Whether this writer can write files of the table: no column mapping, and partition columns of types
    /// whose JSON text round-trips exactly (strings, integers, booleans, dates).</summary>
    public static bool Supports(Metadata metadata)
    {
        if (new Lakehouse.Delta.TableProperties(metadata.Configuration).ColumnMappingMode != ColumnMappingMode.None)
        {
            return false;
        }

        return metadata.PartitionColumns.All(c => metadata.Schema.Find(c)?.Type is PrimitiveType
        {
            Name: "string" or "integer" or "long" or "short" or "byte" or "boolean" or "date",
        });
    }

    /// <summary>
    /// Whether the protocol asks of a writer of new files no more than legacy writer version 2 does: version 2 or
    /// lower, version 7 whose writer features are the two that version implies plus <c>deletionVectors</c> (which
    /// binds DML on existing files, not new files: PROTOCOL.md, Deletion Vectors, Writer Requirements) and
    /// <c>changeDataFeed</c> (which binds DML to write change data files beside them), or version 3 or 4, whose other
    /// features (CHECK constraints, generated columns) bind only tables that use them, and those the commit refuses
    /// (<see cref="TableFeatureSupport.Validate"/>).
    /// </summary>
    public static bool SupportsProtocol(Protocol protocol) =>
        protocol.MinWriterVersion <= 4
        || (protocol.MinWriterVersion == 7 && TableFeatureSupport.WriterFeaturesOf(protocol).All(f => f is "appendOnly" or "invariants" or "deletionVectors" or "changeDataFeed"));

    /// <summary>Writes the rows of <paramref name="sql"/> (the table's columns, in its order) under the table root.</summary>
    /// <param name="session">The session whose connection runs the COPY.</param>
    /// <param name="tablePath">The table root.</param>
    /// <param name="metadata">The table's metadata (schema, partition columns).</param>
    /// <param name="sql">The rows.</param>
    /// <param name="partition">The partition values every row has, when the caller knows them (<see cref="ConstantPartition"/>); null to partition the rows by their values.</param>
    /// <param name="cancellationToken">Cancels reading the files' footers.</param>
    /// <returns>The add actions; none when the query has no rows.</returns>
    public static List<AddFile> Write(EngineSession session, string tablePath, Metadata metadata, string sql, IReadOnlyDictionary<string, string?>? partition, CancellationToken cancellationToken)
    {
        // A table being created has no directory yet.
        Directory.CreateDirectory(tablePath);
        if (metadata.PartitionColumns.Count == 0 || partition is not null)
        {
            var values = new Dictionary<string, string?>(partition ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
            var directory = values.Count == 0 ? tablePath : Path.Combine(tablePath, PartitionValues.Directory(metadata.PartitionColumns, values));
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, FileName());
            var rows = values.Count == 0 ? sql : $"SELECT q.* EXCLUDE ({string.Join(", ", metadata.PartitionColumns.Select(SqlText.Ident))}) FROM ({sql}) AS q";
            Copy(session, $"COPY ({rows}) TO {SqlText.Str(path)} (FORMAT PARQUET, COMPRESSION SNAPPY)");
            var adds = Collect([(path, values)], tablePath, metadata, cancellationToken);
            if (adds.Count == 0 && directory != tablePath && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }

            return adds;
        }

        var columns = metadata.PartitionColumns.Select(c => metadata.Schema.Find(c)!).ToList();
        var staging = Path.Combine(tablePath, $"_lakehouse_staging_{Guid.NewGuid():N}");
        try
        {
            var exclude = string.Join(", ", columns.Select(c => SqlText.Ident(c.Name)));
            var key = $"hex(CAST(json_array({string.Join(", ", columns.Select(c => "q." + SqlText.Ident(c.Name)))}) AS VARCHAR))";
            Copy(session,
                $"COPY (SELECT q.* EXCLUDE ({exclude}), {key} AS {PartitionKey} FROM ({sql}) AS q) TO {SqlText.Str(staging)} " +
                $"(FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY ({PartitionKey}))");
            var files = new List<(string Path, Dictionary<string, string?> Values)>();
            if (Directory.Exists(staging))
            {
                foreach (var dir in Directory.EnumerateDirectories(staging))
                {
                    var values = Values(Path.GetFileName(dir), columns);
                    var target = Path.Combine(tablePath, PartitionValues.Directory(metadata.PartitionColumns, values));
                    Directory.CreateDirectory(target);
                    foreach (var file in Directory.EnumerateFiles(dir))
                    {
                        var moved = Path.Combine(target, FileName());
                        File.Move(file, moved);
                        files.Add((moved, values));
                    }
                }
            }

            return Collect(files, tablePath, metadata, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void Copy(EngineSession session, string copy)
    {
        session.NonQuery("SET preserve_insertion_order = false");
        try
        {
            session.NonQuery(copy);
        }
        finally
        {
            session.NonQuery("RESET preserve_insertion_order");
        }
    }

    private static string FileName() => $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet";

    /// <summary>The partition values of a staging directory <c>__lakehouse_partition=&lt;hex of a JSON array&gt;</c>.</summary>
    private static Dictionary<string, string?> Values(string directory, IReadOnlyList<StructField> columns)
    {
        var hex = directory[(directory.IndexOf('=', StringComparison.Ordinal) + 1)..];
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromHexString(hex)));
        var items = json.RootElement.EnumerateArray().ToList();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            var item = items[i];
            object? value = item.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => item.GetInt64(),
                _ => columns[i].Type == PrimitiveType.Date ? DateOnly.ParseExact(item.GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : item.GetString(),
            };
            values[columns[i].Name] = PartitionValues.Format(value, columns[i].Type);
        }

        return values;
    }

    private static List<AddFile> Collect(IEnumerable<(string Path, Dictionary<string, string?> Values)> files, string tablePath, Metadata metadata, CancellationToken cancellationToken)
    {
        var adds = new List<AddFile>();
        foreach (var (path, values) in files)
        {
            using var trace = new TraceScope("delta-stats", Trace.Start(), path);
            var add = AddFileFactory.CreateAsync(metadata, tablePath, path, values, cancellationToken: cancellationToken).GetAwaiter().GetResult();
            if (add.Stats is { } stats && JsonDocument.Parse(stats).RootElement.GetProperty("numRecords").GetInt64() == 0)
            {
                // Spark adds no file for an empty result.
                File.Delete(path);
                continue;
            }

            adds.Add(add);
        }

        return adds;
    }

    /// <summary>The rows the add actions hold (from their statistics).</summary>
    public static long Rows(IEnumerable<AddFile> adds) =>
        adds.Sum(a => a.Stats is { } s ? JsonDocument.Parse(s).RootElement.GetProperty("numRecords").GetInt64() : 0);
}
