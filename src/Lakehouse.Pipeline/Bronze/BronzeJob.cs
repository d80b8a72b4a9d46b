using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>
/// The bronze job of one source: landing files not in the manifest → <c>bronze.&lt;source&gt;</c>, exactly once.
/// <para>
/// The batch id is the txn version of the data commit (app id <c>bronze:&lt;source&gt;</c>): the data interval's end in
/// epoch seconds, or one more than the manifest's highest batch when that is larger or there is no interval, so batch
/// ids grow with every commit (silver relies on it). The manifest rows follow the data commit with the same txn
/// version. A rerun after a crash between the two computes the same batch (the manifest did not move), finds its
/// rows in bronze by <c>_batch_id</c>, and only completes the manifest; a rerun after success finds no new files.
/// </para>
/// </summary>
internal static class BronzeJob
{
    public static async Task RunAsync(JobContext ctx, SourceConfig source, CancellationToken ct)
    {
        var spark = ctx.Spark;
        await HttpLanding.FetchIfHttpAsync(ctx, source, ct).ConfigureAwait(false);
        var files = await LandingListing.ListAsync(spark, source, ct).ConfigureAwait(false);
        var manifest = new IngestManifest(spark, ctx.TablePath(TableLocations.Manifest));
        var entries = await manifest.ReadAsync(source.Name, ct).ConfigureAwait(false);
        var known = entries.Select(e => e.File).ToHashSet();
        var fresh = files.Where(f => !known.Contains(f)).ToList();
        if (fresh.Count == 0)
        {
            ctx.Log.Information("bronze {Source}: no new landing files ({Count} listed, all in the manifest)", source.Name, files.Count);
            return;
        }

        var maxBatch = entries.Count == 0 ? 0 : entries.Max(e => e.BatchId);
        var batch = ctx.Settings.Interval is { } interval ? Math.Max(interval.End.ToUnixTimeSeconds(), maxBatch + 1) : maxBatch + 1;
        var bronzePath = ctx.TablePath(source.BronzeTable);
        // One query tells both whether bronze exists (null: not yet) and whether a stopped run committed this batch.
        var alreadyIn = await FilesOfBatchAsync(spark, bronzePath, batch, ct).ConfigureAwait(false);
        var bronze = alreadyIn is null ? null : spark.Read.Format("delta").Load(bronzePath);
        if (alreadyIn is { Count: > 0 })
        {
            ctx.Log.Warning("bronze {Source}: batch {Batch} is already in bronze (a run stopped after its data commit); completing the manifest", source.Name, batch);
            var outcomes = fresh.Where(f => alreadyIn.Contains(EnginePaths.Normalize(f.Path))).Select(f => (f, IngestManifest.Ingested, (string?)null));
            await manifest.AppendAsync(source.Name, batch, ctx.Settings.RunId, ctx.Now, outcomes, ct).ConfigureAwait(false);
            await CountAsync(ctx, bronzePath, batch, ct).ConfigureAwait(false);
            return;
        }

        var writer = new BronzeWriter(ctx, source, bronzePath, batch);
        var failed = new List<(LandingFile File, string Error)>();
        var good = fresh;
        try
        {
            await writer.WriteAsync(good, bronze, ct).ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (ErrorKinds.Classify(e) is not (ErrorKinds.ConcurrentModification or ErrorKinds.EngineUnavailable))
        {
            // One unreadable file fails the whole read; find which, record them, and ingest the others.
            failed = await writer.ProbeAsync(fresh, ct).ConfigureAwait(false);
            if (failed.Count == 0)
            {
                throw;
            }

            good = fresh.Where(f => failed.All(x => x.File != f)).ToList();
            if (good.Count > 0)
            {
                await writer.WriteAsync(good, bronze, ct).ConfigureAwait(false);
            }
        }

        foreach (var (file, error) in failed)
        {
            ctx.Log.Warning("bronze {Source}: {File} cannot be read and is recorded as failed: {Error}", source.Name, file.Path, error);
        }

        ctx.Report.Checks.Add(new CheckOutcome(source.BronzeTable, "readable_files", "warning", failed.Count == 0, failed.Count));
        await manifest.AppendAsync(
            source.Name, batch, ctx.Settings.RunId, ctx.Now,
            good.Select(f => (f, IngestManifest.Ingested, (string?)null)).Concat(failed.Select(x => (x.File, IngestManifest.Failed, (string?)x.Error))),
            ct).ConfigureAwait(false);
        if (good.Count > 0)
        {
            await CountAsync(ctx, bronzePath, batch, ct).ConfigureAwait(false);
        }

        ctx.Log.Information("bronze {Source}: batch {Batch}: {Files} files ingested, {Failed} failed", source.Name, batch, good.Count, failed.Count);
    }

    /// <summary>The files whose rows bronze holds with batch id <paramref name="batch"/>; null when bronze does not exist yet.</summary>
    private static async Task<HashSet<string>?> FilesOfBatchAsync(SparkSession spark, string bronzePath, long batch, CancellationToken ct)
    {
        var query = spark.Read.Format("delta").Load(bronzePath)
            .Filter(Col(BronzeColumns.BatchId) == Lit(batch)).Select(BronzeColumns.SourceFile).Distinct();
        var rows = await DeltaTables.TryCollectAsync(query, ct).ConfigureAwait(false);
        return rows?.Select(r => EnginePaths.Normalize(r.Get<string>(0) ?? "")).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task CountAsync(JobContext ctx, string bronzePath, long batch, CancellationToken ct)
    {
        var rows = await ctx.Spark.Read.Format("delta").Load(bronzePath)
            .Filter(Col(BronzeColumns.BatchId) == Lit(batch))
            .Agg(Count(Lit(1)).Alias("records"), Count(Col(BronzeColumns.RescuedData)).Alias("rescued"))
            .CollectAsync(ct).ConfigureAwait(false);
        ctx.Report.RecordsRead = rows[0].Get<long>("records");
        ctx.Report.RecordsWritten = ctx.Report.RecordsRead;
        ctx.Report.RecordsRescued = rows[0].Get<long>("rescued");
        if (ctx.Report.RecordsRescued > 0)
        {
            ctx.Log.Warning("bronze {Table}: {Rescued} malformed records kept in {Column}", ctx.Report.Table, ctx.Report.RecordsRescued, BronzeColumns.RescuedData);
        }
    }
}
