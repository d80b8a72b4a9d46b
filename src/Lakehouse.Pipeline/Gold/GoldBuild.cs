using System.Globalization;
using System.Text.Json;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// What a gold table was built from, recorded in its overwrite commit's <c>commitInfo.userMetadata</c> (JSON
/// <c>{"gold_inputs":{"silver.orders":12,…},"as_of":"2026-11-23","definition":"…","run_id":"…"}</c>): the version of
/// every input it read, the UTC date its ages are measured to, and the build of the model code. A model whose newest
/// commit records the same three would be rebuilt into the same rows, so the gold job skips it.
/// </summary>
/// <param name="Inputs">Input table name → the version read.</param>
/// <param name="AsOf">The UTC date of the model's clock (models measure ages to it).</param>
/// <param name="Definition">The identity of the compiled model code (its module version id, which a deterministic build
/// changes whenever the code changes).</param>
internal sealed record GoldBuild(IReadOnlyDictionary<string, long> Inputs, DateOnly AsOf, string Definition)
{
    /// <summary>The identity of the model code in this process.</summary>
    public static string CurrentDefinition { get; } = typeof(GoldBuild).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public string ToJson(string runId) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["gold_inputs"] = Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).ToDictionary(i => i.Key, i => i.Value),
        ["as_of"] = AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["definition"] = Definition,
        ["run_id"] = runId,
    });

    /// <summary>Whether both record the same inputs at the same versions, date and definition.</summary>
    public bool SameAs(GoldBuild other) =>
        AsOf == other.AsOf && Definition == other.Definition && Inputs.Count == other.Inputs.Count
        && Inputs.All(i => other.Inputs.TryGetValue(i.Key, out var v) && v == i.Value);

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

            var versions = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var input in inputs.EnumerateObject())
            {
                if (!input.Value.TryGetInt64(out var v))
                {
                    return null;
                }

                versions[input.Name] = v;
            }

            return new GoldBuild(versions, date, def);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Someone else's metadata (a maintenance commit with a note): not a gold build.
            return null;
        }
    }
}
