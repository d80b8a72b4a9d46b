using System.Globalization;
using Lakehouse.Delta;
using Lakehouse.Delta.ChangeData;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Storage;
using Lakehouse.Embedded.Sql;
using Lakehouse.Embedded.Sql.Sources;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The DuckDB SELECT of a Delta table's change data feed (<c>readChangeFeed</c>): the table's columns at the end
/// version, then <c>_change_type</c>, <c>_commit_version</c> and <c>_commit_timestamp</c>. Each file of the feed
/// (<see cref="ChangeDataFeed"/>) is read with <c>read_parquet</c>; its commit version, timestamp, change type and
/// partition values are joined in per file by DuckDB's <c>file_index</c>, and rows its deletion vector names are
/// taken out as in <see cref="DeltaScanSql"/>.
/// </summary>
internal static class ChangeFeedSql
{
    /// <summary>The feed's columns after the table's, in Spark's order and with Spark's types.</summary>
    public static readonly (string Name, PrimitiveType Type)[] FeedColumns =
    [
        ("_change_type", PrimitiveType.String),
        ("_commit_version", PrimitiveType.Long),
        ("_commit_timestamp", PrimitiveType.Timestamp),
    ];

    /// <summary>Whether read options ask for the change data feed (<c>readChangeFeed</c>, or Delta's older <c>readChangeData</c>).</summary>
    public static bool Requested(IReadOnlyDictionary<string, string> options) =>
        options.Any(o => (o.Key.Equals("readChangeFeed", StringComparison.OrdinalIgnoreCase) || o.Key.Equals("readChangeData", StringComparison.OrdinalIgnoreCase))
                         && o.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The feed of the table at <paramref name="tablePath"/> for the range the read options give.</summary>
    public static ChangeSet Load(string tablePath, IReadOnlyDictionary<string, string> options)
    {
        var table = global::Lakehouse.Delta.DeltaTable.ForPath(tablePath);
        if (!table.Exists)
        {
            throw Errors.PathNotFound(tablePath + " (no Delta table: _delta_log has no commits)");
        }

        string? Option(string key) => options.FirstOrDefault(o => o.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;
        if (Option("versionAsOf") is not null || Option("timestampAsOf") is not null)
        {
            throw Errors.InvalidArgument("readChangeFeed",
                "versionAsOf/timestampAsOf do not apply to the change data feed; give its range with startingVersion and endingVersion instead");
        }

        var startVersion = Option("startingVersion");
        var startTimestamp = Option("startingTimestamp");
        var endVersion = Option("endingVersion");
        var endTimestamp = Option("endingTimestamp");
        if (startVersion is null && startTimestamp is null)
        {
            throw new EmbeddedException("DELTA_NO_START_FOR_CDC_READ", "42601",
                "Reading the change data feed needs a start: pass the option startingVersion (the first version whose changes to read) or startingTimestamp.");
        }

        if ((startVersion is not null && startTimestamp is not null) || (endVersion is not null && endTimestamp is not null))
        {
            throw new EmbeddedException("DELTA_MULTIPLE_CDC_BOUNDARY", "42614",
                "The change data feed got both a version and a timestamp for the same end of its range. Pass startingVersion or startingTimestamp, and endingVersion or endingTimestamp, not both.");
        }

        return DeltaErrors.Map(() =>
        {
            long start;
            long? end = endVersion is not null ? ChangeDataFeed.ParseVersion("endingVersion", endVersion) : null;
            if (startVersion is not null)
            {
                start = ChangeDataFeed.ParseVersion("startingVersion", startVersion);
                if (endTimestamp is not null)
                {
                    end = ChangeDataFeed.VersionsAt(table.Store, DateTimeOffset.MinValue, Timestamp("endingTimestamp", endTimestamp)).End;
                }
            }
            else
            {
                var (s, e) = ChangeDataFeed.VersionsAt(table.Store, Timestamp("startingTimestamp", startTimestamp!), endTimestamp is null ? null : Timestamp("endingTimestamp", endTimestamp));
                start = s;
                end ??= e;
            }

            if (end < start)
            {
                // Delta on Spark's error class for this case; the library's check would report it without one.
                throw new EmbeddedException("DELTA_INVALID_CDC_RANGE", "22003",
                    $"The change data feed range of {tablePath} ends (version {end}) before it starts (version {start}). Pass an ending version at or after the starting version.");
            }

            return ChangeDataFeed.Read(table.Store, start, end);
        });
    }

    /// <summary>A timestamp option; without an offset it is UTC, as <c>timestampAsOf</c> reads it here.</summary>
    private static DateTimeOffset Timestamp(string option, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts)
            ? ts
            : throw Errors.InvalidArgument(option, $"'{text}' is not a timestamp; pass one such as 2026-01-31 12:00:00 (UTC) or 2026-01-31T12:00:00+01:00");

    /// <summary>The SELECT over the feed's files, and its column names.</summary>
    /// <param name="changes">The feed.</param>
    /// <param name="rows">Runs a query (for the files' footers).</param>
    public static SourceSql Sql(ChangeSet changes, Func<string, IReadOnlyList<object?[]>> rows)
    {
        var fields = changes.Metadata.Schema.Fields;
        if (fields.FirstOrDefault(f => FeedColumns.Any(c => c.Name.Equals(f.Name, StringComparison.OrdinalIgnoreCase))) is { } clash)
        {
            throw new EmbeddedException("DELTA_CHANGE_DATA_FEED_RESERVED_COLUMN", "42939",
                $"The table {changes.TablePath} has a column `{clash.Name}`, a name the change data feed uses for its own columns, so its feed cannot be read. Rename the column.");
        }

        var names = fields.Select(f => f.Name).Concat(FeedColumns.Select(c => c.Name)).ToList();
        var files = changes.Commits.SelectMany(c => c.Files.Select(f => new Entry(c, f, Locate(changes, c, f)))).ToList();
        if (files.Count == 0)
        {
            var nulls = fields.Select(f => (f.Name, Types.ToDuckDb(f.Type))).Concat(FeedColumns.Select(c => (c.Name, Types.ToDuckDb(c.Type))));
            return new SourceSql("SELECT " + string.Join(", ", nulls.Select(n => $"CAST(NULL AS {n.Item2}) AS {SqlText.Ident(n.Name)}")) + " WHERE FALSE", names);
        }

        // cdc files carry _change_type and no deletion vector; data files get theirs per file. A path read twice (a file
        // added, removed and added again by RESTORE in the range) goes to another read_parquet: file_index must name one entry.
        var parts = new List<string>();
        foreach (var group in files.GroupBy(f => f.File.Kind == ChangeFileKind.ChangeData))
        {
            parts.AddRange(Buckets(group).Select(b => BucketSql(changes, b, group.Key, rows)));
        }

        return new SourceSql(string.Join(" UNION ALL ", parts), names);
    }

    private sealed record Entry(CommitChanges Commit, ChangeFile File, FileInfo Info);

    private static FileInfo Locate(ChangeSet changes, CommitChanges commit, ChangeFile file)
    {
        var info = new FileInfo(TablePaths.ResolveDataFile(changes.TablePath, file.Path));
        if (!info.Exists)
        {
            var what = file.Kind switch
            {
                ChangeFileKind.ChangeData => "the change data file",
                ChangeFileKind.Added => "the data file added",
                _ => "the data file removed",
            };
            throw new EmbeddedException("DELTA_CHANGE_DATA_FILE_NOT_FOUND", "42K03",
                $"The change data feed of {changes.TablePath} needs {what} at version {commit.Version}, '{file.Path}', which no longer exists (VACUUM removes such files once they are "
                + $"older than the retention period). Read a range that starts after version {commit.Version}, or read the table itself (time travel) instead of its changes.",
                new Dictionary<string, string> { ["filePath"] = file.Path, ["version"] = commit.Version.ToString(CultureInfo.InvariantCulture) });
        }

        return info;
    }

    private static List<List<Entry>> Buckets(IEnumerable<Entry> entries)
    {
        var buckets = new List<(HashSet<string> Paths, List<Entry> Entries)>();
        foreach (var entry in entries)
        {
            var bucket = buckets.FirstOrDefault(b => !b.Paths.Contains(entry.Info.FullName));
            if (bucket.Paths is null)
            {
                bucket = (new HashSet<string>(StringComparer.Ordinal), []);
                buckets.Add(bucket);
            }

            bucket.Paths.Add(entry.Info.FullName);
            bucket.Entries.Add(entry);
        }

        return [.. buckets.Select(b => b.Entries)];
    }

    private static string BucketSql(ChangeSet changes, List<Entry> files, bool changeData, Func<string, IReadOnlyList<object?[]>> rows)
    {
        var metadata = changes.Metadata;
        var mode = new TableProperties(metadata.Configuration).ColumnMappingMode;
        var partitionColumns = metadata.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = metadata.Schema.Fields;
        var partitionFields = fields.Where(f => partitionColumns.Contains(f.Name)).ToList();
        var timestampType = Types.ToDuckDb(PrimitiveType.Timestamp);

        var fileRows = files.Select((f, i) =>
        {
            var changeType = f.File.ChangeType is { } ct ? SqlText.Str(ct) : "CAST(NULL AS VARCHAR)";
            var timestamp = f.Commit.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff+00", CultureInfo.InvariantCulture);
            IEnumerable<string> values =
            [
                i.ToString(CultureInfo.InvariantCulture), changeType,
                $"CAST({f.Commit.Version.ToString(CultureInfo.InvariantCulture)} AS BIGINT)", $"CAST({SqlText.Str(timestamp)} AS {timestampType})",
            ];
            return "(" + string.Join(", ", values.Concat(partitionFields.Select(p => DeltaScanSql.PartitionLiteral(p, mode, f.File.PartitionValues)))) + ")";
        });
        var fileColumns = new[] { "__file", "__ct", "__v", "__ts" }.Concat(partitionFields.Select((_, i) => $"__p{i}"));

        var deleted = changeData ? [] : DeltaScanSql.DeletedRowKeys(changes.TablePath, files.Select(f => (f.File.Path, f.File.DeletionVector)).ToList());
        var footers = ParquetColumns.Of(files.Select(f => new ParquetFileKey(f.Info.FullName, f.Info.Length, f.Info.LastWriteTimeUtc.Ticks)).ToList(), rows);
        var present = footers.All;
        if (changeData && !present.Contains("_change_type"))
        {
            throw new EmbeddedException("DELTA_CHANGE_DATA_FILE_CORRUPT", "XX000",
                $"The change data files of {changes.TablePath} ({string.Join(", ", files.Select(f => f.File.Path).Take(3))}) have no _change_type column, which PROTOCOL.md requires of every cdc file. "
                + "The writer that made them does not follow the protocol; read the table itself (time travel) instead of its changes.");
        }

        var parquet = $"read_parquet({SqlText.StrList(files.Select(f => f.Info.FullName))}, {footers.ReadOptions}{(deleted.Length > 0 ? ", file_row_number = true" : "")})";
        var select = fields.Select(f =>
        {
            var pi = partitionFields.IndexOf(f);
            var source = pi >= 0 ? $"p.__p{pi}" : present.Contains(f.PhysicalName(mode)) ? $"d.{SqlText.Ident(f.PhysicalName(mode))}" : "NULL";
            return $"CAST({source} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}";
        }).Concat([
            $"{(changeData ? "CAST(d.\"_change_type\" AS VARCHAR)" : "p.__ct")} AS \"_change_type\"",
            "p.__v AS \"_commit_version\"",
            "p.__ts AS \"_commit_timestamp\"",
        ]);
        var sql = $"SELECT {string.Join(", ", select)} FROM {parquet} AS d JOIN (VALUES {string.Join(", ", fileRows)}) AS p({string.Join(", ", fileColumns)}) ON d.file_index = p.__file";
        if (deleted.Length > 0)
        {
            sql += $" ANTI JOIN (SELECT unnest(CAST(string_split({SqlText.Str(string.Join(",", deleted))}, ',') AS BIGINT[])) AS __dkey) AS x "
                 + $"ON (CAST(d.file_index AS BIGINT) << {DeltaScanSql.FileIndexShift}) + d.file_row_number = x.__dkey";
        }

        return sql;
    }
}
