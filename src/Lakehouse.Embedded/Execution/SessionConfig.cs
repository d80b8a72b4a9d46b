namespace Lakehouse.Embedded.Execution;

/// <summary>
/// A session's Spark confs (the Config RPC). Keys clients read and parse get Spark's defaults
/// (brief, embedded server rule 4); <c>spark.sql.session.timeZone</c> also sets DuckDB's TimeZone.
/// </summary>
internal sealed class SessionConfig
{
    public const string TimeZoneKey = "spark.sql.session.timeZone";

    private static readonly HashSet<string> Static = new(StringComparer.Ordinal)
    {
        "spark.sql.extensions", "spark.sql.catalog.spark_catalog", "spark.master", "spark.app.name", "spark.sql.warehouse.dir",
    };

    private readonly object _sync = new();
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _defaults;
    private string? _pendingTimeZone;

    public SessionConfig(EmbeddedOptions options)
    {
        _defaults = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TimeZoneKey] = options.SessionTimeZone,
            ["spark.sql.session.localRelationCacheThreshold"] = "67108864",
            ["spark.sql.execution.arrow.maxRecordsPerBatch"] = options.MaxRecordsPerBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["spark.sql.pyspark.jvmStacktrace.enabled"] = "false",
            ["spark.sql.connect.serverStacktrace.enabled"] = "false",
            ["spark.sql.ansi.enabled"] = "true",
            ["spark.sql.caseSensitive"] = "false",
            ["spark.sql.warehouse.dir"] = Path.GetFullPath(options.Warehouse),
        };
    }

    public string TimeZone => Get(TimeZoneKey) ?? "UTC";

    public string? Get(string key)
    {
        lock (_sync)
        {
            return _values.TryGetValue(key, out var v) ? v : _defaults.GetValueOrDefault(key);
        }
    }

    public bool IsSet(string key)
    {
        lock (_sync)
        {
            return _values.ContainsKey(key) || _defaults.ContainsKey(key);
        }
    }

    public IReadOnlyList<KeyValuePair<string, string>> All(string? prefix)
    {
        lock (_sync)
        {
            return _defaults.Where(d => !_values.ContainsKey(d.Key)).Concat(_values)
                .Where(kv => prefix is null || kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        }
    }

    public void Set(string key, string value)
    {
        if (Static.Contains(key))
        {
            throw new EmbeddedException("CANNOT_MODIFY_CONFIG", "46110",
                $"Cannot modify the value of the static Spark config: \"{key}\". Set it when the server starts.",
                new Dictionary<string, string> { ["key"] = $"\"{key}\"", ["docroot"] = "https://spark.apache.org/docs/latest" });
        }

        if (key == TimeZoneKey && !TimeZoneInfo.TryFindSystemTimeZoneById(value, out _) && value != "UTC")
        {
            throw new EmbeddedException("INVALID_CONF_VALUE.TIME_ZONE", "22022",
                $"The value '{value}' in the config \"{key}\" is invalid. Use a region id such as 'Europe/Paris' or 'UTC'.",
                new Dictionary<string, string> { ["confValue"] = value, ["confName"] = key });
        }

        lock (_sync)
        {
            _values[key] = value;
            if (key == TimeZoneKey)
            {
                _pendingTimeZone = value;
            }
        }
    }

    public void Unset(string key)
    {
        lock (_sync)
        {
            _values.Remove(key);
            if (key == TimeZoneKey)
            {
                _pendingTimeZone = _defaults[TimeZoneKey];
            }
        }
    }

    public static bool IsModifiable(string key) => !Static.Contains(key);

    /// <summary>The time zone to apply to DuckDB if it changed since the last call.</summary>
    public string? TakeTimeZoneChange()
    {
        lock (_sync)
        {
            var tz = _pendingTimeZone;
            _pendingTimeZone = null;
            return tz;
        }
    }
}
