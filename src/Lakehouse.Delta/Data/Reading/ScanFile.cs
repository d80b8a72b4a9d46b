using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading.DeletionVectors;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>
/// A data file a scan selected, with what an engine needs to read it: the absolute path, typed partition values,
/// the mapping of physical (Parquet) column names to logical ones, and the rows its deletion vector removes.
/// </summary>
public sealed class ScanFile
{
    private readonly string _tablePath;
    private long[]? _deleted;

    internal ScanFile(AddFile add, string tablePath, string absolutePath, IReadOnlyDictionary<string, object?> partitionValues,
        IReadOnlyDictionary<string, string> physicalToLogical)
    {
        Add = add;
        _tablePath = tablePath;
        AbsolutePath = absolutePath;
        PartitionValues = partitionValues;
        PhysicalToLogical = physicalToLogical;
    }

    /// <summary>The <c>add</c> action of the file.</summary>
    public AddFile Add { get; }

    /// <summary>The file's absolute local path (the URI-decoded <c>add.path</c> under the table root).</summary>
    public string AbsolutePath { get; }

    /// <summary>
    /// Partition values by logical column name, typed as <see cref="Data.PartitionValues.Parse"/> returns them
    /// (null for a null partition value). Empty for unpartitioned tables.
    /// </summary>
    public IReadOnlyDictionary<string, object?> PartitionValues { get; }

    /// <summary>Top-level data column names as stored in the Parquet file → logical names (identical without column mapping).</summary>
    public IReadOnlyDictionary<string, string> PhysicalToLogical { get; }

    /// <summary>Rows physically in the file, from <c>add.stats</c> (before the deletion vector); null without stats.</summary>
    public long? NumRecords => Skipping.FileStats.Parse(Add.Stats)?.NumRecords;

    /// <summary>The file's deletion vector, if rows of it are deleted.</summary>
    public DeletionVectorDescriptor? DeletionVector => Add.DeletionVector;

    /// <summary>
    /// The indexes (0-based positions in the Parquet file) of the rows the deletion vector removes, ascending;
    /// empty without a deletion vector. Loaded on first use and cached.
    /// </summary>
    /// <exception cref="DeltaException">The deletion vector file is missing or corrupt.</exception>
    public long[] DeletedRowIndexes() =>
        _deleted ??= Add.DeletionVector is { } dv ? DeletionVectorReader.Read(dv, _tablePath) : [];

    /// <summary>The error for a data file the log references but the file system does not have.</summary>
    internal static DeltaException NotFound(ScanFile file, Exception? inner = null) => NotFound(file.AbsolutePath, file._tablePath, inner);

    /// <summary>The root of the table the file belongs to.</summary>
    internal string TableRoot => _tablePath;

    /// <summary>
    /// Raises <see cref="DeltaErrorKind.DataFileNotFound"/> for the first of <paramref name="files"/> that does not exist, so an
    /// operation that rewrites several files fails before it has written any of them.
    /// </summary>
    internal static void EnsureExist(string tablePath, IEnumerable<AddFile> files)
    {
        foreach (var file in files)
        {
            var path = Storage.TablePaths.ResolveDataFile(tablePath, file.Path);
            if (!File.Exists(path))
            {
                throw NotFound(path, tablePath);
            }
        }
    }

    /// <summary>
    /// Opens a data file the table references with Parquet.Net: a missing file is <see cref="DeltaErrorKind.DataFileNotFound"/>,
    /// one that is not readable Parquet (truncated, overwritten: it fails at its footer) <see cref="DeltaErrorKind.CorruptDataFile"/>.
    /// </summary>
    internal static async Task<Parquet.ParquetReader> OpenParquetAsync(string absolutePath, string tablePath, Parquet.ParquetOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await Parquet.ParquetReader.CreateAsync(absolutePath, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(absolutePath, tablePath, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new DeltaException(DeltaErrorKind.CorruptDataFile,
                $"The data file {absolutePath} is referenced by the table but is not a readable Parquet file ({e.Message}). "
                + "Restore the file from a backup, or RESTORE the table to a version that does not reference it "
                + "(the table's history shows which version added it).", tablePath, e);
        }
    }

    private static DeltaException NotFound(string absolutePath, string tablePath, Exception? inner = null) =>
        new(DeltaErrorKind.DataFileNotFound,
            $"The data file {absolutePath} is referenced by the table but does not exist; it was probably removed by VACUUM " +
            "(or deleted by hand). Read a version whose files still exist (time travel to a later version), " +
            "or RESTORE the table to such a version.", tablePath, inner);
}
