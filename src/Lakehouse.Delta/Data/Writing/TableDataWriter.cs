using System.Globalization;
using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Writes Arrow record batches as the data files of a table: rows split by partition into Hive-style directories
/// (partition columns not stored in the files), at most <c>maxRowsPerFile</c> rows per file, Spark-style names
/// <c>part-00000-&lt;uuid&gt;-c000.snappy.parquet</c>. Returns the <c>add</c> actions; nothing is committed.
/// </summary>
internal static class TableDataWriter
{
    /// <param name="tableRoot">The table directory.</param>
    /// <param name="metadata">The metadata the files are written under (schema, partitioning, column mapping).</param>
    /// <param name="batches">The data; column names are matched to the schema case-insensitively.</param>
    /// <param name="maxRowsPerFile">Rows per file at most.</param>
    /// <param name="onRow">Called with each row's partition values (for replaceWhere checks); may throw.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="targetFileSize">Approximate bytes per file (uncompressed Arrow size), or null.</param>
    public static async Task<List<AddFile>> WriteAsync(string tableRoot, Metadata metadata, IEnumerable<RecordBatch> batches, int maxRowsPerFile,
        Action<IReadOnlyDictionary<string, string?>>? onRow, CancellationToken cancellationToken, long? targetFileSize = null)
    {
        var schema = metadata.Schema;
        var mode = new TableProperties(metadata.Configuration).ColumnMappingMode;
        var numIndexedCols = new TableProperties(metadata.Configuration).DataSkippingNumIndexedCols;
        var partitionColumns = metadata.PartitionColumns.Select(c => schema[c]).ToList();
        var dataSchema = new StructType(schema.Fields.Where(f => !partitionColumns.Contains(f)));
        var pending = new Dictionary<string, (Dictionary<string, string?> Values, List<(RecordBatch, int[], IReadOnlyList<int>)> Rows, int Count)>(StringComparer.Ordinal);
        var adds = new List<AddFile>();
        var fileIndex = 0;

        async Task Flush(string key)
        {
            var (values, rows, _) = pending[key];
            pending.Remove(key);
            var relativeDir = partitionColumns.Count == 0 ? "" : PartitionValues.Directory(metadata.PartitionColumns,
                partitionColumns.ToDictionary(c => c.Name, c => values[c.PhysicalName(mode)], StringComparer.Ordinal)) + "/";
            var name = $"part-{fileIndex++.ToString("D5", CultureInfo.InvariantCulture)}-{Guid.NewGuid()}-c000.snappy.parquet";
            var written = await DataFileWriter.WriteAsync(Path.Combine(tableRoot, relativeDir + name), dataSchema, mode, numIndexedCols, rows, cancellationToken)
                .ConfigureAwait(false);
            adds.Add(new AddFile
            {
                Path = TablePaths.ToAddPath(relativeDir + name),
                PartitionValues = values,
                Size = written.Size,
                ModificationTime = written.ModificationTime,
                DataChange = true,
                Stats = written.Stats,
            });
        }

        foreach (var batch in batches)
        {
            var rowsPerFile = targetFileSize is { } target && batch.Length > 0
                ? (int)Math.Clamp(target / Math.Max(1, EstimateBytes(batch) / batch.Length), 1, maxRowsPerFile)
                : maxRowsPerFile;
            var columnIndex = schema.Fields.ToDictionary(f => f.Name, f => ColumnIndex(batch, f, partitionColumns.Contains(f)), StringComparer.Ordinal);
            var dataColumns = dataSchema.Fields.Select(f => columnIndex[f.Name]).ToArray();
            var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var groupValues = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
            for (var row = 0; row < batch.Length; row++)
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var p in partitionColumns)
                {
                    var value = ArrowValues.Get(batch.Column(columnIndex[p.Name]), row, p.Type);
                    // PROTOCOL.md, Column Mapping: partitionValues are keyed by physical names.
                    values[p.PhysicalName(mode)] = PartitionValues.Format(value, p.Type);
                }

                var key = string.Join('\u0001', partitionColumns.Select(p => values[p.PhysicalName(mode)] is { } v ? "v" + v : "n"));
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                    groupValues[key] = values;
                    onRow?.Invoke(values);
                }

                list.Add(row);
            }

            foreach (var (key, rows) in groups)
            {
                for (var start = 0; start < rows.Count;)
                {
                    if (!pending.TryGetValue(key, out var entry))
                    {
                        entry = (groupValues[key], [], 0);
                    }

                    var take = Math.Max(1, Math.Min(rows.Count - start, rowsPerFile - entry.Count));
                    entry.Rows.Add((batch, dataColumns, rows.GetRange(start, take)));
                    pending[key] = (entry.Values, entry.Rows, entry.Count + take);
                    start += take;
                    if (entry.Count + take >= rowsPerFile)
                    {
                        await Flush(key).ConfigureAwait(false);
                    }
                }
            }
        }

        foreach (var key in pending.Keys.ToList())
        {
            await Flush(key).ConfigureAwait(false);
        }

        return adds;
    }

    private static long EstimateBytes(RecordBatch batch) => batch.Arrays.Sum(a => EstimateBytes(a.Data));

    private static long EstimateBytes(ArrayData data) =>
        (data.Buffers ?? []).Sum(b => (long)b.Length) + (data.Children ?? []).Sum(EstimateBytes);

    /// <summary>The batch column of a table column; -1 for a nullable data column the batch lacks (written as nulls, as Spark does).</summary>
    private static int ColumnIndex(RecordBatch batch, StructField field, bool partition)
    {
        var fields = batch.Schema.FieldsList;
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Name, field.Name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        if (field.Nullable && !partition)
        {
            return -1;
        }

        throw new DeltaException(DeltaErrorKind.InvalidRequest,
            $"The data has no column '{field.Name}', which the table requires ({(partition ? "a partition column" : "not nullable")}); the data's columns are: "
            + $"{string.Join(", ", fields.Select(f => f.Name))}. Add the column.");
    }
}
