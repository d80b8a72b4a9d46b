using Lakehouse.Delta.Actions;

namespace Lakehouse.Delta.Transactions;

/// <summary>
/// What a transaction read from its snapshot, so that files other writers add or remove meanwhile can be
/// checked against it (Delta's ConflictChecker: concurrent appends into what was read, concurrent deletes of what was read).
/// </summary>
internal sealed class ReadScope
{
    private readonly List<(Func<IReadOnlyDictionary<string, string?>, bool> Matches, string Description)> _partitionFilters = [];
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);

    /// <summary>True when the transaction depends on the whole table (an unpartitioned overwrite, a delete on data columns).</summary>
    public bool WholeTable { get; private set; }

    /// <summary>True when the transaction read nothing: a blind write.</summary>
    public bool IsEmpty => !WholeTable && _partitionFilters.Count == 0 && _files.Count == 0;

    public void AddWholeTable() => WholeTable = true;

    public void AddPartitions(Func<IReadOnlyDictionary<string, string?>, bool> matches, string description) =>
        _partitionFilters.Add((matches, description));

    public void AddFiles(IEnumerable<string> paths) => _files.UnionWith(paths);

    /// <summary>Whether a file another writer added falls into what this transaction read; says why when it does.</summary>
    public string? ReadsPartitionOf(AddFile file)
    {
        if (WholeTable)
        {
            return "the whole table";
        }

        foreach (var (matches, description) in _partitionFilters)
        {
            if (matches(file.PartitionValues))
            {
                return description;
            }
        }

        return null;
    }

    /// <summary>Whether this transaction read the file at <paramref name="path"/> (given the snapshot's files, to expand filters).</summary>
    public bool ReadFile(string path, IReadOnlyDictionary<string, string?>? partitionValues) =>
        WholeTable || _files.Contains(path)
        || (partitionValues is not null && _partitionFilters.Any(f => f.Matches(partitionValues)));
}
