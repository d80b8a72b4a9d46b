using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Delta.Maintenance;

/// <summary>
/// Deletes data files the table no longer needs, as Spark's <c>VACUUM</c> does: files under the table directory
/// that the current snapshot does not reference, that no tombstone younger than the retention references, and
/// whose modification time is older than the retention (this also removes orphans of crashed writers).
/// </summary>
/// <remarks>
/// Never touched: <c>_delta_log</c>, and every file or directory whose name starts with <c>_</c> or <c>.</c>
/// unless it is a partition directory (<c>_col=value</c> for a partition column <c>_col</c>). Directories left
/// empty are removed. Time travel to versions older than the retention stops working once their files are gone.
/// </remarks>
public static class Vacuum
{
    /// <summary>Vacuums the table at <paramref name="tablePath"/> at its latest version.</summary>
    public static VacuumResult Run(string tablePath, VacuumOptions? options = null) => Run(Snapshot.Load(tablePath), options);

    /// <summary>Vacuums the table of <paramref name="snapshot"/>, keeping what that version and its young tombstones reference.</summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.InvalidRequest"/> when the retention is negative, or shorter than the
    /// table's <c>delta.deletedFileRetentionDuration</c> without <see cref="VacuumOptions.DisableRetentionCheck"/>.</exception>
    public static VacuumResult Run(Snapshot snapshot, VacuumOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        options ??= new VacuumOptions();
        var configured = snapshot.Properties.DeletedFileRetention;
        var retention = options.Retention ?? configured;
        if (retention < TimeSpan.Zero)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest, $"The vacuum retention {retention} is negative. Give a retention of zero or more.", snapshot.TablePath);
        }

        if (retention < configured && !options.DisableRetentionCheck)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The vacuum retention {Describe(retention)} is shorter than the table's delta.deletedFileRetentionDuration ({Describe(configured)}). "
                + "Files that readers of older versions or writers still committing need could be deleted, corrupting the table for them. "
                + "Use a retention of at least the configured one, or force it (retention check disabled) if no reader or writer can be running.",
                snapshot.TablePath);
        }

        var now = options.TimeProvider.GetUtcNow();
        var deleteBefore = now - retention;
        var keep = ReferencedFiles(snapshot, deleteBefore.ToUnixTimeMilliseconds());
        var listing = VacuumListing.List(snapshot.TablePath, snapshot.PartitionColumns);

        var keptDirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in keep)
        {
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                keptDirs.Add(path[..slash]);
            }
        }

        var doomed = listing.Files
            .Where(f => !keep.Contains(f.RelativePath) && f.ModifiedUtc < deleteBefore)
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
        var directoriesDeleted = 0;
        if (!options.DryRun)
        {
            var log = options.LogToHistory ? new VacuumLog(snapshot, options, retention, configured) : null;
            log?.Start(doomed.Count, doomed.Sum(f => f.Size));
            try
            {
                directoriesDeleted = Delete(doomed, listing, keptDirs, deleteBefore);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log?.End("FAILED", doomed.Count(f => !File.Exists(f.FullPath)), directoriesDeleted);
                throw;
            }

            log?.End("COMPLETED", doomed.Count, directoriesDeleted);
        }

        return new VacuumResult
        {
            DryRun = options.DryRun,
            Version = snapshot.Version,
            Retention = retention,
            DeleteBefore = deleteBefore,
            Files = doomed.Select(f => f.RelativePath).ToList(),
            Bytes = doomed.Sum(f => f.Size),
            DirectoriesDeleted = directoriesDeleted,
        };
    }

    private static int Delete(List<VacuumListing.Entry> doomed, VacuumListing listing, HashSet<string> keptDirs, DateTimeOffset deleteBefore)
    {
        foreach (var file in doomed)
        {
            File.Delete(file.FullPath);
        }

        // Deepest first, so that a parent emptied by removing its children goes too. The age test uses the
        // times listed before deleting, as deleting files updates a directory's modification time.
        var deleted = 0;
        foreach (var dir in listing.Directories.Where(d => !keptDirs.Contains(d.RelativePath) && d.ModifiedUtc < deleteBefore)
                     .OrderByDescending(d => d.RelativePath.Count(c => c == '/')))
        {
            if (Directory.Exists(dir.FullPath) && !Directory.EnumerateFileSystemEntries(dir.FullPath).Any())
            {
                Directory.Delete(dir.FullPath);
                deleted++;
            }
        }

        return deleted;
    }

    private static HashSet<string> ReferencedFiles(Snapshot snapshot, long deleteBeforeMs)
    {
        var root = snapshot.TablePath;
        var keep = new HashSet<string>(StringComparer.Ordinal);

        void Add(string absolute)
        {
            var relative = Path.GetRelativePath(root, absolute);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            {
                keep.Add(relative.Replace('\\', '/'));
            }
        }

        foreach (var add in snapshot.Files)
        {
            Add(Storage.TablePaths.ResolveDataFile(root, add.Path));
            if (add.DeletionVector is { } dv && DeletionVectorPath(root, dv) is { } dvPath)
            {
                Add(dvPath);
            }
        }

        // A tombstone younger than the retention still serves readers of recent versions (PROTOCOL.md, Add File and Remove File).
        foreach (var remove in snapshot.Tombstones.Where(r => (r.DeletionTimestamp ?? 0) > deleteBeforeMs))
        {
            Add(Storage.TablePaths.ResolveDataFile(root, remove.Path));
            if (remove.DeletionVector is { } dv && DeletionVectorPath(root, dv) is { } dvPath)
            {
                Add(dvPath);
            }
        }

        return keep;
    }

    private static string? DeletionVectorPath(string root, Actions.DeletionVectorDescriptor dv) =>
        dv.StorageType is "u" or "p" ? Data.Reading.DeletionVectors.DeletionVectorReader.AbsolutePath(dv, root) : null;

    internal static string Describe(TimeSpan t) =>
        t.TotalHours >= 1 && t.TotalHours % 1 == 0 ? $"{t.TotalHours:0} hours" : $"{t.TotalSeconds:0.###} seconds";
}
