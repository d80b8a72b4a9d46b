using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// <c>lakehouse quarantine replay SOURCE</c>: re-validates the rows of <c>silver.&lt;source&gt;_quarantine</c> with the
/// pipeline file's current cleaning and expectations (after a rule or data fix), merges those that pass into
/// <c>silver.&lt;source&gt;</c> as the silver job merges (latest per key, tombstones, never over newer data; or as SCD
/// type 2 history, <see cref="Scd2Merge"/>), and
/// removes every row that is no longer quarantined (merged, or dropped by a drop rule) from the quarantine table.
/// <para>
/// The quarantine table keeps each row as bronze had it (raw values and lineage), so its rows are cleaned as bronze
/// rows are. The silver MERGE is idempotent per quarantine version read (txn app id <c>silver-replay:&lt;source&gt;</c>),
/// and the removal deletes by the rows' full content; a replay that stopped between the two resumes cleanly, and a
/// rerun finds nothing left to replay.
/// </para>
/// </summary>
internal static class QuarantineReplay
{
    public static async Task RunAsync(JobContext ctx, SourceConfig source, CancellationToken ct)
    {
        var spark = ctx.Spark;
        var quarantinePath = ctx.TablePath(source.QuarantineTable);
        if (await DeltaTables.TryReadAsync(spark, quarantinePath, ct).ConfigureAwait(false) is null)
        {
            ctx.Log.Information("quarantine replay {Source}: {Table} does not exist; nothing to replay", source.Name, source.QuarantineTable);
            return;
        }

        if (await DeltaTables.TryReadAsync(spark, ctx.TablePath(source.SilverTable), ct).ConfigureAwait(false) is null)
        {
            throw new PipelineInputException(
                $"{source.SilverTable} does not exist yet; run the silver job of '{source.Name}' to completion before replaying its quarantine.");
        }

        await Scd2Merge.CheckLayoutAsync(ctx, source, ct).ConfigureAwait(false);
        var version = await DeltaTables.LatestVersionAsync(spark, quarantinePath, ct).ConfigureAwait(false);
        ctx.Report.InputVersion = version;
        var quarantine = DeltaTables.ReadAt(spark, quarantinePath, version);
        var rowColumns = (await quarantine.ColumnsAsync(ct).ConfigureAwait(false)).Where(c => !SilverColumns.QuarantineOnly.Contains(c)).ToList();
        var rawColumns = rowColumns.Where(c => !BronzeColumns.All.Contains(c)).ToList();
        var lineage = rowColumns.Where(BronzeColumns.All.Contains).ToList();
        var rows = quarantine.Select([.. rowColumns.Select(Col)]);

        var (cleaned, castRules, _, dataColumns) = await Cleaning.ApplyAsync(rows, source, ct).ConfigureAwait(false);
        var expectations = Expectations.Evaluate(cleaned, source, castRules);
        var (read, failing, dropped) = await expectations.CountAsync(ctx, source.QuarantineTable, ct).ConfigureAwait(false);
        ctx.Report.RecordsRead = read;
        ctx.Report.RecordsQuarantined = failing;
        ctx.Report.RecordsDropped = dropped;
        if (read == failing)
        {
            ctx.Report.RecordsWritten = 0;
            ctx.Log.Information("quarantine replay {Source}: {Rows} quarantined rows, none passes now", source.Name, read);
            return;
        }

        var valid = expectations.Flagged.Filter(expectations.Valid);
        long written, deleted;
        if (source.Scd2)
        {
            (written, deleted) = await new Scd2Merge(ctx, source, "silver-replay").MergeAsync(valid, dataColumns, version, null, true, ct).ConfigureAwait(false);
        }
        else
        {
            var merge = new SilverMerge(ctx, source, "silver-replay");
            var latest = merge.Latest(valid, dataColumns);
            var upserts = await merge.ApplyTombstonesAsync(latest, version, ct).ConfigureAwait(false);
            (written, deleted) = await merge.MergeAsync(latest, upserts, dataColumns, version, null, true, ct).ConfigureAwait(false);
        }

        // The rows as the quarantine table holds them (raw values and lineage): identical rows are evaluated alike, so
        // deleting by content removes exactly the released ones.
        var released = expectations.Flagged.Filter(expectations.Quarantined.Not())
            .Select([.. rawColumns.Select(c => Col(SilverColumns.RawPrefix + c).Alias(c)), .. lineage.Select(Col)])
            .Distinct();
        var on = rowColumns.Select(c => Col($"t.{c}").EqNullSafe(Col($"s.{c}"))).Aggregate((a, b) => a & b);
        await DeltaTable.ForPath(spark, quarantinePath).As("t").Merge(released.Alias("s"), on)
            .WhenMatched().Delete()
            .ExecuteAsync(ct).ConfigureAwait(false);

        ctx.Report.RecordsWritten = written;
        ctx.Report.TableVersion = await DeltaTables.LatestVersionAsync(spark, ctx.TablePath(source.SilverTable), ct).ConfigureAwait(false);
        ctx.Log.Information(
            "quarantine replay {Source}: {Rows} quarantined rows, {Replayed} replayed ({Written} written, {Deleted} deleted in silver, {Dropped} dropped), {Failing} still failing",
            source.Name, read, read - failing, written, deleted, dropped, failing);
    }
}
