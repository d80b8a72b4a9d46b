using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.TableFeatures;

namespace Lakehouse.Delta.Transactions;

/// <summary>
/// One optimistic transaction on a table: started from a snapshot (the read version), it collects actions
/// and writes them as the next commit with <see cref="ILogStore.TryCreate"/>. When another writer took that
/// version first, the winners are checked with Delta's conflict rules (<see cref="ConflictChecker"/>) and the
/// commit is retried at the next version; a real conflict raises <see cref="ConcurrentModificationException"/>.
/// A transaction commits at most once and is not thread-safe.
/// </summary>
public sealed class Transaction
{
    private readonly List<AddFile> _adds = [];
    private readonly List<RemoveFile> _removes = [];
    private readonly List<Cdc> _changeData = [];
    private readonly List<DomainMetadata> _domains = [];
    private readonly Dictionary<string, string> _metrics = new(StringComparer.Ordinal);
    private readonly ReadScope _read = new();
    private readonly ILogStore _store;
    private readonly TimeProvider _clock;
    private Txn? _appTransaction;
    private string? _userMetadata;
    private bool _committed;

    private Transaction(ILogStore store, Snapshot? snapshot, string operation, IReadOnlyDictionary<string, string> parameters, TimeProvider clock)
    {
        _store = store;
        ReadSnapshot = snapshot;
        Operation = operation;
        Parameters = parameters;
        _clock = clock;
        TxnId = Guid.NewGuid().ToString();
    }

    /// <summary>How often a commit is retried after lost races with non-conflicting writers before giving up.</summary>
    public const int MaxRetries = 100;

    /// <summary>The engine name written to <c>commitInfo.engineInfo</c>.</summary>
    public const string EngineInfo = "Lakehouse.Delta/1.0";

    /// <summary>The snapshot the transaction read; null when it creates the table.</summary>
    public Snapshot? ReadSnapshot { get; }

    /// <summary>The version read, or -1 when the table does not exist yet.</summary>
    public long ReadVersion => ReadSnapshot?.Version ?? -1;

    /// <summary>The operation name written to <c>commitInfo.operation</c> (WRITE, DELETE, MERGE, OPTIMIZE, …).</summary>
    public string Operation { get; }

    /// <summary>The operation parameters; values are JSON text (a string value as is, lists as JSON arrays), as Spark writes them.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The id written to <c>commitInfo.txnId</c>.</summary>
    public string TxnId { get; }

    /// <summary>The new metadata, when the transaction changes it.</summary>
    public Metadata? NewMetadata { get; private set; }

    /// <summary>The new protocol, when the transaction changes it.</summary>
    public Protocol? NewProtocol { get; private set; }

    /// <summary>The metadata the commit will be written under: the new one, or the snapshot's.</summary>
    public Metadata? Metadata => NewMetadata ?? ReadSnapshot?.Metadata;

    /// <summary>The protocol the commit will be written under.</summary>
    public Protocol? Protocol => NewProtocol ?? ReadSnapshot?.Protocol;

    /// <summary>True when the transaction only adds data files without reading the table (<c>commitInfo.isBlindAppend</c>).</summary>
    public bool IsBlindAppend => _removes.Count == 0 && _read.IsEmpty && NewMetadata is null && _adds.All(a => a.DataChange);

    /// <summary>Starts a transaction on an existing table.</summary>
    /// <param name="snapshot">The version the transaction reads.</param>
    /// <param name="operation">The operation name (WRITE, DELETE, …).</param>
    /// <param name="parameters">Operation parameters as JSON text values; null for none.</param>
    /// <param name="clock">The clock for commit timestamps; the system clock when null.</param>
    public static Transaction Start(Snapshot snapshot, string operation, IReadOnlyDictionary<string, string>? parameters = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Transaction(snapshot.Store, snapshot, operation, parameters ?? new Dictionary<string, string>(), clock ?? TimeProvider.System);
    }

