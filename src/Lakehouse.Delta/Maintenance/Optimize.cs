using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Maintenance;

/// <summary>
/// Spark's <c>OPTIMIZE</c> (bin-packing): in each partition, files smaller than the target size (and files whose deletion
/// vectors hide more than 5 % of their rows) are grouped into bins of at most the target size, and each bin of two or
/// more files (or one file with deleted rows to purge) is rewritten as one file. One commit removes the old files and
/// adds the new ones with <c>dataChange=false</c>: the table's rows do not change, only their layout.
/// </summary>
public static class Optimize
{
    // Spark's spark.databricks.delta.optimize.maxDeletedRowsRatio.
    private const double MaxDeletedRowsRatio = 0.05;

    /// <summary>Compacts the small files of the table at <paramref name="tablePath"/>.</summary>
    /// <returns>What was compacted; <see cref="OptimizeResult.Version"/> is null when nothing needed it (no commit).</returns>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.InvalidRequest"/> when <see cref="OptimizeOptions.Where"/> cannot be
    /// parsed or refers to a column that is not a partition column; <see cref="DeltaErrorKind.DataFileNotFound"/> when a file is missing;
    /// <see cref="ConcurrentModificationException"/> when another writer removed a file being compacted.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The target file size is not positive.</exception>
    public static async Task<OptimizeResult> RunAsync(string tablePath, OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OptimizeOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TargetFileSize);
        var table = DeltaTable.ForStore(new Storage.LocalLogStore(tablePath), options.TimeProvider);
        var snapshot = table.Snapshot();
        var matches = PartitionFilter(snapshot, options.Where);

        var bins = snapshot.Files
            .Where(f => matches(f.PartitionValues) && (f.Size < options.TargetFileSize || DeletedRowsRatio(f) > MaxDeletedRowsRatio))
            .GroupBy(f => PartitionKey(f.PartitionValues), StringComparer.Ordinal)
            .SelectMany(partition => Pack(partition, options.TargetFileSize))
            .Where(bin => bin.Count > 1 || bin[0].DeletionVector is not null)
            .ToList();
        if (bins.Count == 0)
        {
            return new OptimizeResult { Version = null, NumAddedFiles = 0, NumRemovedFiles = 0, NumAddedBytes = 0, NumRemovedBytes = 0, PartitionsOptimized = 0 };
        }

        ScanFile.EnsureExist(table.TablePath, bins.SelectMany(b => b));
        var scan = new DeltaScan(snapshot);
        var scanFiles = scan.Files.ToDictionary(f => f.Add.Key);
        var added = new List<AddFile>();
        foreach (var bin in bins)
        {
            // A bin's files share one partition, and the writer cuts files only by row count, so each bin becomes one file.
            var rows = ReadAll(scan, bin.Select(f => scanFiles[f.Key]), cancellationToken);
            var written = await table.WriteFilesAsync(snapshot, rows, int.MaxValue, cancellationToken).ConfigureAwait(false);
            added.AddRange(written.Select(a => a with { DataChange = false }));
        }

