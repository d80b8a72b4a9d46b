using System.Text.Json;
using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.TableFeatures;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta;

/// <summary>
/// A Delta table at a path: the entry point for reading its snapshots and for the write operations (create, append,
/// overwrite, replaceWhere, delete, and the remove+add commit that copy-on-write MERGE and UPDATE use). Every write is
/// one optimistic <see cref="Transaction"/>; data files are written before the commit, so a failed commit leaves only
/// unreferenced files (vacuum removes them) and the table at its previous version.
/// </summary>
public sealed class DeltaTable
{
    private readonly TimeProvider _clock;

    private DeltaTable(ILogStore store, TimeProvider clock)
    {
        Store = store;
        _clock = clock;
    }

    /// <summary>The table at <paramref name="path"/> (a local path or <c>file:</c> URI); it need not exist yet.</summary>
    public static DeltaTable ForPath(string path) => new(new LocalLogStore(path), TimeProvider.System);

    /// <summary>The table behind <paramref name="store"/>, with an optional clock for commit timestamps.</summary>
    public static DeltaTable ForStore(ILogStore store, TimeProvider? clock = null) => new(store, clock ?? TimeProvider.System);

    /// <summary>The log store.</summary>
    public ILogStore Store { get; }

    /// <summary>The table root.</summary>
    public string TablePath => Store.TablePath;

    /// <summary>True when the table has at least one commit.</summary>
    /// <remarks>A commit at or after the version <c>_last_checkpoint</c> names is found by listing only the log's tail
    /// (as a snapshot is loaded); only a table without that hint, or with no commit after it, lists the whole log.</remarks>
    public bool Exists
    {
        get
        {
            if (Log.LastCheckpoint.TryRead(Store) is { } hint && Store.List(LogFileName.Commit(hint.Version)[..20]).Any(IsCommit))
            {
                return true;
            }

            return Store.List().Any(IsCommit);
        }
    }

    private static bool IsCommit(LogFileInfo file) => LogFileName.TryParse(file.Name)?.Kind == LogFileKind.Commit;

    /// <summary>The table at the latest version or at <paramref name="version"/>.</summary>
    public Snapshot Snapshot(long? version = null) => Snapshots.Snapshot.Load(Store, version);

    /// <summary>Starts a transaction at the latest version, for operations this class does not cover.</summary>
    public Transaction StartTransaction(string operation, IReadOnlyDictionary<string, string>? parameters = null) =>
        Transaction.Start(Snapshot(), operation, parameters, _clock);