    /// <summary>Starts the transaction that creates a table (version 0); it must set metadata and protocol.</summary>
    public static Transaction StartCreate(ILogStore store, string operation, IReadOnlyDictionary<string, string>? parameters = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new Transaction(store, null, operation, parameters ?? new Dictionary<string, string>(), clock ?? TimeProvider.System);
    }

    /// <summary>Adds a data file.</summary>
    public void Add(AddFile file) => _adds.Add(file);

    /// <summary>Removes a data file.</summary>
    public void Remove(RemoveFile file) => _removes.Add(file);

    /// <summary>Removes a file of the snapshot, with a tombstone timestamped now.</summary>
    public void Remove(AddFile file, bool dataChange = true) => _removes.Add(RemoveFile.For(file, _clock.GetUtcNow().ToUnixTimeMilliseconds(), dataChange));

    /// <summary>Records a change data file (a <c>cdc</c> action, already written under <c>_change_data/</c>): change data
    /// readers take this commit's changes from its cdc files alone (PROTOCOL.md, Add CDC File).</summary>
    public void AddChangeData(Cdc file) => _changeData.Add(file with { DataChange = false });

    /// <summary>Replaces the table's metadata (schema, partitioning, properties).</summary>
    public void SetMetadata(Metadata metadata) => NewMetadata = metadata;

    /// <summary>Replaces the table's protocol.</summary>
    public void SetProtocol(Protocol protocol) => NewProtocol = protocol;

