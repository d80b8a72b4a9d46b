using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// The silver job of one source: the bronze rows committed since the last silver run → clean, check, dedupe →
/// MERGE into <c>silver.&lt;source&gt;</c>, quarantined rows to <c>silver.&lt;source&gt;_quarantine</c>.
/// <para>
/// New rows are selected by batch: bronze's batch ids grow with every bronze commit (see <see cref="BronzeJob"/>), so
/// the rows after the last run are those of bronze (read at a pinned version) with <c>_batch_id</c> above the highest
/// batch the last silver commit recorded in its userMetadata. Every write of the run is idempotent per that batch
/// (txn versions), so a run that stopped between its quarantine, tombstone and silver commits resumes cleanly.
/// </para>
/// <para>A source with <c>scd2: true</c> keeps every version instead of the latest (<see cref="Scd2Merge"/>).</para>
/// </summary>
internal static class SilverJob
{
    public static async Task RunAsync(JobContext ctx, SourceConfig source, CancellationToken ct)
    {
        var spark = ctx.Spark;
        var bronzePath = ctx.TablePath(source.BronzeTable);
        var silverPath = ctx.TablePath(source.SilverTable);
        var bronzeVersion = await DeltaTables.TryLatestVersionAsync(spark, bronzePath, ct).ConfigureAwait(false)
            ?? throw new PipelineInputException($"{source.BronzeTable} does not exist yet; run the bronze job of '{source.Name}' first.");
        var silverExists = await Scd2Merge.CheckLayoutAsync(ctx, source, ct).ConfigureAwait(false);
        var last = await SilverProgress.ReadAsync(spark, silverPath, ct).ConfigureAwait(false);
        ctx.Report.InputVersion = bronzeVersion;
        if (last is not null && last.BronzeVersion == bronzeVersion)
        {
            // The last silver commit read this very bronze version and consumed every batch in it.
            ctx.Log.Information("silver {Source}: bronze unchanged at version {Version} since batch {Batch}", source.Name, bronzeVersion, last.BronzeBatch);
            return;
        }

        var bronze = DeltaTables.ReadAt(spark, bronzePath, bronzeVersion);
        var fresh = last is null ? bronze : bronze.Filter(Col(BronzeColumns.BatchId) > Lit(last.BronzeBatch));
        var maxBatch = (await fresh.Agg(Max(Col(BronzeColumns.BatchId)).Alias("b")).CollectAsync(ct).ConfigureAwait(false))[0].Get<long?>("b");
        if (maxBatch is null)
        {
            ctx.Log.Information("silver {Source}: no bronze rows after batch {Batch}", source.Name, last?.BronzeBatch);
            return;
        }

        var progress = new SilverProgress(bronzeVersion, maxBatch.Value);
        var (cleaned, castRules, rawColumns, dataColumns) = await Cleaning.ApplyAsync(fresh, source, ct).ConfigureAwait(false);
        var evaluated = Expectations.Evaluate(cleaned, source, castRules);
        // The cleaned and flagged rows feed the counts, the quarantine, the tombstones and the merge: computed once.
        // What is kept is only what those read: the raw copies only of quarantined rows, no bronze columns silver
        // does not carry. A failed run leaves the cache to the session's end.
        var narrowed = evaluated.Flagged.Drop(BronzeColumns.SourceName, BronzeColumns.IngestionDate)
            .WithColumns(rawColumns.ToDictionary(c => SilverColumns.RawPrefix + c, c => When(evaluated.Quarantined, Col(SilverColumns.RawPrefix + c))));
        var flagged = await narrowed.PersistAsync(ct).ConfigureAwait(false);
        var expectations = evaluated.Over(flagged);
        var (rows, quarantined, dropped) = await expectations.CountAsync(ctx, source.SilverTable, ct).ConfigureAwait(false);
        ctx.Report.RecordsRead = rows;
        ctx.Report.RecordsQuarantined = quarantined;
        ctx.Report.RecordsDropped = dropped;

        if (quarantined > 0)
        {
            await expectations.QuarantineRows(rawColumns, ctx.Settings.RunId, ctx.Now).Write.Format("delta").Mode("append")
                .Option("mergeSchema", "true")
                .Option("txnAppId", $"silver-quarantine:{source.Name}").Option("txnVersion", maxBatch.Value)
                .SaveAsync(ctx.TablePath(source.QuarantineTable), ct).ConfigureAwait(false);
        }

        var valid = flagged.Filter(expectations.Valid);
        var metadata = progress.ToJson(ctx.Settings.RunId);
        long written, deleted;
        if (source.Scd2)
        {
            (written, deleted) = await new Scd2Merge(ctx, source).MergeAsync(valid, dataColumns, progress.BronzeBatch, metadata, silverExists, ct).ConfigureAwait(false);
        }
        else
        {
            var merge = new SilverMerge(ctx, source);
            var latest = await merge.Latest(valid, dataColumns).PersistAsync(ct).ConfigureAwait(false);
            var upserts = await merge.ApplyTombstonesAsync(latest, maxBatch.Value, ct).ConfigureAwait(false);
            (written, deleted) = await merge.MergeAsync(latest, upserts, dataColumns, progress.BronzeBatch, metadata, silverExists, ct).ConfigureAwait(false);
            await latest.UnpersistAsync(cancellationToken: ct).ConfigureAwait(false);
        }

        await flagged.UnpersistAsync(cancellationToken: ct).ConfigureAwait(false);
        ctx.Report.RecordsWritten = written;
        ctx.Log.Information(
            "silver {Source}: bronze v{Version} batches to {Batch}: {Rows} rows, {Written} written, {Deleted} deleted, {Quarantined} quarantined, {Dropped} dropped",
            source.Name, bronzeVersion, maxBatch, rows, written, deleted, quarantined, dropped);
        ctx.Report.TableVersion = await DeltaTables.LatestVersionAsync(spark, silverPath, ct).ConfigureAwait(false);
    }
}
