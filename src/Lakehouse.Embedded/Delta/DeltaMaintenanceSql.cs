using System.Globalization;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>RESTORE, OPTIMIZE and VACUUM of Delta Connect, run by Lakehouse.Delta's maintenance operations, with Delta's result rows.</summary>
internal static class DeltaMaintenanceSql
{
    private const string RetentionCheckKey = "spark.databricks.delta.retentionDurationCheck.enabled";

    /// <summary>RESTORE: one row of Delta's restore metrics.</summary>
    public static string Restore(EngineSession session, RestoreTable restore)
    {
        var path = DeltaTarget.PathOf(session, restore.Table);
        DmlTable.Load(path);
        var result = DeltaErrors.Map(() => restore.VersionOrTimestampCase switch
        {
            RestoreTable.VersionOrTimestampOneofCase.Version => Lakehouse.Delta.Maintenance.Restore.ToVersion(path, restore.Version),
            RestoreTable.VersionOrTimestampOneofCase.Timestamp => Lakehouse.Delta.Maintenance.Restore.ToTimestamp(path, ParseTimestamp(restore.Timestamp, session.Config.TimeZone)),
            _ => throw Errors.InvalidArgument("RestoreTable", "give a version or a timestamp to restore to"),
        });
        return RestoreSql(result.TableSizeAfterRestore, result.NumOfFilesAfterRestore, result.NumRemovedFiles, result.NumRestoredFiles,
            result.RemovedFilesSize, result.RestoredFilesSize);
    }

    /// <summary>RESTORE's result row.</summary>
    public static string RestoreSql(long tableSize, long files, long removedFiles, long restoredFiles, long removedSize, long restoredSize) => ResultRows.Longs(
        ("table_size_after_restore", tableSize), ("num_of_files_after_restore", files), ("num_removed_files", removedFiles),
        ("num_restored_files", restoredFiles), ("removed_files_size", removedSize), ("restored_files_size", restoredSize));

    /// <summary>
    /// OPTIMIZE with partition filters: bin-packing compaction, or with Z-order columns <see cref="ZOrderOptimize"/>; the table
    /// path and a metrics struct, as Delta returns them.
    /// </summary>
    public static string Optimize(EngineSession session, OptimizeTable optimize, CancellationToken cancellationToken)
    {
        var path = DeltaTarget.PathOf(session, optimize.Table);
        DmlTable.Load(path);
        var where = optimize.PartitionFilters.Count == 0 ? null : string.Join(" AND ", optimize.PartitionFilters.Select(f => $"({f})"));
        var result = optimize.ZorderColumns.Count > 0
            ? ZOrderOptimize.Run(session, path, where, optimize.ZorderColumns, cancellationToken)
            : DeltaErrors.Map(() => Lakehouse.Delta.Maintenance.Optimize.RunAsync(path, new OptimizeOptions { Where = where }, cancellationToken).GetAwaiter().GetResult());
        return OptimizeSql(new Uri(path).AbsoluteUri, result.NumAddedFiles, result.NumRemovedFiles, result.NumAddedBytes, result.NumRemovedBytes, result.PartitionsOptimized);
    }

    /// <summary>
    /// OPTIMIZE's result row: the table location and a metrics struct. The text is read the same by DuckDB and by the
    /// Spark SQL rewriter (no quoted identifiers), so it can also be the result relation of an OPTIMIZE statement.
    /// </summary>
    public static string OptimizeSql(string location, long addedFiles, long removedFiles, long addedBytes, long removedBytes, long partitions)
    {
        static string L(long v) => $"CAST({SqlText.Int(v)} AS BIGINT)";
        static string Stats(long files, long bytes) => $"struct_pack(totalFiles := {L(files)}, totalSize := {L(bytes)})";
        return $"SELECT {SqlText.Str(location)} AS path, struct_pack(numFilesAdded := {L(addedFiles)}, numFilesRemoved := {L(removedFiles)}, "
             + $"filesAdded := {Stats(addedFiles, addedBytes)}, filesRemoved := {Stats(removedFiles, removedBytes)}, "
             + $"partitionsOptimized := {L(partitions)}) AS metrics";
    }

    /// <summary>VACUUM: deletes what the table no longer needs; returns the table path (one row), as Delta's VACUUM does.</summary>
    public static string Vacuum(EngineSession session, VacuumTable vacuum)
    {
        var (path, _) = RunVacuum(session, vacuum, dryRun: false);
        return $"SELECT {SqlText.Str(new Uri(path).AbsoluteUri)} AS \"path\"";
    }

    /// <summary>VACUUM … DRY RUN: deletes nothing; the files VACUUM would delete, fully qualified as Delta lists them.</summary>
    public static IReadOnlyList<string> VacuumDryRun(EngineSession session, VacuumTable vacuum)
    {
        var (path, result) = RunVacuum(session, vacuum, dryRun: true);
        return [.. result.Files.Select(f => "file:" + new Uri(System.IO.Path.Combine(path, f)).AbsolutePath)];
    }

    private static (string Path, VacuumResult Result) RunVacuum(EngineSession session, VacuumTable vacuum, bool dryRun)
    {
        var path = DeltaTarget.PathOf(session, vacuum.Table);
        DmlTable.Load(path);
        var options = new VacuumOptions
        {
            Retention = vacuum.HasRetentionHours ? TimeSpan.FromHours(vacuum.RetentionHours) : null,
            DisableRetentionCheck = session.Config.Get(RetentionCheckKey) is { } v && v.Equals("false", StringComparison.OrdinalIgnoreCase),
            DryRun = dryRun,
        };
        return (path, DeltaErrors.Map(() => Lakehouse.Delta.Maintenance.Vacuum.Run(path, options)));
    }

    /// <summary>Whether <paramref name="path"/> holds a Delta table: one boolean row.</summary>
    public static string IsDeltaTable(string path) =>
        $"SELECT {(Lakehouse.Delta.DeltaTable.ForPath(Path.GetFullPath(path)).Exists ? "TRUE" : "FALSE")} AS \"value\"";

    private static DateTimeOffset ParseTimestamp(string text, string timeZone)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
        {
            // A timestamp without an offset is in the session time zone, as Spark reads it.
            if (!HasOffset(text) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
            {
                var local = DateTime.SpecifyKind(ts.UtcDateTime, DateTimeKind.Unspecified);
                return new DateTimeOffset(local, zone.GetUtcOffset(local));
            }

            return ts;
        }

        throw Errors.InvalidArgument("timestamp", $"'{text}' is not a timestamp (use yyyy-MM-dd HH:mm:ss)");
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{2}:?\d{2}$");
}
