using System.Globalization;
using System.Text.Json;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// What a gold table was built from, recorded in its overwrite commit's <c>commitInfo.userMetadata</c> (JSON
/// <c>{"gold_inputs":{"silver.orders":12,…},"gold_input_times":{"silver.orders":1795…},"as_of":"2026-11-23","definition":"…","settings":"…","run_id":"…"}</c>):
/// the version of every input it read and that version's commit time, the UTC date its ages are measured to, the build
/// of the model code and the settings the rows depend on. A model whose newest commit records all of these the same
/// would be rebuilt into the same rows, so the gold job skips it. The commit time tells a table removed and written
/// again (its versions restart, and may reach the recorded number) from the table that was read.
/// </summary>
/// <param name="Inputs">Input table name → the version read.</param>
/// <param name="AsOf">The UTC date of the model's clock (models measure ages to it).</param>
/// <param name="Definition">The identity of the compiled model code (its module version id, which a deterministic build
/// changes whenever the code changes).</param>
/// <param name="Settings">What else the rows depend on (<see cref="GoldSettings"/>: the session time zone, and how the
/// inputs' sources key, keep and clean their rows); null in records written before it existed, which never match.</param>
/// <param name="InputTimes">Input table name → the commit time of the version read, in Unix milliseconds; null in
/// records written before it existed, which never match.</param>
internal sealed record GoldBuild(
    IReadOnlyDictionary<string, long> Inputs, DateOnly AsOf, string Definition, string? Settings = null, IReadOnlyDictionary<string, long>? InputTimes = null)
{
    /// <summary>The identity of the model code in this process.</summary>
    public static string CurrentDefinition { get; } = typeof(GoldBuild).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <param name="runId">The run that writes the commit.</param>
    /// <param name="update">Whether the commit updates the table from the change of its inputs (recorded as
    /// <c>"update":"merge"</c>) rather than rebuilding it.</param>
    public string ToJson(string runId, bool update = false)
    {
        var json = new Dictionary<string, object>
        {
            ["gold_inputs"] = Sorted(Inputs),
            ["as_of"] = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["definition"] = Definition,
            ["run_id"] = runId,
        };
        if (Settings is not null)
        {
            json["settings"] = Settings;
        }

        if (InputTimes is not null)
        {
            json["gold_input_times"] = Sorted(InputTimes);
        }

        if (update)
        {
            json["update"] = "merge";
        }

        return JsonSerializer.Serialize(json);
    }

    /// <summary>Whether both record the same inputs at the same versions with the same commit times, and the same date,
    /// definition and settings. A record without settings or commit times matches nothing, so it is rebuilt once.</summary>
    public bool SameAs(GoldBuild other) =>
        AsOf == other.AsOf && Definition == other.Definition
        && Settings is not null && Settings == other.Settings
        && SameValues(Inputs, other.Inputs)
        && InputTimes is not null && other.InputTimes is not null && SameValues(InputTimes, other.InputTimes);

    private static bool SameValues(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        a.Count == b.Count && a.All(i => b.TryGetValue(i.Key, out var v) && v == i.Value);

    private static Dictionary<string, long> Sorted(IReadOnlyDictionary<string, long> values) =>
        values.OrderBy(i => i.Key, StringComparer.Ordinal).ToDictionary(i => i.Key, i => i.Value);

    /// <summary>The build recorded by the newest commit of the gold table at <paramref name="path"/> (with that
    /// commit's version); null when the table does not exist or its newest commit is not a gold build (a rerun then
    /// rebuilds).</summary>
    public static async Task<(GoldBuild Build, long Version)?> ReadLatestAsync(SparkSession spark, string path, CancellationToken ct)
    {
        var rows = await Hosting.DeltaTables.TryCollectAsync(DeltaTable.ForPath(spark, path).History(1).Select("version", "userMetadata"), ct).ConfigureAwait(false);
        return rows is { Count: 1 } && Parse(rows[0].Get<string>("userMetadata")) is { } build ? (build, rows[0].Get<long>("version")) : null;
    }

    internal static GoldBuild? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("gold_inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("as_of", out var asOf) || !DateOnly.TryParseExact(asOf.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !root.TryGetProperty("definition", out var definition) || definition.GetString() is not { } def)
            {
                return null;
            }

            if (Longs(inputs) is not { } versions)
            {
                return null;
            }

            var settings = root.TryGetProperty("settings", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var times = root.TryGetProperty("gold_input_times", out var t) && t.ValueKind == JsonValueKind.Object ? Longs(t) : null;
            return new GoldBuild(versions, date, def, settings, times);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Someone else's metadata (a maintenance commit with a note): not a gold build.
            return null;
        }
    }

    private static Dictionary<string, long>? Longs(JsonElement map)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (!entry.Value.TryGetInt64(out var v))
            {
                return null;
            }

            values[entry.Name] = v;
        }

        return values;
    }
}
