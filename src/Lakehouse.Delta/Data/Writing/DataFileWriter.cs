using Apache.Arrow;
using Lakehouse.Delta.Schema;
using Parquet;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>A data file written by <see cref="DataFileWriter"/>: where it is and what its <c>add.stats</c> say.</summary>
internal sealed record WrittenFile(string FullPath, long Size, long ModificationTime, long NumRecords, string Stats);

/// <summary>
/// Writes rows of Arrow record batches into one snappy-compressed Parquet file, one row group per file, and computes
/// its Delta statistics from the values written. Parquet.Net's footer statistics of MICROS timestamps are in milliseconds,
/// so the footer is not their source, and <see cref="TimestampFooterRepair"/> corrects them in the file for other readers.
/// </summary>
internal static class DataFileWriter
{
    /// <param name="fullPath">The file to create (its directory is created).</param>
    /// <param name="dataSchema">The table's data columns (partition columns excluded), in file order.</param>
    /// <param name="mode">Column mapping mode.</param>
    /// <param name="numIndexedCols">delta.dataSkippingNumIndexedCols.</param>
    /// <param name="rows">The rows: a batch, its column index for each data column (-1: all null), and the row indices to take.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task<WrittenFile> WriteAsync(string fullPath, StructType dataSchema, ColumnMappingMode mode, int numIndexedCols,
        IEnumerable<(RecordBatch Batch, int[] Columns, IReadOnlyList<int> Rows)> rows, CancellationToken cancellationToken)
    {
        var columns = ParquetColumns.Create(dataSchema, mode);
        long count = 0;
        foreach (var (batch, map, indices) in rows)
        {
            for (var c = 0; c < columns.Roots.Count; c++)
            {
                var array = map[c] < 0 ? null : batch.Column(map[c]);
                var node = columns.Roots[c];
                foreach (var row in indices)
                {
                    node.Write(array, row, 0, 0);
                }
            }

            count += indices.Count;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        await using (var stream = new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await using var writer = await ParquetWriter.CreateAsync(columns.Schema, stream,
                new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            foreach (var leaf in columns.Leaves)
            {
                await leaf.WriteAsync(group, cancellationToken).ConfigureAwait(false);
            }
        }

        await TimestampFooterRepair.RunAsync(fullPath, cancellationToken).ConfigureAwait(false);

        var stats = columns.Leaves.Where(l => l.Statistics is not null).ToDictionary(l => l.StatsPath, l => l.Statistics!, StringComparer.Ordinal);
        foreach (var node in columns.Roots)
        {
            CollectRepeatedNullCounts(node, "", stats);
        }

        var info = new FileInfo(fullPath);
        return new WrittenFile(fullPath, info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds(), count,
            StatsJson.Build(dataSchema, mode, count, stats, numIndexedCols));
    }

    // Arrays and maps outside repetition carry a null count under their own name (no min/max).
    private static void CollectRepeatedNullCounts(ColumnNode node, string prefix, Dictionary<string, ColumnStatistics> stats)
    {
        switch (node)
        {
            case RepeatedNode r when r.NullStatistics is not null:
                stats[prefix + r.PhysicalName] = r.NullStatistics;
                break;
            case StructNode s:
                foreach (var child in s.Children)
                {
                    CollectRepeatedNullCounts(child, prefix + s.PhysicalName + ".", stats);
                }

                break;
        }
    }
}