    /// <summary>Creates the table (version 0) with the lowest protocol its schema and properties need.</summary>
    /// <param name="schema">The columns.</param>
    /// <param name="partitionColumns">Partition columns (top-level columns of the schema); none by default.</param>
    /// <param name="properties">Table properties (<c>delta.*</c> and user keys).</param>
    /// <param name="ifNotExists">When the table exists: true returns a skipped result, false raises <see cref="DeltaErrorKind.TableAlreadyExists"/>.</param>
    public CommitResult Create(StructType schema, IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? properties = null, bool ifNotExists = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var partitions = partitionColumns ?? [];
        var configuration = new Dictionary<string, string>(properties ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var p in partitions)
        {
            var field = schema[p];
            if (field.Type is StructType or ArrayType or MapType)
            {
                throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Partition column '{p}' has type {field.Type}; partition by a primitive column.");
            }
        }

        if (Exists)
        {
            if (ifNotExists)
            {
                return CommitResult.AlreadyExists(Snapshot().Version);
            }

            throw new DeltaException(DeltaErrorKind.TableAlreadyExists,
                $"A Delta table already exists at {TablePath}. Append to it or overwrite it, or pass ifNotExists to keep it.", TablePath);
        }

        if (new TableProperties(configuration).ColumnMappingMode != ColumnMappingMode.None)
        {
            long maxId = 0;
            schema = TableCreation.AssignColumnMapping(schema, ref maxId);
            configuration["delta.columnMapping.maxColumnId"] = maxId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var txn = Transaction.StartCreate(Store, "CREATE TABLE", new Dictionary<string, string>
        {
            ["isManaged"] = "false",
            ["partitionBy"] = ParameterJson.Of(partitions),
            ["properties"] = ParameterJson.Of(configuration),
        }, _clock);
        txn.SetProtocol(TableCreation.ProtocolFor(schema, configuration));
        txn.SetMetadata(new Metadata
        {
            SchemaString = SchemaJson.ToJson(schema),
            PartitionColumns = partitions.Select(p => schema[p].Name).ToList(),
            Configuration = configuration,
            CreatedTime = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        return txn.Commit();
    }

    /// <summary>
    /// Sets table properties (Spark's <c>ALTER TABLE … SET TBLPROPERTIES</c>), keeping the others. Setting
    /// <c>delta.enableDeletionVectors=true</c> upgrades the protocol to reader 3 / writer 7 with the
    /// <c>deletionVectors</c> feature in the same commit, as Delta does; <c>delta.enableChangeDataFeed=true</c> to writer
    /// version 4 (or adds <c>changeDataFeed</c> to a writer-7 protocol's features).
    /// </summary>
    /// <exception cref="DeltaException">Not a table; the protocol cannot be written; a conflicting concurrent commit.</exception>
    public CommitResult SetProperties(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var snapshot = Snapshot();
        var configuration = new Dictionary<string, string>(snapshot.Metadata.Configuration, StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            configuration[key] = value;
        }

        var txn = Transaction.Start(snapshot, "SET TBLPROPERTIES", new Dictionary<string, string> { ["properties"] = ParameterJson.Of(properties) }, _clock);
        txn.SetMetadata(snapshot.Metadata with { Configuration = configuration });
        if (TableCreation.UpgradeFor(snapshot.Protocol, configuration) is { } protocol)
        {
            txn.SetProtocol(protocol);
        }

        return txn.Commit();
    }

    /// <summary>Appends record batches as new data files (a blind append: it never conflicts with other appends).</summary>
    /// <exception cref="DeltaException">Not a table; the data's columns do not match the schema (without <see cref="WriteOptions.MergeSchema"/>); a conflict.</exception>
    public Task<CommitResult> AppendAsync(IEnumerable<RecordBatch> batches, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(batches, options ?? new WriteOptions(), overwrite: false, cancellationToken);

    /// <summary>Replaces the table's data (or, with <see cref="WriteOptions.ReplaceWhere"/>, the matching partitions) with the batches.</summary>
    /// <exception cref="DeltaException">Not a table; schema mismatch; a written row outside replaceWhere; a conflicting concurrent commit.</exception>
    public Task<CommitResult> OverwriteAsync(IEnumerable<RecordBatch> batches, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(batches, options ?? new WriteOptions(), overwrite: true, cancellationToken);

    /// <summary>Writes batches as data files under the latest metadata without committing them (for MERGE/UPDATE rewrites), returning their <c>add</c> actions.</summary>
    public Task<List<AddFile>> WriteFilesAsync(Snapshot snapshot, IEnumerable<RecordBatch> batches, int maxRowsPerFile = 1_000_000, CancellationToken cancellationToken = default) =>
        TableDataWriter.WriteAsync(TablePath, snapshot.Metadata, batches, maxRowsPerFile, null, cancellationToken);

    /// <summary>
    /// Deletes the rows that match <paramref name="predicate"/> (all rows when null). A predicate on partition columns
    /// only removes whole files; any other predicate rewrites the files that have matching rows (copy-on-write),
    /// keeping the other rows, and reads the whole table for conflict detection.
    /// </summary>
    /// <exception cref="DeltaException">The predicate cannot be parsed or names unknown columns; a file to rewrite is missing
    /// (<see cref="DeltaErrorKind.DataFileNotFound"/>, raised before any file is written); a conflicting concurrent commit.</exception>
    public async Task<CommitResult> DeleteAsync(string? predicate = null, CancellationToken cancellationToken = default)
    {
        var snapshot = Snapshot();
        EnsureWritable(snapshot, removesData: true, "DELETE");
        if (TableFeatureSupport.WritesChangeData(snapshot.Protocol, snapshot.Metadata))
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The table at {TablePath} has the change data feed on (delta.enableChangeDataFeed=true), and this DELETE does not write "
                + "change data files. Delete through the embedded engine or Spark (DeltaTable.DeleteAsync of Lakehouse.Spark), which write them.", TablePath);
        }

        var parameters = new Dictionary<string, string> { ["predicate"] = ParameterJson.Of(predicate is null ? [] : [predicate]) };
        var txn = Transaction.Start(snapshot, "DELETE", parameters, _clock);
        var parsed = predicate is null ? null : PredicateParser.Parse(predicate);
        var partitionColumns = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        long removedFiles = 0, removedBytes = 0, deletedRows = 0, copiedRows = 0, addedFiles = 0, addedBytes = 0;
        if (parsed is null || parsed.Columns().All(c => partitionColumns.Contains(c.Name)))
        {
            var matches = PartitionFilter(snapshot, predicate, "delete");
            if (predicate is null) { txn.ReadWholeTable(); } else { txn.ReadPartitions(matches, predicate); }
            foreach (var file in snapshot.Files.Where(f => matches(f.PartitionValues)))
            {
                txn.Remove(file);
                removedFiles++;
                removedBytes += file.Size;
                deletedRows += NumRecords(file);
            }
        }
        else
        {
            txn.ReadWholeTable();
            var mode = snapshot.ColumnMapping;
            var dataSchema = new StructType(snapshot.Schema.Fields.Where(f => !partitionColumns.Contains(f.Name)));
            Data.Reading.ScanFile.EnsureExist(TablePath, snapshot.Files);
            var rewritten = new List<string>();
            try
            {
                foreach (var file in snapshot.Files)
                {
                    var source = TablePaths.ResolveDataFile(TablePath, file.Path);
                    var relativeDir = Path.GetDirectoryName(Uri.UnescapeDataString(file.Path)) ?? "";
                    var name = $"part-{addedFiles.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)}-{Guid.NewGuid()}-c000.snappy.parquet";
                    var target = Path.Combine(TablePath, relativeDir, name);
                    var result = await FileRewriter.DeleteRowsAsync(TablePath, source, target, dataSchema, snapshot.Schema, mode,
                        snapshot.Properties.DataSkippingNumIndexedCols, parsed, file.PartitionValues, cancellationToken).ConfigureAwait(false);
                    if (result.DeletedRows == 0)
                    {
                        continue;
                    }

                    txn.Remove(file);
                    removedFiles++;
                    removedBytes += file.Size;
                    deletedRows += result.DeletedRows;
                    copiedRows += result.CopiedRows;
                    if (result.NewFile is { } written)
                    {
                        rewritten.Add(target);
                        txn.Add(new AddFile
                        {
                            Path = TablePaths.ToAddPath(Path.Combine(relativeDir, name)),
                            PartitionValues = file.PartitionValues,
                            Size = written.Size,
                            ModificationTime = written.ModificationTime,
                            DataChange = true,
                            Stats = written.Stats,
                        });
                        addedFiles++;
                        addedBytes += written.Size;
                    }
                }
            }
            catch
            {
                // Nothing is committed yet, so the files rewritten so far are no one's: remove them rather than leave orphans for vacuum.
                rewritten.ForEach(File.Delete);
                throw;
            }
        }

        txn.SetMetric("numRemovedFiles", removedFiles);
        txn.SetMetric("numRemovedBytes", removedBytes);
        txn.SetMetric("numDeletedRows", deletedRows);
        txn.SetMetric("numCopiedRows", copiedRows);
        txn.SetMetric("numAddedFiles", addedFiles);
        txn.SetMetric("numAddedBytes", addedBytes);
        return txn.Commit();
    }

    /// <summary>
    /// The copy-on-write primitive: removes <paramref name="removes"/> (files of <paramref name="snapshot"/>) and adds
    /// <paramref name="adds"/> in one commit. The removed files count as read, and so does the whole table unless
    /// <paramref name="readWholeTable"/> is false, so concurrent changes to what the operation read conflict.
    /// </summary>
    public CommitResult Commit(Snapshot snapshot, string operation, IEnumerable<AddFile> removes, IEnumerable<AddFile> adds,
        IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, long>? metrics = null, bool readWholeTable = true)
    {
        var txn = Transaction.Start(snapshot, operation, parameters, _clock);
        var removeList = removes.ToList();
        txn.ReadFiles(removeList);
        if (readWholeTable)
        {
            txn.ReadWholeTable();
        }

        removeList.ForEach(f => txn.Remove(f));
        foreach (var add in adds)
        {
            txn.Add(add);
        }

        foreach (var (name, value) in metrics ?? new Dictionary<string, long>())
        {
            txn.SetMetric(name, value);
        }

        return txn.Commit();
    }

    private async Task<CommitResult> WriteAsync(IEnumerable<RecordBatch> batches, WriteOptions options, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRowsPerFile, nameof(options));
        if (options.TargetFileSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(options));
        }

        if (!Exists)
        {
            throw new DeltaException(DeltaErrorKind.NotADeltaTable,
                $"{TablePath} is not a Delta table, so data cannot be {(overwrite ? "overwritten" : "appended")} there. Create the table first (DeltaTable.Create).", TablePath);
        }

        var snapshot = Snapshot();
        EnsureWritable(snapshot, removesData: overwrite, overwrite ? "OVERWRITE" : "WRITE");
        var list = batches.ToList();
        var metadata = SchemaEvolution.Resolve(snapshot, list, options.MergeSchema);
        var parameters = new Dictionary<string, string>
        {
            ["mode"] = overwrite ? "Overwrite" : "Append",
            ["partitionBy"] = ParameterJson.Of(snapshot.PartitionColumns),
        };
        if (options.ReplaceWhere is { } rw)
        {
            parameters["predicate"] = ParameterJson.Of([rw]);
        }

        var txn = Transaction.Start(snapshot, "WRITE", parameters, _clock);
        txn.SetUserMetadata(options.UserMetadata);
        if (!ReferenceEquals(metadata, snapshot.Metadata))
        {
            txn.SetMetadata(metadata);
        }

        if (options.AppId is { } appId)
        {
            txn.SetAppTransaction(appId, options.AppVersion);
            if (snapshot.TransactionVersion(appId) >= options.AppVersion)
            {
                // Already applied: write no data files at all.
                return txn.Commit();
            }
        }

        Func<IReadOnlyDictionary<string, string?>, bool>? inScope = null;
        if (overwrite)
        {
            inScope = PartitionFilter(snapshot, options.ReplaceWhere, "replaceWhere");
            var removed = snapshot.Files.Where(f => inScope(f.PartitionValues)).ToList();
            foreach (var file in removed)
            {
                txn.Remove(file);
            }

            if (options.ReplaceWhere is null)
            {
                txn.ReadWholeTable();
            }
            else
            {
                txn.ReadPartitions(inScope, options.ReplaceWhere);
            }

            txn.SetMetric("numRemovedFiles", removed.Count);
            txn.SetMetric("numRemovedBytes", removed.Sum(f => f.Size));
        }

        Action<IReadOnlyDictionary<string, string?>>? check = options.ReplaceWhere is null ? null : values =>
        {
            if (!inScope!(values))
            {
                throw new DeltaException(DeltaErrorKind.InvalidRequest,
                    $"Data written with replaceWhere '{options.ReplaceWhere}' has rows in partition {string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value ?? "null"}"))}, which the predicate does not match. "
                    + "Filter the data to the replaced partitions, or widen the predicate.", TablePath);
            }
        };
        var adds = await TableDataWriter.WriteAsync(TablePath, metadata, list, options.MaxRowsPerFile, check, cancellationToken, options.TargetFileSize).ConfigureAwait(false);
        foreach (var add in adds)
        {
            txn.Add(add);
        }

        txn.SetMetric("numFiles", adds.Count);
        txn.SetMetric("numOutputRows", adds.Sum(NumRecords));
        txn.SetMetric("numOutputBytes", adds.Sum(a => a.Size));
        return txn.Commit();
    }

    private static Func<IReadOnlyDictionary<string, string?>, bool> PartitionFilter(Snapshot snapshot, string? predicate, string what)
    {
        if (predicate is null)
        {
            return _ => true;
        }

        var parsed = PredicateParser.Parse(predicate);
        var partitionColumns = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var other = parsed.Columns().Select(c => c.Name).Where(c => !partitionColumns.Contains(c)).Distinct().ToList();
        if (other.Count > 0)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The {what} predicate '{predicate}' refers to {string.Join(", ", other)}, which {(other.Count == 1 ? "is not a partition column" : "are not partition columns")} "
                + $"(partition columns: {string.Join(", ", snapshot.PartitionColumns)}). Use a predicate on partition columns, or run the operation on Spark.", snapshot.TablePath);
        }

        return values => PredicateEvaluator.OnPartitionValues(parsed, values, snapshot.Schema, snapshot.ColumnMapping) == true;
    }

    // Checked again at commit; checking first means no data file is written for a commit that cannot happen.
    private static void EnsureWritable(Snapshot snapshot, bool removesData, string operation)
    {
        TableFeatures.TableFeatureSupport.Validate(snapshot.Protocol, snapshot.Metadata, snapshot.TablePath, forWrite: true);
        if (removesData && snapshot.Properties.AppendOnly)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The table at {snapshot.TablePath} is append-only (delta.appendOnly=true): {operation} would remove data. "
                + "Only appends are allowed; set delta.appendOnly=false on the table if removing data is intended.", snapshot.TablePath);
        }
    }

    private static long NumRecords(AddFile file)
    {
        if (file.Stats is null)
        {
            return 0;
        }

        using var doc = JsonDocument.Parse(file.Stats);
        return doc.RootElement.TryGetProperty("numRecords", out var n) ? n.GetInt64() : 0;
    }
}