    /// <summary>Makes the commit idempotent: it records <c>txn(appId, version)</c>, and commits nothing when the table already has that app id at this version or later.</summary>
    public void SetAppTransaction(string appId, long version)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        _appTransaction = new Txn { AppId = appId, Version = version };
    }

    /// <summary>Sets (or, with <see cref="DomainMetadata.Removed"/>, removes) a domain's metadata.</summary>
    public void SetDomainMetadata(DomainMetadata domain) => _domains.Add(domain);

    /// <summary>Declares that the result depends on every file of the snapshot (files others add or remove meanwhile conflict).</summary>
    public void ReadWholeTable() => _read.AddWholeTable();

    /// <summary>Declares that the result depends on the partitions <paramref name="matches"/> selects (by add.partitionValues).</summary>
    /// <param name="matches">True for partition values the transaction read.</param>
    /// <param name="description">What was read, for the conflict message (e.g. the predicate).</param>
    public void ReadPartitions(Func<IReadOnlyDictionary<string, string?>, bool> matches, string description) => _read.AddPartitions(matches, description);

    /// <summary>Declares files the transaction read (for example the files a delete rewrites).</summary>
    public void ReadFiles(IEnumerable<AddFile> files) => _read.AddFiles(files.Select(f => f.Path));

    /// <summary>Sets <c>commitInfo.userMetadata</c> (null for none).</summary>
    public void SetUserMetadata(string? userMetadata) => _userMetadata = userMetadata;

    /// <summary>Sets an operation metric (Spark's names: numFiles, numOutputRows, numOutputBytes, numRemovedFiles, numDeletedRows, numCopiedRows, …).</summary>
    public void SetMetric(string name, long value) => _metrics[name] = value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the commit. Returns the committed version, or a skipped result when the application transaction was
    /// already applied. Retries at the next version after lost races whose winners do not conflict.
    /// </summary>
    /// <exception cref="ConcurrentModificationException">A winning commit conflicts with this transaction.</exception>
    /// <exception cref="DeltaException">The commit is not valid for the table (unsupported protocol, append-only table, missing metadata).</exception>
    /// <exception cref="InvalidOperationException">The transaction was already committed.</exception>
    public CommitResult Commit()
    {
        if (_committed)
        {
            throw new InvalidOperationException("This transaction was already committed; start a new one from a fresh snapshot.");
        }

        _committed = true;
        Validate();
        if (_appTransaction is { } app && ReadSnapshot?.TransactionVersion(app.AppId) is { } existing && existing >= app.Version)
        {
            return CommitResult.AlreadyApplied(ReadVersion, app.AppId, app.Version, existing);
        }

        ConflictChecker? checker = null;
        var version = ReadVersion + 1;
        var previousTimestamp = ReadSnapshot?.Timestamp ?? 0;
        for (var attempt = 1; attempt <= MaxRetries + 1; attempt++)
        {
            var content = ActionJson.WriteCommit(BuildActions(version, previousTimestamp));
            if (_store.TryCreate(LogFileName.Commit(version), content))
            {
                return CommitResult.Committed(version, attempt, _metrics, AfterCommit(version));
            }

            if (version == 0)
            {
                throw new DeltaException(DeltaErrorKind.TableAlreadyExists,
                    $"Another writer created the table at {_store.TablePath} at the same time. Load the table and write to it instead.", _store.TablePath);
            }

            // Lost the race: every commit from `version` on is a winner this transaction must be checked against.
            // The checker indexes the snapshot's files, which only a lost race needs.
            checker ??= new ConflictChecker(_store.TablePath, ReadVersion, _read,
                ReadSnapshot?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? new Dictionary<string, AddFile>(),
                _removes, _appTransaction?.AppId, _domains.Select(d => d.Domain), NewMetadata is not null || NewProtocol is not null);
            while (TryReadCommit(version) is { } winner)
            {
                checker.Check(version, winner);
                previousTimestamp = winner.Select(a => a.CommitInfo?.InCommitTimestamp ?? a.CommitInfo?.Timestamp).FirstOrDefault(t => t is not null) ?? previousTimestamp;
                version++;
            }
        }

        throw new ConcurrentModificationException($"The commit lost the race {MaxRetries + 1} times in a row; the table is too busy.",
            ReadVersion, version - 1, null, _store.TablePath);
    }

    /// <summary>
    /// Writes a checkpoint every <c>delta.checkpointInterval</c> commits and then cleans up expired log entries, as Spark
    /// does after a commit. Both only speed up reading: when they fail the commit stands, and the result says why.
    /// </summary>
    private string? AfterCommit(long version)
    {
        var metadata = Metadata!;
        if (!CheckpointWriter.ShouldCheckpoint(version, new TableProperties(metadata.Configuration)))
        {
            return null;
        }

        try
        {
            var now = _clock.GetUtcNow();
            var snapshot = Snapshot.Load(_store, version);
            CheckpointWriter.Write(snapshot, now);
            LogCleanup.Run(snapshot, now);
            return $"checkpoint written at version {version}";
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // The commit is durable: whatever went wrong after it must not make a caller retry (and duplicate) the write.
            return $"the checkpoint at version {version} failed ({e.Message}); the commit stands and readers replay the JSON commits";
        }
    }

    private void Validate()
    {
        var protocol = Protocol ?? throw new InvalidOperationException("A transaction that creates a table must set its protocol.");
        var metadata = Metadata ?? throw new InvalidOperationException("A transaction that creates a table must set its metadata.");
        TableFeatureSupport.Validate(protocol, metadata, _store.TablePath, forWrite: true);
        if (new TableProperties(metadata.Configuration).AppendOnly && _removes.Any(r => r.DataChange))
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The table at {_store.TablePath} is append-only (delta.appendOnly=true): {Operation} would remove data. "
                + "Only appends are allowed; set delta.appendOnly=false on the table if removing data is intended.", _store.TablePath);
        }

        // PROTOCOL.md, Deletion Vectors: a file may carry a vector only when the protocol supports the feature.
        if (_adds.Any(a => a.DeletionVector is not null) && !TableFeatureSupport.IsEnabled(protocol, TableCreation.DeletionVectorsFeature))
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The table at {_store.TablePath} does not support deletion vectors (its protocol lacks the deletionVectors feature), "
                + "but the commit adds a file with one. Set the table property delta.enableDeletionVectors=true first.", _store.TablePath);
        }

        // PROTOCOL.md, Column Mapping: partitionValues are keyed by physical names.
        var mode = new TableProperties(metadata.Configuration).ColumnMappingMode;
        var partitionColumns = metadata.PartitionColumns.Select(c => metadata.Schema[c].PhysicalName(mode)).ToHashSet(StringComparer.Ordinal);
        foreach (var add in _adds.Select(a => (a.Path, a.PartitionValues)).Concat(_changeData.Select(c => (c.Path, c.PartitionValues))))
        {
            if (!add.PartitionValues.Keys.ToHashSet(StringComparer.Ordinal).SetEquals(partitionColumns))
            {
                throw new ArgumentException(
                    $"The file '{add.Path}' has partition values for [{string.Join(", ", add.PartitionValues.Keys)}] but the table is partitioned by [{string.Join(", ", partitionColumns)}].");
            }
        }
    }

    /// <summary>
    /// PROTOCOL.md, In-Commit Timestamps, Enablement: a table that turns them on after its creation records the first
    /// version (and its timestamp) that carries them, so readers use file times before it and in-commit timestamps from it.
    /// </summary>
    private Metadata WithInCommitTimestampEnablement(Metadata metadata, long version, long inCommitTimestamp)
    {
        var wasEnabled = ReadSnapshot is { } s && new TableProperties(s.Metadata.Configuration).InCommitTimestamps;
        if (version == 0 || wasEnabled || metadata.Configuration.ContainsKey(TableProperties.InCommitTimestampEnablementVersionKey))
        {
            return metadata;
        }

        var configuration = new Dictionary<string, string>(metadata.Configuration, StringComparer.Ordinal)
        {
            [TableProperties.InCommitTimestampEnablementVersionKey] = version.ToString(CultureInfo.InvariantCulture),
            [TableProperties.InCommitTimestampEnablementTimestampKey] = inCommitTimestamp.ToString(CultureInfo.InvariantCulture),
        };
        return metadata with { Configuration = configuration };
    }

    private List<DeltaAction>? TryReadCommit(long version)
    {
        byte[] bytes;
        try
        {
            bytes = _store.Read(LogFileName.Commit(version));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return ActionJson.ParseCommit(bytes, LogFileName.Commit(version));
    }

    private IEnumerable<DeltaAction> BuildActions(long version, long previousTimestamp)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        long? inCommitTimestamp = Metadata is { } m && new TableProperties(m.Configuration).InCommitTimestamps
            ? Math.Max(now, previousTimestamp + 1) // PROTOCOL.md, In-Commit Timestamps: strictly greater than the previous commit's.
            : null;
        var actions = new List<DeltaAction>
        {
            new CommitInfo
            {
                InCommitTimestamp = inCommitTimestamp,
                Timestamp = inCommitTimestamp ?? now,
                Operation = Operation,
                OperationParameters = Parameters,
                ReadVersion = ReadSnapshot?.Version,
                IsolationLevel = "Serializable",
                IsBlindAppend = IsBlindAppend,
                OperationMetrics = _metrics,
                UserMetadata = _userMetadata,
                EngineInfo = EngineInfo,
                TxnId = TxnId,
            },
        };
        if (NewProtocol is { } p)
        {
            actions.Add(p);
        }

        if (NewMetadata is { } md)
        {
            actions.Add(inCommitTimestamp is { } ict ? WithInCommitTimestampEnablement(md, version, ict) : md);
        }

        if (_appTransaction is { } t)
        {
            actions.Add(t with { LastUpdated = now });
        }

        actions.AddRange(_domains.Select(d => (DeltaAction)d));
        actions.AddRange(_removes.Select(r => (DeltaAction)r));
        actions.AddRange(_adds.Select(a => (DeltaAction)a));
        actions.AddRange(_changeData.Select(c => (DeltaAction)c));
        return actions;
    }
}
