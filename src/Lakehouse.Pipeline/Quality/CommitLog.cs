using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// A table's commit history as incremental checks and gold updates need it (one <c>DESCRIBE HISTORY</c>): each commit's
/// time, operation, write mode, the silver job's bronze progress (<see cref="SilverProgress"/>) and MERGE's row counts.
/// </summary>
internal sealed class CommitLog
{
    private const string Merge = "MERGE";

    /// <summary>Operations that commit no row change: OPTIMIZE rewrites files with the same rows, VACUUM deletes files
    /// no version reads.</summary>
    public static readonly IReadOnlySet<string> NoRowChange = new HashSet<string>(StringComparer.Ordinal) { "OPTIMIZE", "VACUUM START", "VACUUM END" };

    private readonly Dictionary<long, Commit> _commits;

    private CommitLog(string table, IEnumerable<Commit> commits)
    {
        Table = table;
        _commits = commits.ToDictionary(c => c.Version);
    }

    public string Table { get; }

    /// <summary>The latest version.</summary>
    public long Latest => _commits.Keys.Max();

    private sealed record Commit(long Version, long Time, string? Operation, string? Mode, SilverProgress? Progress, long? Inserted, long? Updated, long? Deleted);

    /// <summary>How the table changed between two versions whose commits in between are all silver-job MERGEs or
    /// commits of no row change (<see cref="Since"/>).</summary>
    /// <param name="RowChange">Rows inserted minus rows deleted by those MERGEs; null when a MERGE did not report them.</param>
    /// <param name="Updated">Rows updated by them; null when not reported.</param>
    /// <param name="Deleted">Rows deleted by them; null when not reported.</param>
    public sealed record Change(long? RowChange, long? Updated, long? Deleted)
    {
        /// <summary>Whether every row of the older version is still there unchanged (only inserts since).</summary>
        public bool OnlyInserts => Updated == 0 && Deleted == 0;
    }

    /// <summary>The history of the table at <paramref name="path"/>; null when it does not exist.</summary>
    public static async Task<CommitLog?> TryReadAsync(SparkSession spark, string table, string path, CancellationToken ct)
    {
        var metrics = Col("operationMetrics");
        var history = DeltaTable.ForPath(spark, path).History().Select(
            Col("version"), Col("timestamp"), Col("operation"), Col("userMetadata"), Col("operationParameters").GetItem("mode").Alias("mode"),
            metrics.GetItem("numTargetRowsInserted").Alias("inserted"),
            metrics.GetItem("numTargetRowsUpdated").Alias("updated"),
            metrics.GetItem("numTargetRowsDeleted").Alias("deleted"));
        var rows = await DeltaTables.TryCollectAsync(history, ct).ConfigureAwait(false);
        return rows is null or [] ? null : new CommitLog(table, rows.Select(r => new Commit(
            r.Get<long>("version"), r.Get<DateTimeOffset>("timestamp").ToUnixTimeMilliseconds(), r.Get<string>("operation"), r.Get<string>("mode"),
            SilverProgress.Parse(r.Get<string>("userMetadata")), Number(r["inserted"]), Number(r["updated"]), Number(r["deleted"]))));
    }

    /// <summary><paramref name="version"/> as a basis names it; null when the history no longer has it.</summary>
    public CheckBasis.At? At(long version)
    {
        if (!_commits.TryGetValue(version, out var commit))
        {
            return null;
        }

        return new CheckBasis.At(Table, version, commit.Time, ProgressAt(version)?.BronzeBatch);
    }

    /// <summary>The silver job's bronze progress at <paramref name="version"/>: the newest one recorded up to it (OPTIMIZE
    /// records none); null when none is.</summary>
    public SilverProgress? ProgressAt(long version) =>
        _commits.Values.Where(c => c.Version <= version && c.Progress is not null).MaxBy(c => c.Version)?.Progress;

    /// <summary>The operation and write mode of every commit after <paramref name="version"/>, oldest first; null when the
    /// history misses one of them.</summary>
    public IReadOnlyList<(long Version, string? Operation, string? Mode)>? After(long version)
    {
        var after = new List<(long, string?, string?)>();
        for (var v = version + 1; v <= Latest; v++)
        {
            if (!_commits.TryGetValue(v, out var commit))
            {
                return null;
            }

            after.Add((v, commit.Operation, commit.Mode));
        }

        return after;
    }

    /// <summary>Whether <paramref name="at"/> is a commit of this table as it is (same version, same commit time).</summary>
    public bool Has(CheckBasis.At at) => at.Table == Table && _commits.TryGetValue(at.Version, out var c) && c.Time == at.Time;

