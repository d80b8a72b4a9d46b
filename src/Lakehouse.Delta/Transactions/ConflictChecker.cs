using Lakehouse.Delta.Actions;

namespace Lakehouse.Delta.Transactions;

/// <summary>
/// Decides whether a transaction that lost the race for version N can still commit after the winners
/// (versions N..M), following Delta's optimistic concurrency rules at the Serializable level
/// (PROTOCOL.md, "Optimistic Concurrency Control"; Delta's ConflictChecker). Raises
/// <see cref="ConcurrentModificationException"/> on the first conflict; returns normally when the
/// transaction can be rebased onto the winners.
/// </summary>
internal sealed class ConflictChecker
{
    private readonly string _tablePath;
    private readonly long _readVersion;
    private readonly ReadScope _read;
    private readonly IReadOnlyDictionary<string, AddFile> _snapshotFiles;
    private readonly HashSet<string> _removedPaths;
    private readonly string? _appId;
    private readonly HashSet<string> _domains;
    private readonly bool _changesMetadata;

    public ConflictChecker(string tablePath, long readVersion, ReadScope read, IReadOnlyDictionary<string, AddFile> snapshotFiles,
        IEnumerable<RemoveFile> removes, string? appId, IEnumerable<string> domains, bool changesMetadata)
    {
        _tablePath = tablePath;
        _readVersion = readVersion;
        _read = read;
        _snapshotFiles = snapshotFiles;
        _removedPaths = removes.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        _appId = appId;
        _domains = domains.ToHashSet(StringComparer.Ordinal);
        _changesMetadata = changesMetadata;
    }

    /// <summary>Checks one winning commit.</summary>
    public void Check(long winningVersion, IReadOnlyList<DeltaAction> winner)
    {
        var operation = winner.Select(a => a.CommitInfo?.Operation).FirstOrDefault(o => o is not null);
        ConcurrentModificationException Conflict(string what) => new(what, _readVersion, winningVersion, operation, _tablePath);

        foreach (var action in winner)
        {
            if (action.Protocol is not null)
            {
                throw Conflict("The protocol of the table changed (ProtocolChanged).");
            }

            if (action.Metadata is not null)
            {
                throw Conflict("The metadata of the table (schema, partitioning or properties) changed (MetadataChanged).");
            }

            if (action.Txn is { } txn && _appId is not null && txn.AppId == _appId)
            {
                throw Conflict($"Another writer committed a transaction of the same application '{txn.AppId}' (ConcurrentTransaction).");
            }

            if (action.DomainMetadata is { } dm && _domains.Contains(dm.Domain))
            {
                throw Conflict($"Both transactions changed the domain metadata '{dm.Domain}' (ConcurrentDomainMetadata).");
            }

            // A transaction that only rearranges data (dataChange=false adds, as optimize writes) adds no rows a reader could miss.
            if (action.Add is { DataChange: true } add && _read.ReadsPartitionOf(add) is { } scope)
            {
                throw Conflict($"Files were added to {scope}, which this transaction read: '{add.Path}' (ConcurrentAppend).");
            }

            if (action.Remove is { } remove)
            {
                if (_removedPaths.Contains(remove.Path))
                {
                    throw Conflict($"The file '{remove.Path}' that this transaction removes was already removed (ConcurrentDeleteDelete).");
                }

                var partitionValues = remove.PartitionValues ?? _snapshotFiles.GetValueOrDefault(remove.Path)?.PartitionValues;
                if (_snapshotFiles.ContainsKey(remove.Path) && _read.ReadFile(remove.Path, partitionValues))
                {
                    throw Conflict($"The file '{remove.Path}' that this transaction read was removed (ConcurrentDeleteRead).");
                }
            }
        }

        if (_changesMetadata && winner.Any(a => a.Add is not null || a.Remove is not null))
        {
            throw Conflict("This transaction changes the table's metadata while the other one wrote data under the old metadata (MetadataChanged).");
        }
    }
}
