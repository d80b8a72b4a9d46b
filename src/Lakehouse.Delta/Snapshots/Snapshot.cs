using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.TableFeatures;

namespace Lakehouse.Delta.Snapshots;

/// <summary>
/// The state of a table at one version: protocol, metadata, the active data files, application
/// transactions and domain metadata, reconstructed by log replay (PROTOCOL.md, Action Reconciliation).
/// Immutable; load a new one to see later commits.
/// </summary>
public sealed partial class Snapshot
{
    private Snapshot(ILogStore store, LogSegment segment, Protocol protocol, Metadata metadata,
        Dictionary<(string, string?), AddFile> files, Dictionary<(string, string?), RemoveFile> tombstones,
        Dictionary<string, Txn> transactions, Dictionary<string, DomainMetadata> domains, long timestamp)
    {
        Store = store;
        Segment = segment;
        Protocol = protocol;
        Metadata = metadata;
        _files = files;
        _tombstones = tombstones;
        _transactions = transactions;
        _domains = domains;
        Timestamp = timestamp;
        Properties = new TableProperties(metadata.Configuration);
    }

    private readonly Dictionary<(string, string?), AddFile> _files;
    private readonly Dictionary<(string, string?), RemoveFile> _tombstones;
    private readonly Dictionary<string, Txn> _transactions;
    private readonly Dictionary<string, DomainMetadata> _domains;

    /// <summary>The log store of the table.</summary>
    public ILogStore Store { get; }

    /// <summary>The table root path.</summary>
    public string TablePath => Store.TablePath;

    /// <summary>The log files this snapshot was built from.</summary>
    public LogSegment Segment { get; }

    /// <summary>The snapshot's version.</summary>
    public long Version => Segment.Version;

    /// <summary>The commit timestamp of <see cref="Version"/> in milliseconds: the in-commit timestamp when the table has them, else the commit file's modification time.</summary>
    public long Timestamp { get; }

    /// <summary>The protocol in force.</summary>
    public Protocol Protocol { get; }

    /// <summary>The metadata in force.</summary>
    public Metadata Metadata { get; }

    /// <summary>The table schema (logical names).</summary>
    public StructType Schema => Metadata.Schema;

    /// <summary>The partition columns, in order.</summary>
    public IReadOnlyList<string> PartitionColumns => Metadata.PartitionColumns;

    /// <summary>Typed table properties.</summary>
    public TableProperties Properties { get; }

    /// <summary>The column mapping mode of the table.</summary>
    public ColumnMappingMode ColumnMapping => Properties.ColumnMappingMode;

    /// <summary>The data files of the table at this version.</summary>
    public IReadOnlyCollection<AddFile> Files => _files.Values;

    /// <summary>Files removed and not yet expired from the log: vacuum must keep them until their retention passes.</summary>
    public IReadOnlyCollection<RemoveFile> Tombstones => _tombstones.Values;

    /// <summary>The latest <c>txn</c> per application id.</summary>
    public IReadOnlyDictionary<string, Txn> Transactions => _transactions;

    /// <summary>Domain metadata that is not removed, by domain.</summary>
    public IReadOnlyDictionary<string, DomainMetadata> Domains => _domains;

    /// <summary>The last version committed by <paramref name="appId"/>, or null if it never committed.</summary>
    public long? TransactionVersion(string appId) => _transactions.TryGetValue(appId, out var t) ? t.Version : null;

    /// <summary>Loads the table at <paramref name="tablePath"/> at the latest version or at <paramref name="version"/>.</summary>
    public static Snapshot Load(string tablePath, long? version = null) => Load(new LocalLogStore(tablePath), version);

    /// <summary>Loads the table behind <paramref name="store"/> at the latest version or at <paramref name="version"/>.</summary>
    /// <exception cref="DeltaException">Not a table, version not found, corrupt or non-contiguous log, missing protocol/metadata, unsupported protocol.</exception>
    public static Snapshot Load(ILogStore store, long? version = null) => Load(store, version, ParallelListingFrom);

    /// <summary><see cref="Load(ILogStore, long?)"/> with the checkpoint version from which listing and replay run side by side.</summary>
    internal static Snapshot Load(ILogStore store, long? version, long parallelListingFrom)
    {
        if (version < 0)
        {
            throw new DeltaException(DeltaErrorKind.VersionNotFound, $"Version {version} is not valid: versions start at 0.", store.TablePath);
        }

        var hint = LastCheckpoint.TryRead(store);
        var guess = hint is null || hint.Version < parallelListingFrom ? null : LogSegment.TryProbe(store, hint, version);
        if (guess is null)
        {
            return Replay(store, LogSegment.Build(store, hint, version));
        }

        // Listing a long _delta_log costs more than replaying a checkpoint and a few commits, so the probed segment is
        // replayed on the thread pool while this thread lists. The listing decides: only when it finds the same files
        // does the replay stand, so gaps, newer checkpoints and racing commits are handled exactly as without the
        // guess. The replay is claimed here when the pool has not started it by the time the listing is done, so a
        // busy pool costs no wait for a thread.
        var replay = new ProbedReplay(store, guess);
        ThreadPool.UnsafeQueueUserWorkItem(replay, preferLocal: false);
        LogSegment segment;
        try
        {
            segment = LogSegment.Build(store, hint, version);
        }
        catch
        {
            replay.Abandon();
            throw;
        }

        if (segment.SameFiles(guess) && replay.Result is { } replayed)
        {
            return replayed;
        }

        replay.Abandon();
        return Replay(store, segment);
    }