    /// <summary>
    /// How the table changed from <paramref name="from"/> to <paramref name="to"/> when every commit in between is a
    /// MERGE of the silver job (bronze progress in its userMetadata) or a commit of no row change
    /// (<see cref="NoRowChange"/>); otherwise why not. Such a commit
    /// only deletes rows, or writes rows of bronze batches above the progress at <paramref name="from"/> (inserted, or
    /// replacing a row of the same key): every row at <paramref name="to"/> is a row at <paramref name="from"/> or has a
    /// <c>_batch_id</c> above <see cref="CheckBasis.At.Batch"/> of <paramref name="from"/>.
    /// </summary>
    public (Change? Change, string? Why) Since(CheckBasis.At from, long to)
    {
        if (!Has(from))
        {
            return (null, $"{from} is no longer a commit of {Table}");
        }

        if (from.Batch is null)
        {
            return (null, $"{Table} records no bronze progress at v{from.Version}");
        }

        if (to < from.Version)
        {
            return (null, $"{Table} v{to} is older than v{from.Version}");
        }

        long? rows = 0, updated = 0, deleted = 0;
        for (var v = from.Version + 1; v <= to; v++)
        {
            if (!_commits.TryGetValue(v, out var commit))
            {
                return (null, $"{Table} v{v} is missing from its history");
            }

            if (commit.Operation == Merge && commit.Progress is not null)
            {
                rows += commit.Inserted - commit.Deleted;
                updated += commit.Updated;
                deleted += commit.Deleted;
            }
            else if (commit.Operation is null || !NoRowChange.Contains(commit.Operation))
            {
                // A replay, a manual DML, a restore or an overwrite may change any row, or write old batch ids.
                return (null, $"{Table} v{v} is a {commit.Operation} commit, not a batch of the silver job");
            }
        }

        return (new Change(rows, updated, deleted), null);
    }

    /// <summary>
    /// Whether the table has only gained values of <paramref name="column"/> from <paramref name="from"/> to
    /// <paramref name="to"/>: every commit in between one of no row change or a MERGE that deleted no row and updated none, or
    /// updated rows only by matching its business key when <paramref name="column"/> is part of it
    /// (<paramref name="keyed"/>: a silver-job MERGE, which matches on the key, so an update keeps the key's values).
    /// </summary>
    public string? WhyNotOnlyGained(CheckBasis.At from, long to, string column, bool keyed)
    {
        if (!Has(from))
        {
            return $"{from} is no longer a commit of {Table}";
        }

        if (to < from.Version)
        {
            return $"{Table} v{to} is older than v{from.Version}";
        }

        for (var v = from.Version + 1; v <= to; v++)
        {
            if (!_commits.TryGetValue(v, out var commit))
            {
                return $"{Table} v{v} is missing from its history";
            }

            var gains = (commit.Operation is not null && NoRowChange.Contains(commit.Operation))
                || (commit.Operation == Merge && commit.Deleted == 0 && (commit.Updated == 0 || (keyed && commit.Progress is not null)));
            if (!gains)
            {
                return $"{Table} v{v} ({commit.Operation}) may have removed a {column}";
            }
        }

        return null;
    }

    /// <summary>
    /// Why Delta's change data feed may not describe every row change after <paramref name="from"/> up to the latest
    /// version, given that the table records the feed now; null when it does: every commit since is a MERGE, UPDATE,
    /// DELETE, append or one of no row change, none of which changes the table's properties, so the feed was on for all
    /// of them. A RESTORE, an overwrite, a schema or property change is none of them.
    /// </summary>
    public string? WhyNotInFeed(long from)
    {
        if (After(from) is not { } commits)
        {
            return $"the history of {Table} after v{from} is incomplete";
        }

        foreach (var (version, operation, mode) in commits)
        {
            var append = operation == "WRITE" && string.Equals(mode, "Append", StringComparison.OrdinalIgnoreCase);
            if (!append && operation is not (Merge or "UPDATE" or "DELETE") && !NoRowChange.Contains(operation ?? ""))
            {
                return $"{Table} v{version} ({operation}) is a commit the change data feed does not describe";
            }
        }

        return null;
    }

    /// <summary>Whether the table at <paramref name="path"/> records Delta's change data feed now
    /// (<c>delta.enableChangeDataFeed</c>); <see cref="WhyNotInFeed"/> tells whether it did over a range.</summary>
    public static async Task<bool> RecordsFeedAsync(SparkSession spark, string path, CancellationToken ct)
    {
        var enabled = (await DeltaTable.ForPath(spark, path).Detail()
                .Select(Col("properties").GetItem(SilverMerge.ChangeDataFeedOption).Alias("cdf"))
                .CollectAsync(ct).ConfigureAwait(false))
            .FirstOrDefault()?.Get<string>("cdf");
        return string.Equals(enabled, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The feed's column naming what a row is (Delta's change data feed).</summary>
    public const string ChangeType = "_change_type";

    /// <summary>Feed rows of a row as it was: the image before an update, and a deleted row.</summary>
    public static readonly string[] OldImages = ["update_preimage", "delete"];

    /// <summary>Feed rows of a row as it became: the image after an update, and an inserted row.</summary>
    public static readonly string[] NewImages = ["update_postimage", "insert"];

    /// <summary>The change data feed of the table at <paramref name="path"/> for versions <paramref name="after"/> + 1 to
    /// <paramref name="upTo"/> (lazy).</summary>
    public static DataFrame Feed(SparkSession spark, string path, long after, long upTo) => spark.Read.Format("delta").Option("readChangeFeed", "true")
        .Option("startingVersion", (after + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Option("endingVersion", upTo.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Load(path);

    private static long? Number(object? value) => value switch
    {
        null => null,
        string s => long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null,
        _ => CheckValues.Long(value),
    };
}