        var removed = bins.SelectMany(b => b).ToList();
        var parameters = new Dictionary<string, string>
        {
            ["predicate"] = ParameterJson.Of(options.Where is null ? [] : [options.Where]),
            ["zOrderBy"] = ParameterJson.Of([]),
        };
        var transaction = Transaction.Start(snapshot, "OPTIMIZE", parameters, options.TimeProvider);
        // Only the compacted files were read: concurrent appends do not conflict, a concurrent removal of one of them does.
        transaction.ReadFiles(removed);
        removed.ForEach(f => transaction.Remove(f, dataChange: false));
        added.ForEach(transaction.Add);
        SetMetrics(transaction, removed, added);
        var commit = transaction.Commit();
        return new OptimizeResult
        {
            Version = commit.Version,
            NumAddedFiles = added.Count,
            NumRemovedFiles = removed.Count,
            NumAddedBytes = added.Sum(f => f.Size),
            NumRemovedBytes = removed.Sum(f => f.Size),
            PartitionsOptimized = bins.Select(b => PartitionKey(b[0].PartitionValues)).Distinct(StringComparer.Ordinal).Count(),
        };
    }

    /// <summary>Greedy bin-packing as Spark does it: files by ascending size, a new bin whenever the next file would overflow the target.</summary>
    internal static List<List<AddFile>> Pack(IEnumerable<AddFile> files, long targetSize)
    {
        var bins = new List<List<AddFile>>();
        var current = new List<AddFile>();
        long currentSize = 0;
        foreach (var file in files.OrderBy(f => f.Size).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            if (current.Count > 0 && currentSize + file.Size > targetSize)
            {
                bins.Add(current);
                current = [];
                currentSize = 0;
            }

            current.Add(file);
            currentSize += file.Size;
        }

        if (current.Count > 0)
        {
            bins.Add(current);
        }

        return bins;
    }

    internal static void SetMetrics(Transaction transaction, List<AddFile> removed, List<AddFile> added)
    {
        var sizes = added.Select(f => f.Size).Order().ToList();
        long Percentile(double p) => sizes.Count == 0 ? 0 : sizes[(int)Math.Round(p * (sizes.Count - 1), MidpointRounding.AwayFromZero)];
        transaction.SetMetric("numRemovedFiles", removed.Count);
        transaction.SetMetric("numAddedFiles", added.Count);
        transaction.SetMetric("numRemovedBytes", removed.Sum(f => f.Size));
        transaction.SetMetric("numAddedBytes", added.Sum(f => f.Size));
        transaction.SetMetric("minFileSize", Percentile(0));
        transaction.SetMetric("p25FileSize", Percentile(0.25));
        transaction.SetMetric("p50FileSize", Percentile(0.5));
        transaction.SetMetric("p75FileSize", Percentile(0.75));
        transaction.SetMetric("maxFileSize", Percentile(1));
        transaction.SetMetric("numDeletionVectorsRemoved", removed.Count(f => f.DeletionVector is not null));
    }

    internal static Func<IReadOnlyDictionary<string, string?>, bool> PartitionFilter(Snapshot snapshot, string? where)
    {
        if (where is null)
        {
            return _ => true;
        }

        var predicate = PredicateParser.Parse(where);
        var partitionColumns = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var other = predicate.Columns().Select(c => c.Name).Where(c => !partitionColumns.Contains(c)).Distinct().ToList();
        if (other.Count > 0)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The optimize predicate '{where}' refers to {string.Join(", ", other)}, which OPTIMIZE cannot filter on: only partition columns "
                + $"({(snapshot.PartitionColumns.Count == 0 ? "the table has none" : string.Join(", ", snapshot.PartitionColumns))}) are allowed. Drop that condition.",
                snapshot.TablePath);
        }

        return values => PredicateEvaluator.OnPartitionValues(predicate, values, snapshot.Schema, snapshot.ColumnMapping) == true;
    }

    internal static string PartitionKey(IReadOnlyDictionary<string, string?> values) =>
        string.Join('\u0001', values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value is null ? kv.Key + "\u0002" : kv.Key + "=" + kv.Value));

    private static double DeletedRowsRatio(AddFile file)
    {
        if (file.DeletionVector is not { Cardinality: > 0 } dv || file.Stats is null)
        {
            return 0;
        }

        using var stats = JsonDocument.Parse(file.Stats);
        return stats.RootElement.TryGetProperty("numRecords", out var n) && n.GetInt64() > 0
            ? (double)dv.Cardinality / n.GetInt64()
            : 0;
    }

    private static IEnumerable<RecordBatch> ReadAll(DeltaScan scan, IEnumerable<ScanFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var batches = scan.ReadFileAsync(file, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                // A ValueTask from an async iterator may only be awaited once it completes: block on it as a Task.
                while (batches.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    yield return batches.Current;
                }
            }
            finally
            {
                batches.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