    /// <summary>The replay of a probed segment, run by whichever comes first: a pool thread or the loading thread.</summary>
    private sealed class ProbedReplay : IThreadPoolWorkItem
    {
        private readonly Lazy<Snapshot?> _result;
        private volatile bool _abandoned;

        public ProbedReplay(ILogStore store, LogSegment guess) =>
            _result = new Lazy<Snapshot?>(() => TryReplay(store, guess), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>The replayed snapshot, or null when a file the probe saw is gone or unreadable (the listing's replay then reports it).</summary>
        public Snapshot? Result => _result.Value;

        public void Abandon() => _abandoned = true;

        public void Execute()
        {
            if (_abandoned)
            {
                return;
            }

            try
            {
                _ = _result.Value;
            }
            catch (Exception)
            {
                // Lazy keeps the exception, and the loading thread rethrows it if it asks for the result.
            }
        }

        private static Snapshot? TryReplay(ILogStore store, LogSegment guess)
        {
            try
            {
                return Replay(store, guess);
            }
            catch (Exception e) when (e is DeltaException or IOException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The checkpoint version from which the listing and the replay run side by side. A log holds at least one commit
    /// file per version until log cleanup, so below this the listing is short, and handing the replay to another
    /// thread (waking an idle CPU, then waiting for it) cost more than listing on this machine (benchmarks.md).
    /// </summary>
    private const long ParallelListingFrom = 2_000;

    private static Snapshot Replay(ILogStore store, LogSegment segment)
    {
        Protocol? protocol = null;
        Metadata? metadata = null;
        var files = new Dictionary<(string, string?), AddFile>();
        var tombstones = new Dictionary<(string, string?), RemoveFile>();
        var transactions = new Dictionary<string, Txn>(StringComparer.Ordinal);
        var domains = new Dictionary<string, DomainMetadata>(StringComparer.Ordinal);
        long? lastInCommitTimestamp = null;

        void Apply(DeltaAction a)
        {
            if (a.Add is { } add)
            {
                files[add.Key] = add;
                tombstones.Remove(add.Key);
            }
            else if (a.Remove is { } remove)
            {
                files.Remove(remove.Key);
                tombstones[remove.Key] = remove;
            }
            else if (a.Metadata is { } m)
            {
                metadata = m;
            }
            else if (a.Protocol is { } p)
            {
                protocol = p;
            }
            else if (a.Txn is { } t)
            {
                transactions[t.AppId] = t;
            }
            else if (a.DomainMetadata is { } d)
            {
                if (d.Removed)
                {
                    domains.Remove(d.Domain);
                }
                else
                {
                    domains[d.Domain] = d;
                }
            }
        }

        if (segment.Checkpoint.Count > 0)
        {
            foreach (var action in CheckpointReader.ReadActions(store, segment.Checkpoint))
            {
                Apply(action);
            }
        }

        foreach (var commit in segment.Commits)
        {
            byte[] bytes;
            try
            {
                bytes = store.Read(commit.Name);
            }
            catch (FileNotFoundException e)
            {
                throw new DeltaException(DeltaErrorKind.NonContiguousVersions,
                    $"Commit file {commit.Name} of {store.TablePath} disappeared while the table was read (log cleanup?). Read the table again.", store.TablePath, e);
            }

            lastInCommitTimestamp = null;
            foreach (var action in ActionJson.ParseCommit(bytes, commit.Name))
            {
                if (action.CommitInfo is { InCommitTimestamp: { } ict })
                {
                    lastInCommitTimestamp = ict;
                }

                Apply(action);
            }
        }

        if (protocol is null)
        {
            throw new DeltaException(DeltaErrorKind.MissingProtocol,
                $"The log of {store.TablePath} up to version {segment.Version} has no protocol action, so it is not a valid Delta table. Restore the first commit (or the checkpoint) from a backup.", store.TablePath);
        }

        if (metadata is null)
        {
            throw new DeltaException(DeltaErrorKind.MissingMetadata,
                $"The log of {store.TablePath} up to version {segment.Version} has no metaData action, so the table has no schema. Restore the first commit (or the checkpoint) from a backup.", store.TablePath);
        }

        TableFeatureSupport.Validate(protocol, metadata, store.TablePath, forWrite: false);
        var properties = new TableProperties(metadata.Configuration);
        if (properties.InCommitTimestamps && lastInCommitTimestamp is null && segment.Commits.Count == 0)
        {
            // The version is a checkpoint's, so no commit was replayed: its in-commit timestamp is in its own commit file.
            lastInCommitTimestamp = TryFirstInCommitTimestamp(store, segment.Version);
        }

        var timestamp = properties.InCommitTimestamps && lastInCommitTimestamp is { } t ? t : segment.LastCommitModificationTime;
        return new Snapshot(store, segment, protocol, metadata, files, tombstones, transactions, domains, timestamp);
    }

    private static long? TryFirstInCommitTimestamp(ILogStore store, long version)
    {
        try
        {
            return CommitTimestamps.FirstInCommitTimestamp(store, LogFileName.Commit(version));
        }
        catch (FileNotFoundException)
        {
            // Cleaned up after the checkpoint was written: the file time of the checkpoint is all there is.
            return null;
        }
    }
}
