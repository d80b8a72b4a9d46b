namespace Lakehouse.Delta.Maintenance;

/// <summary>The files and directories under a table root that vacuum may consider, hidden ones left out.</summary>
internal sealed class VacuumListing
{
    private VacuumListing(List<Entry> files, List<Entry> directories)
    {
        Files = files;
        Directories = directories;
    }

    /// <summary>Data files (and other non-hidden files) at any depth.</summary>
    public IReadOnlyList<Entry> Files { get; }

    /// <summary>Directories below the root that are not hidden.</summary>
    public IReadOnlyList<Entry> Directories { get; }

    /// <summary>Walks <paramref name="tableRoot"/>, skipping hidden names (see <see cref="IsHidden"/>).</summary>
    public static VacuumListing List(string tableRoot, IReadOnlyList<string> partitionColumns)
    {
        var files = new List<Entry>();
        var dirs = new List<Entry>();
        var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
        pending.Push((new DirectoryInfo(tableRoot), ""));
        while (pending.Count > 0)
        {
            var (dir, relative) = pending.Pop();
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (IsHidden(entry.Name, partitionColumns))
                {
                    continue;
                }

                var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                var modified = new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero);
                switch (entry)
                {
                    case DirectoryInfo sub when sub.LinkTarget is null:
                        dirs.Add(new Entry(path, sub.FullName, 0, modified));
                        pending.Push((sub, path));
                        break;
                    case FileInfo file:
                        files.Add(new Entry(path, file.FullName, file.Length, modified));
                        break;
                }
            }
        }

        return new VacuumListing(files, dirs);
    }

    /// <summary>
    /// Spark's rule for names vacuum never touches: those starting with <c>_</c> or <c>.</c> (<c>_delta_log</c>,
    /// <c>_SUCCESS</c>, <c>.crc</c> files), except partition directories of a partition column that starts with <c>_</c>
    /// and the change-data directory <c>_change_data</c>, whose expired files vacuum does remove.
    /// </summary>
    public static bool IsHidden(string name, IReadOnlyList<string> partitionColumns) =>
        (name.StartsWith('_') || name.StartsWith('.'))
        && !name.StartsWith("_change_data", StringComparison.Ordinal)
        && !partitionColumns.Any(c => name.StartsWith(c + "=", StringComparison.Ordinal));

    /// <summary>One file or directory: path relative to the root with '/' separators, absolute path, size, modification time.</summary>
    internal sealed record Entry(string RelativePath, string FullPath, long Size, DateTimeOffset ModifiedUtc);
}
