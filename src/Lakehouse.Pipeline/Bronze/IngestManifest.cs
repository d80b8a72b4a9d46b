using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>
/// <c>bronze._manifest</c>: one row per landing file version (path, size, modification time) a bronze run took
/// up, ingested or failed, with its batch. A file version in the manifest is never ingested again; a failed one
/// is retried only when the file changes (a fixed file is a new version).
/// </summary>
internal sealed class IngestManifest(SparkSession spark, string path)
{
    public const string Ingested = "ingested";
    public const string Failed = "failed";

    /// <summary>The manifest rows of <paramref name="source"/>.</summary>
    public async Task<IReadOnlyList<ManifestEntry>> ReadAsync(string source, CancellationToken ct)
    {
        // One round trip: a missing manifest (no bronze run yet) is an empty one.
        var query = spark.Read.Format("delta").Load(path).Filter(Col("source") == Lit(source))
            .Select("path", "size", "modification_time", "batch_id", "status");
        var rows = await DeltaTables.TryCollectAsync(query, ct).ConfigureAwait(false) ?? [];
        return rows.Select(r => new ManifestEntry(
            new LandingFile(r.Get<string>("path")!, r.Get<long>("size"), r.Get<DateTimeOffset>("modification_time")),
            r.Get<long>("batch_id"), r.Get<string>("status")!)).ToList();
    }

    /// <summary>Records the outcome of a batch; idempotent per (source, batch) through the txn of <c>bronze-manifest:&lt;source&gt;</c>.</summary>
    public async Task AppendAsync(string source, long batch, string runId, DateTimeOffset now, IEnumerable<(LandingFile File, string Status, string? Error)> outcomes, CancellationToken ct)
    {
        var rows = outcomes.Select(o => new ManifestRow(
            o.File.Path, o.File.Size, o.File.ModificationTime, source, batch, o.Status, o.Error, runId, now)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var frame = spark.CreateDataFrame(rows).WithColumnsRenamed(SnakeCase.Renames(typeof(ManifestRow)));
        var writer = frame.Write.Format("delta").Mode("append")
            .Option("txnAppId", $"bronze-manifest:{source}")
            .Option("txnVersion", batch);
        await DeltaWrites.AppendWithRetryAsync(writer, path, ct).ConfigureAwait(false);
    }

    private sealed record ManifestRow(
        string Path, long Size, DateTimeOffset ModificationTime, string Source, long BatchId, string Status, string? Error,
        string RunId, DateTimeOffset RecordedAt);
}

/// <summary>One manifest row of a source.</summary>
internal sealed record ManifestEntry(LandingFile File, long BatchId, string Status);
