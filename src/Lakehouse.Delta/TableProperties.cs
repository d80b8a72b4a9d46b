using System.Globalization;
using System.Text.RegularExpressions;

namespace Lakehouse.Delta;

/// <summary>Typed access to the <c>delta.*</c> table properties this library acts on, with Delta's defaults.</summary>
public sealed partial class TableProperties
{
    private readonly IReadOnlyDictionary<string, string> _configuration;

    /// <summary>Wraps a metadata configuration.</summary>
    public TableProperties(IReadOnlyDictionary<string, string> configuration) => _configuration = configuration;

    /// <summary><c>delta.checkpointInterval</c>: write a checkpoint every N commits (default 10).</summary>
    public int CheckpointInterval => GetInt("delta.checkpointInterval", 10);

    /// <summary><c>delta.logRetentionDuration</c>: how long log entries are kept (default 30 days).</summary>
    public TimeSpan LogRetention => GetInterval("delta.logRetentionDuration", TimeSpan.FromDays(30));

    /// <summary><c>delta.deletedFileRetentionDuration</c>: how long removed files are kept before vacuum may delete them (default 7 days).</summary>
    public TimeSpan DeletedFileRetention => GetInterval("delta.deletedFileRetentionDuration", TimeSpan.FromDays(7));

    /// <summary><c>delta.enableExpiredLogCleanup</c> (default true).</summary>
    public bool ExpiredLogCleanup => GetBool("delta.enableExpiredLogCleanup", true);

    /// <summary><c>delta.appendOnly</c> (default false).</summary>
    public bool AppendOnly => GetBool("delta.appendOnly", false);

    /// <summary><c>delta.enableInCommitTimestamps</c> (default false).</summary>
    public bool InCommitTimestamps => GetBool("delta.enableInCommitTimestamps", false);

    /// <summary><c>delta.enableDeletionVectors</c> (default false): DELETE, UPDATE and MERGE may mark rows deleted instead of rewriting files.</summary>
    public bool EnableDeletionVectors => GetBool(EnableDeletionVectorsKey, false);

    internal const string EnableDeletionVectorsKey = "delta.enableDeletionVectors";

    /// <summary><c>delta.enableChangeDataFeed</c> (default false): DELETE, UPDATE and MERGE also write change data files
    /// (PROTOCOL.md, Change Data Files), once the protocol carries the <c>changeDataFeed</c> feature.</summary>
    public bool EnableChangeDataFeed => GetBool(EnableChangeDataFeedKey, false);

    internal const string EnableChangeDataFeedKey = "delta.enableChangeDataFeed";

    internal const string InCommitTimestampEnablementVersionKey = "delta.inCommitTimestampEnablementVersion";
    internal const string InCommitTimestampEnablementTimestampKey = "delta.inCommitTimestampEnablementTimestamp";

    /// <summary><c>delta.inCommitTimestampEnablementVersion</c>: the first version whose commits carry in-commit timestamps.</summary>
    public long? InCommitTimestampEnablementVersion =>
        _configuration.TryGetValue(InCommitTimestampEnablementVersionKey, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : null;

    /// <summary><c>delta.checkpointPolicy</c>: <c>classic</c> (default) or <c>v2</c>.</summary>
    public string CheckpointPolicy => _configuration.GetValueOrDefault("delta.checkpointPolicy", "classic");

    /// <summary><c>delta.dataSkippingNumIndexedCols</c>: statistics are collected for the first N leaf columns (default 32).</summary>
    public int DataSkippingNumIndexedCols => GetInt("delta.dataSkippingNumIndexedCols", 32);

    /// <summary><c>delta.columnMapping.mode</c>.</summary>
    public Schema.ColumnMappingMode ColumnMappingMode => _configuration.GetValueOrDefault("delta.columnMapping.mode", "none").ToLowerInvariant() switch
    {
        "name" => Schema.ColumnMappingMode.Name,
        "id" => Schema.ColumnMappingMode.Id,
        _ => Schema.ColumnMappingMode.None,
    };

    private int GetInt(string key, int fallback) =>
        _configuration.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0 ? i : fallback;

    private bool GetBool(string key, bool fallback) =>
        _configuration.TryGetValue(key, out var v) && bool.TryParse(v, out var b) ? b : fallback;

    private TimeSpan GetInterval(string key, TimeSpan fallback) =>
        _configuration.TryGetValue(key, out var v) ? ParseInterval(v) ?? fallback : fallback;

    /// <summary>Parses Delta's interval strings: <c>interval 7 days</c>, <c>interval 1 hour</c>, <c>7 days</c>.</summary>
    public static TimeSpan? ParseInterval(string text)
    {
        var m = IntervalPattern().Match(text.Trim());
        if (!m.Success)
        {
            return null;
        }

        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value.ToLowerInvariant().TrimEnd('s') switch
        {
            "week" => TimeSpan.FromDays(7 * n),
            "day" => TimeSpan.FromDays(n),
            "hour" => TimeSpan.FromHours(n),
            "minute" => TimeSpan.FromMinutes(n),
            "second" => TimeSpan.FromSeconds(n),
            "millisecond" => TimeSpan.FromMilliseconds(n),
            "microsecond" => TimeSpan.FromTicks((long)(n * 10)),
            _ => null,
        };
    }

    [GeneratedRegex(@"^(?:interval\s+)?(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex IntervalPattern();
}
