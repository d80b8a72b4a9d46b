using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Delta.Data.Reading.Skipping;
using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>
/// A read of one snapshot: the files that can hold rows matching an optional filter (partition pruning and
/// stats-based data skipping), and their rows as Arrow record batches in the logical schema, optionally projected.
/// </summary>
/// <remarks>
/// The filter only prunes files: batches still contain every row of a surviving file, so the caller applies the
/// filter to rows. Engines can read <see cref="Files"/> themselves; <see cref="ReadBatchesAsync"/> is the built-in
/// reader (Parquet.Net, one batch per row group, so memory is bounded by the row group size).
/// </remarks>
public sealed class DeltaScan
{
    private readonly FilePruner _pruner;
    private IReadOnlyList<ScanFile>? _files;

    /// <summary>Plans a scan of <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The table version to read.</param>
    /// <param name="filter">Rows of interest; files that cannot contain any are skipped. Null reads every file.</param>
    /// <param name="columns">Logical top-level columns to return, in this order; null returns the whole schema.</param>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.InvalidRequest"/> when a column is not in the schema.</exception>
    public DeltaScan(Snapshot snapshot, Predicate? filter = null, IReadOnlyList<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        Filter = filter;
        var schema = snapshot.Schema;
        ReadSchema = columns is null ? schema : new StructType(columns.Select(c => schema[c]));
        ArrowSchema = ArrowSchemaConverter.ToArrowSchema(ReadSchema);
        PhysicalToLogical = schema.Fields
            .Where(f => !snapshot.PartitionColumns.Contains(f.Name))
            .ToDictionary(f => f.PhysicalName(snapshot.ColumnMapping), f => f.Name, StringComparer.Ordinal);
        _pruner = new FilePruner(schema, snapshot.PartitionColumns, snapshot.ColumnMapping);
    }

    /// <summary>The snapshot being read.</summary>
    public Snapshot Snapshot { get; }

    /// <summary>The filter used to skip files, if any.</summary>
    public Predicate? Filter { get; }

    /// <summary>The logical schema of the returned batches.</summary>
    public StructType ReadSchema { get; }

    /// <summary><see cref="ReadSchema"/> as Arrow (see <see cref="ArrowSchemaConverter"/>).</summary>
    public Apache.Arrow.Schema ArrowSchema { get; }

    /// <summary>Top-level data column names as stored in Parquet → logical names.</summary>
    public IReadOnlyDictionary<string, string> PhysicalToLogical { get; }

    /// <summary>The files that may hold matching rows, ordered by path.</summary>
    public IReadOnlyList<ScanFile> Files => _files ??= PlanFiles();

    /// <summary>Streams the rows of <see cref="Files"/> as record batches in <see cref="ReadSchema"/>, deletion vectors applied.</summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.DataFileNotFound"/> when a file the log references is missing.</exception>
    public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in Files)
        {
            await foreach (var batch in ReadFileAsync(file, cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }
    }

    /// <summary>Synchronous form of <see cref="ReadBatchesAsync"/>.</summary>
    public IEnumerable<RecordBatch> ReadBatches()
    {
        var enumerator = ReadBatchesAsync().GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                yield return enumerator.Current;
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Streams the rows of one file of this scan (for engines that read files in parallel).</summary>
    public IAsyncEnumerable<RecordBatch> ReadFileAsync(ScanFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ParquetArrowReader.ReadAsync(file, ReadSchema, ArrowSchema, Snapshot.ColumnMapping, cancellationToken);
    }

    private List<ScanFile> PlanFiles()
    {
        var schema = Snapshot.Schema;
        var mode = Snapshot.ColumnMapping;
        var partitionFields = Snapshot.PartitionColumns.Select(c => schema[c]).ToList();
        var files = new List<ScanFile>(Snapshot.Files.Count);
        foreach (var add in Snapshot.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var values = new Dictionary<string, object?>(partitionFields.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var field in partitionFields)
            {
                // PROTOCOL.md, Column Mapping: partitionValues are keyed by physical names when mapping is on.
                var raw = add.PartitionValues.TryGetValue(field.PhysicalName(mode), out var v) ? v
                    : add.PartitionValues.GetValueOrDefault(field.Name);
                values[field.Name] = PartitionValues.Parse(raw, field.Type);
            }

            var file = new ScanFile(add, Snapshot.TablePath, TablePaths.ResolveDataFile(Snapshot.TablePath, add.Path), values, PhysicalToLogical);
            if (Filter is null || _pruner.MayMatch(Filter, file))
            {
                files.Add(file);
            }
        }

        return files;
    }
}
