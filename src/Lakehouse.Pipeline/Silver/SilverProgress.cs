using System.Text.Json;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// How far silver has consumed bronze, as recorded with each silver commit in <c>commitInfo.userMetadata</c>
/// (JSON <c>{"bronze_version":…,"bronze_batch":…,"run_id":…}</c>) and read back from the silver table's history.
/// </summary>
/// <param name="BronzeVersion">The bronze version the commit read.</param>
/// <param name="BronzeBatch">The highest <c>_batch_id</c> the commit consumed; later rows have larger ones.</param>
internal sealed record SilverProgress(long BronzeVersion, long BronzeBatch)
{
    public const string UserMetadataConf = "spark.databricks.delta.commitInfo.userMetadata";

    public string ToJson(string runId) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["bronze_version"] = BronzeVersion, ["bronze_batch"] = BronzeBatch, ["run_id"] = runId });

    /// <summary>The progress of the newest silver commit that recorded one; none when silver has no such commit.</summary>
    public static async Task<SilverProgress?> ReadAsync(SparkSession spark, string silverPath, CancellationToken ct)
    {
        var rows = await DeltaTables.TryCollectAsync(DeltaTable.ForPath(spark, silverPath).History().Select("version", "userMetadata"), ct).ConfigureAwait(false) ?? [];
        foreach (var row in rows.OrderByDescending(r => r.Get<long>("version")))
        {
            if (Parse(row.Get<string>("userMetadata")) is { } progress)
            {
                return progress;
            }
        }

        return null;
    }

    internal static SilverProgress? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("bronze_version", out var version) && version.TryGetInt64(out var v)
                && root.TryGetProperty("bronze_batch", out var batch) && batch.TryGetInt64(out var b)
                ? new SilverProgress(v, b)
                : null;
        }
        catch (JsonException)
        {
            // Someone else's metadata (a maintenance commit with a note): not ours to read.
            return null;
        }
    }
}
