using System.Globalization;
using Lakehouse.Delta;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta's <c>OPTIMIZE … ZORDER BY (cols)</c>: every file of each selected partition is rewritten, its rows clustered
/// along a Z-order curve of the columns, as Delta's ZOrderStrategy does (one bin per partition, also for a single
/// file). Each column is mapped to a range id in [0, n) by its rank among the partition's rows (Delta's
/// <c>range_partition_id</c>, with n = <c>spark.databricks.io.skipping.mdc.rangeId.max</c>, default 1000); the ids'
/// bits are interleaved (Delta's <c>interleave_bits</c>) and the rows, sorted by that key, are cut into
/// max(1, partition bytes / <c>spark.databricks.delta.optimize.maxFileSize</c>) files of equal row counts. One commit
/// removes and adds with <c>dataChange=false</c>.
/// </summary>
internal static class ZOrderOptimize
{
    /// <summary>Delta's target output file size conf (default 1 GiB).</summary>
    public const string MaxFileSizeKey = "spark.databricks.delta.optimize.maxFileSize";

    /// <summary>Delta's conf that turns the statistics check of Z-order columns off.</summary>
    public const string StatsCheckKey = "spark.databricks.delta.optimize.zorder.checkStatsCollection.enabled";

    /// <summary>Delta's number of range ids per Z-order column (default 1000).</summary>
    public const string RangeIdsKey = "spark.databricks.io.skipping.mdc.rangeId.max";

    // Bits of one sort-key chunk: a BIGINT holds 62 interleaved bits without touching the sign.
    private const int ChunkBits = 62;

    /// <summary>Z-orders the files of the partitions matching <paramref name="where"/>; no commit when there is no file.</summary>
    /// <exception cref="EmbeddedException">A Z-order column is a partition column, does not exist, has no statistics (unless the
    /// check is off) or is not of a primitive type; the commit conflicts with a concurrent one.</exception>
    public static OptimizeResult Run(EngineSession session, string path, string? where, IReadOnlyList<string> zOrderBy, CancellationToken cancellationToken)
    {
        var snapshot = DmlTable.Load(path);
        var columns = Validate(snapshot, zOrderBy, !"false".Equals(session.Config.Get(StatsCheckKey), StringComparison.OrdinalIgnoreCase));
        var maxFileSize = PositiveLong(session, MaxFileSizeKey, OptimizeOptions.DefaultTargetFileSize);
        var numRanges = (int)Math.Min(PositiveLong(session, RangeIdsKey, 1000), int.MaxValue);
        var matches = DeltaErrors.Map(() => Optimize.PartitionFilter(snapshot, where));
        var partitions = snapshot.Files.Where(f => matches(f.PartitionValues))
            .GroupBy(f => Optimize.PartitionKey(f.PartitionValues), StringComparer.Ordinal)
            .Select(g => g.ToList())
            .ToList();
        var removed = partitions.SelectMany(p => p).ToList();
        if (removed.Count == 0)
        {
            return new OptimizeResult { Version = null, NumAddedFiles = 0, NumRemovedFiles = 0, NumAddedBytes = 0, NumRemovedBytes = 0, PartitionsOptimized = 0 };
        }

        DeltaErrors.Map(() =>
        {
            ScanFile.EnsureExist(snapshot.TablePath, removed);
            return 0;
        });
        var added = new List<AddFile>();
        try
        {
            foreach (var files in partitions)
            {
                added.AddRange(Rewrite(session, snapshot, files, columns, maxFileSize, numRanges, cancellationToken));
            }

            if (added.Count == 0)
            {
                // Delta commits only when the rewrite wrote files (every row of the selected files was deleted).
                DeleteAll(snapshot.TablePath, added);
                return new OptimizeResult { Version = null, NumAddedFiles = 0, NumRemovedFiles = 0, NumAddedBytes = 0, NumRemovedBytes = 0, PartitionsOptimized = 0 };
            }

            var parameters = new Dictionary<string, string>
            {
                ["predicate"] = ParameterJson.Of(where is null ? [] : [where]),
                ["zOrderBy"] = ParameterJson.Of(zOrderBy),
            };
            var transaction = Transaction.Start(snapshot, "OPTIMIZE", parameters);
            // Only the rewritten files were read: concurrent appends do not conflict, a concurrent removal of one does.
            transaction.ReadFiles(removed);
            removed.ForEach(f => transaction.Remove(f, dataChange: false));
            added.ForEach(transaction.Add);
            Optimize.SetMetrics(transaction, removed, added);
            var commit = transaction.Commit();
            return new OptimizeResult
            {
                Version = commit.Version,
                NumAddedFiles = added.Count,
                NumRemovedFiles = removed.Count,
                NumAddedBytes = added.Sum(f => f.Size),
                NumRemovedBytes = removed.Sum(f => f.Size),
                PartitionsOptimized = partitions.Count,
            };
        }
        catch (Exception e)
        {
            // Nothing references the new files: remove them rather than leave orphans for vacuum.
            DeleteAll(snapshot.TablePath, added);
            if (e is DeltaException delta)
            {
                throw DeltaErrors.From(delta);
            }

            throw;
        }
    }

