using System.Text.Json;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Maintenance;

/// <summary>The commit history of a table, as Spark's <c>DESCRIBE HISTORY</c> shows it.</summary>
public static class TableHistory
{
    /// <summary>Reads the history of the table at <paramref name="tablePath"/>; see <see cref="Read(ILogStore, int?)"/>.</summary>
    public static IReadOnlyList<HistoryEntry> Read(string tablePath, int? limit = null) => Read(new LocalLogStore(tablePath), limit);

    /// <summary>
    /// One entry per commit still in the log, newest first; at most <paramref name="limit"/> entries when given.
    /// Versions whose commit files were cleaned up are not listed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="DeltaException">Not a table, or a corrupt commit file.</exception>
    public static IReadOnlyList<HistoryEntry> Read(ILogStore store, int? limit = null)
    {
        if (limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The history limit must be positive.");
        }

        var latest = Snapshot.Load(store);
        var timestamps = CommitTimestamps.Load(store, latest.Properties);
        var entries = new List<HistoryEntry>();
        for (var i = timestamps.Count - 1; i >= 0 && (limit is null || entries.Count < limit); i--)
        {
            var file = timestamps.File(i);
            byte[] bytes;
            try
            {
                bytes = store.Read(file.Name);
            }
            catch (FileNotFoundException)
            {
                // Log cleanup removed the commit after it was listed: it is no longer history.
                break;
            }

            var info = ActionJson.ParseCommit(bytes, file.Name).Select(a => a.CommitInfo).FirstOrDefault(c => c is not null);
            entries.Add(ToEntry(timestamps.Version(i), timestamps.Timestamp(i), info));
        }

        return entries;
    }

    private static HistoryEntry ToEntry(long version, long timestamp, CommitInfo? info) => new()
    {
        Version = version,
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(timestamp),
        Operation = info?.Operation,
        OperationParameters = info?.OperationParameters ?? new Dictionary<string, string>(),
        ReadVersion = info?.ReadVersion,
        IsolationLevel = info?.IsolationLevel,
        IsBlindAppend = info?.IsBlindAppend,
        OperationMetrics = info?.OperationMetrics ?? new Dictionary<string, string>(),
        EngineInfo = info?.EngineInfo,
        UserId = Text(info, "userId"),
        UserName = Text(info, "userName"),
        UserMetadata = info?.UserMetadata,
    };

    private static string? Text(CommitInfo? info, string field) =>
        info?.Other?.TryGetValue(field, out var value) == true && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
