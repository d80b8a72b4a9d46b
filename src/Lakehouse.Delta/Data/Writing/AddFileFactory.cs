using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Storage;
using Parquet;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Makes the <c>add</c> action for a Parquet file that is already in the table directory, whoever wrote it (DuckDB,
/// another engine): path relative to the table, size, modification time, and statistics from the file's footer.
/// The file must hold the table's data columns (physical names under column mapping) and not the partition columns.
/// </summary>
public static class AddFileFactory
{
    /// <summary>Builds the add action; nothing is committed (pass it to a <see cref="Transactions.Transaction"/>).</summary>
    /// <param name="metadata">The table metadata the file belongs to (schema, partitioning, properties).</param>
    /// <param name="tablePath">The table root.</param>
    /// <param name="filePath">The Parquet file, inside the table root.</param>
    /// <param name="partitionValues">Serialized partition values (see <see cref="PartitionValues.Format"/>), one per partition column, keyed by physical name under column mapping.</param>
    /// <param name="dataChange">False when the file only rearranges existing rows.</param>
    /// <param name="cancellationToken">Cancels reading the footer.</param>
    /// <exception cref="ArgumentException">The file is outside the table, or the partition values do not match the partition columns.</exception>
    /// <exception cref="DeltaException">The file is not a readable Parquet file (<see cref="DeltaErrorKind.InvalidRequest"/>).</exception>
    public static async Task<AddFile> CreateAsync(Metadata metadata, string tablePath, string filePath,
        IReadOnlyDictionary<string, string?> partitionValues, bool dataChange = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var root = TablePaths.Normalize(tablePath);
        var full = Path.GetFullPath(filePath);
        var relative = Path.GetRelativePath(root, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new ArgumentException($"The file {full} is not inside the table directory {root}; move it under the table first.", nameof(filePath));
        }

        var properties = new TableProperties(metadata.Configuration);
        var partitionKeys = metadata.PartitionColumns.Select(c => metadata.Schema[c].PhysicalName(properties.ColumnMappingMode)).ToList();
        if (!partitionValues.Keys.ToHashSet(StringComparer.Ordinal).SetEquals(partitionKeys))
        {
            throw new ArgumentException(
                $"Partition values are given for [{string.Join(", ", partitionValues.Keys)}] but the table is partitioned by [{string.Join(", ", partitionKeys)}] (physical names under column mapping).", nameof(partitionValues));
        }

        var partitionColumns = metadata.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var dataSchema = new StructType(metadata.Schema.Fields.Where(f => !partitionColumns.Contains(f.Name)));
        Parquet.Meta.FileMetaData footer;
        try
        {
            await using var reader = await ParquetReader.CreateAsync(full, cancellationToken: cancellationToken).ConfigureAwait(false);
            footer = reader.Metadata ?? throw new IOException("the file has no footer");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest, $"{full} cannot be read as Parquet ({e.Message}). Only complete Parquet files can be added to a table.", root, e);
        }

        var statistics = FooterStatistics.Collect(footer, dataSchema, properties.ColumnMappingMode);
        var info = new FileInfo(full);
        return new AddFile
        {
            Path = TablePaths.ToAddPath(relative),
            PartitionValues = partitionValues,
            Size = info.Length,
            ModificationTime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds(),
            DataChange = dataChange,
            Stats = StatsJson.Build(dataSchema, properties.ColumnMappingMode, footer.NumRows, statistics, properties.DataSkippingNumIndexedCols),
        };
    }
}