    /// <summary>
    /// The query returning the rows of <paramref name="scan"/> sorted along the Z-order curve of <paramref name="columns"/>
    /// (quoted DuckDB identifiers), with <paramref name="numRanges"/> range ids per column.
    /// </summary>
    internal static string ZOrderSql(string scan, IReadOnlyList<string> columns, int numRanges)
    {
        // Delta's range_partition_id: equal values share an id, ids grow with the value, NULLs first (Spark's ascending order).
        var ids = columns.Select((c, i) =>
            $"CAST((rank() OVER (ORDER BY {c} ASC NULLS FIRST) - 1) * {SqlText.Int(numRanges)} // count(*) OVER () AS BIGINT) AS \"__z{SqlText.Int(i)}\"");
        var bitsPerColumn = Math.Max(1, (int)Math.Ceiling(Math.Log2(numRanges)));
        // Delta's interleave_bits: the most significant bit of every column first, then the next one, column by column.
        var bits = new List<string>();
        for (var b = bitsPerColumn - 1; b >= 0; b--)
        {
            bits.AddRange(columns.Select((_, i) => $"((\"__z{SqlText.Int(i)}\" >> {SqlText.Int(b)}) & 1)"));
        }

        var keys = bits.Chunk(ChunkBits)
            .Select(chunk => "(" + string.Join(" | ", chunk.Select((bit, j) => $"({bit} << {SqlText.Int(chunk.Length - 1 - j)})")) + ")");
        var hidden = string.Join(", ", columns.Select((_, i) => $"\"__z{SqlText.Int(i)}\""));
        return $"SELECT * EXCLUDE ({hidden}) FROM (SELECT *, {string.Join(", ", ids)} FROM ({scan}) AS \"__zscan\") AS \"__zids\" "
             + $"ORDER BY {string.Join(", ", keys)}";
    }

    private static List<AddFile> Rewrite(EngineSession session, Snapshot snapshot, List<AddFile> files, IReadOnlyList<string> columns,
        long maxFileSize, int numRanges, CancellationToken cancellationToken)
    {
        var scan = DeltaScanSql.Sql(snapshot, files, session.Rows, rowIds: false);
        var rows = long.Parse(session.Scalar($"SELECT count(*) FROM ({scan}) AS \"__zcount\"") ?? "0", CultureInfo.InvariantCulture);
        if (rows == 0)
        {
            return [];
        }

        // Delta: approxNumFiles = max(1, total bytes of the partition's files / maxFileSize), one range of the curve each.
        var numFiles = Math.Max(1, files.Sum(f => f.Size) / maxFileSize);
        var rowsPerFile = (int)Math.Min(int.MaxValue, (rows + numFiles - 1) / numFiles);
        var sql = ZOrderSql(scan, columns.Select(SqlText.Ident).ToList(), numRanges);
        var batches = session.QueryAsync(sql, cancellationToken).ToBlockingEnumerable(cancellationToken);
        var written = TableDataWriter.WriteAsync(snapshot.TablePath, snapshot.Metadata, batches, rowsPerFile, null, cancellationToken).GetAwaiter().GetResult();
        return [.. written.Select(a => a with { DataChange = false })];
    }

    /// <summary>Delta's checks of Z-order columns; returns their names as the schema spells them.</summary>
    private static List<string> Validate(Snapshot snapshot, IReadOnlyList<string> zOrderBy, bool checkStats)
    {
        var partitionColumns = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var dataFields = snapshot.Schema.Fields.Where(f => !partitionColumns.Contains(f.Name)).ToList();
        var withStats = StatsColumns(dataFields, snapshot.Properties.DataSkippingNumIndexedCols);
        var names = new List<string>();
        var withoutStats = new List<string>();
        foreach (var column in zOrderBy)
        {
            if (partitionColumns.Contains(column))
            {
                throw new EmbeddedException("DELTA_ZORDERING_ON_PARTITION_COLUMN", "42P10",
                    $"{column} is a partition column. Z-Ordering can only be performed on data columns: each partition is already its own set of files, so drop {column} from ZORDER BY.",
                    new Dictionary<string, string> { ["colName"] = column });
            }

            var field = dataFields.FirstOrDefault(f => f.Name.Equals(column, StringComparison.OrdinalIgnoreCase))
                ?? throw new EmbeddedException("DELTA_ZORDERING_COLUMN_DOES_NOT_EXIST", "42703",
                    $"Z-Ordering column {column} does not exist in data schema (columns: {string.Join(", ", dataFields.Select(f => f.Name))}). Check the name.",
                    new Dictionary<string, string> { ["columnName"] = column });
            if (field.Type is not PrimitiveType)
            {
                throw Errors.Unsupported("ZORDER BY on a nested column",
                    $"ZORDER BY {column} of type {field.Type} (the embedded engine orders only by columns of primitive types; run it on Spark)");
            }

            if (!withStats.Contains(field.Name))
            {
                withoutStats.Add(column);
            }

            names.Add(field.Name);
        }

        if (checkStats && withoutStats.Count > 0)
        {
            var cols = "[" + string.Join(", ", withoutStats) + "]";
            throw new EmbeddedException("DELTA_ZORDERING_ON_COLUMN_WITHOUT_STATS", "KD00D",
                $"Z-Ordering on {cols} will be ineffective, because we currently do not collect stats for these columns "
                + "(only the first delta.dataSkippingNumIndexedCols leaf columns get statistics). Raise that table property or move the columns forward; "
                + $"you can disable this check by setting SET {StatsCheckKey} = false",
                new Dictionary<string, string> { ["cols"] = cols, ["zorderColStatKey"] = StatsCheckKey });
        }

        return names;
    }

    /// <summary>The top-level columns that get statistics: among the first <paramref name="numIndexedCols"/> leaf columns (all when negative).</summary>
    private static HashSet<string> StatsColumns(IEnumerable<StructField> fields, int numIndexedCols)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var budget = numIndexedCols < 0 ? int.MaxValue : numIndexedCols;
        foreach (var field in fields)
        {
            if (budget <= 0)
            {
                break;
            }

            if (field.Type is PrimitiveType)
            {
                result.Add(field.Name);
            }

            budget -= Leaves(field.Type);
        }

        return result;
    }

    private static int Leaves(DeltaType type) => type is StructType s ? s.Fields.Sum(f => Leaves(f.Type)) : 1;

    private static long PositiveLong(EngineSession session, string key, long defaultValue)
    {
        var text = session.Config.Get(key);
        if (text is null)
        {
            return defaultValue;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Errors.InvalidArgument(key, $"'{text}' is not a positive number");
    }

    private static void DeleteAll(string tablePath, IEnumerable<AddFile> files)
    {
        foreach (var file in files)
        {
            try
            {
                File.Delete(TablePaths.ResolveDataFile(tablePath, file.Path));
            }
            catch (IOException)
            {
                // Best effort: vacuum removes unreferenced files after the retention.
            }
        }
    }
}
