using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// Brings a gold table up to date from the change of its inputs instead of rebuilding it, when the table's newest commit
/// is a build of the same day, code and settings and the change of every changed input is known exactly, from its change
/// data feed or because only batches of the silver job changed it (<see cref="GoldInputChange"/>): the model computes the rows of the keys that may differ (<see cref="GoldModel.ChangesAsync"/>)
/// and one MERGE updates, inserts and deletes them, in one commit that records the new build. Gold tables are created
/// with deletion vectors, so the MERGE writes about as many rows as changed. Anything the update cannot see exactly
/// makes the caller rebuild whole.
/// </summary>
internal static class GoldIncremental
{
    /// <summary>
    /// Updates the gold table at <paramref name="path"/>, whose newest commit (<paramref name="last"/>) records its build,
    /// to <paramref name="build"/>. Returns the rows the MERGE inserted, updated or deleted, or null when the table must be
    /// rebuilt whole (the reason is logged). <paramref name="read"/> reads an input at a version as the model sees it.
    /// </summary>
    public static async Task<long?> TryRunAsync(
        JobContext ctx, IGoldModel model, (GoldBuild Build, long Version) last, GoldBuild build, Func<string, long, DataFrame> read, string path,
        DateTimeOffset now, CancellationToken ct)
    {
        var from = last.Build;
        if (model is not GoldModel { UpdateKey: { } key } updatable)
        {
            return null;
        }

        if (from.AsOf != build.AsOf || from.Definition != build.Definition || from.Settings is null || from.Settings != build.Settings
            || from.InputTimes is null || from.Inputs.Count != build.Inputs.Count || !build.Inputs.Keys.All(from.Inputs.ContainsKey))
        {
            // Another day, code, time zone or cleaning: rows of unchanged inputs may differ too.
            ctx.Log.Information("gold {Model}: rebuilt whole, the table was built on another day, by other code or with other settings", model.Name);
            return null;
        }

        var changes = new Dictionary<string, GoldInputChange>(StringComparer.Ordinal);
        foreach (var input in model.Inputs.Where(i => from.Inputs[i] != build.Inputs[i]))
        {
            var (change, why) = await GoldInputChange.FindAsync(ctx, input, from.Inputs[input], from.InputTimes.GetValueOrDefault(input), build.Inputs[input], ct)
                .ConfigureAwait(false);
            if (change is null)
            {
                ctx.Log.Information("gold {Model}: rebuilt whole, {Why}", model.Name, why);
                return null;
            }

            changes[input] = change;
        }

        await using var update = new GoldUpdate(ctx, from, last.Version, build, read, path, changes, now);
        MergeMetrics metrics;
        try
        {
            var result = await updatable.ChangesAsync(update, ct).ConfigureAwait(false);
            if (result.Rows is not { } rows)
            {
                ctx.Log.Information("gold {Model}: rebuilt whole, {Why}", model.Name, result.Rebuild);
                return null;
            }

            var columns = await update.Gold.ColumnsAsync(ct).ConfigureAwait(false);
            var set = columns.ToDictionary(c => c, c => Col($"s.{c}"), StringComparer.Ordinal);
            var same = columns.Select(c => Col($"t.{c}").EqNullSafe(Col($"s.{c}"))).Aggregate((a, b) => a & b);
            var delete = Col($"s.{GoldChanges.DeleteColumn}");
            var source = rows.Select([.. columns.Select(Col), Col(GoldChanges.DeleteColumn)]);
            await ctx.Spark.Conf.SetAsync(SilverProgress.UserMetadataConf, build.ToJson(ctx.Settings.RunId, update: true), ct).ConfigureAwait(false);
            try
            {
                metrics = await DeltaTable.ForPath(ctx.Spark, path).As("t").Merge(source.Alias("s"), Col($"t.{key}") == Col($"s.{key}"))
                    .WhenMatched(delete).Delete()
                    .WhenMatched(!same).Update(set)
                    .WhenNotMatched(!delete).Insert(set)
                    .ExecuteAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                await ctx.Spark.Conf.UnsetAsync(SilverProgress.UserMetadataConf, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (SparkConnectException e)
        {
            // An old version that cannot be read (vacuumed files) makes the update impossible, a failed MERGE committed
            // nothing; a rebuild needs only the current versions, and if the engine itself failed, it fails the same way.
            ctx.Log.Warning("gold {Model}: rebuilt whole, the update from the versions the table was built from failed ({Message})", model.Name, e.Message);
            return null;
        }

        var written = metrics.NumInsertedRows + metrics.NumUpdatedRows + metrics.NumDeletedRows;
        if (written == 0 && await NewestVersionAsync(ctx, path, ct).ConfigureAwait(false) == last.Version)
        {
            // A MERGE that changes nothing need not commit; the new build is still recorded (an append of no rows), so
            // the next run starts from these versions and a run without new data is skipped.
            await update.Gold.Limit(0).Write.Format("delta").Mode("append")
                .Option("userMetadata", build.ToJson(ctx.Settings.RunId, update: true))
                .SaveAsync(path, ct).ConfigureAwait(false);
        }

        // The rows were computed against the table at last.Version: a commit in between (another writer) would make the
        // merged values wrong, so then the table is rebuilt whole.
        var versions = (await DeltaTable.ForPath(ctx.Spark, path).History(2).Select("version").CollectAsync(ct).ConfigureAwait(false))
            .Select(r => r.Get<long>("version")).ToList();
        if (versions is not [var merged, var before] || before != last.Version || merged != last.Version + 1)
        {
            ctx.Log.Warning("gold {Model}: rebuilt whole, the table has commits other than the update after version {Version}", model.Name, last.Version);
            return null;
        }

        ctx.Log.Information("gold {Model}: updated from the change of {Inputs} since version {Version}: {Inserted} rows inserted, {Updated} updated, {Deleted} deleted",
            model.Name, string.Join(", ", changes.Values.Select(c => $"{c.Input} v{c.From}→v{c.To} ({(c.FromFeed ? "change data feed" : "batches")})")), last.Version,
            metrics.NumInsertedRows, metrics.NumUpdatedRows, metrics.NumDeletedRows);
        return written;
    }

    private static async Task<long> NewestVersionAsync(JobContext ctx, string path, CancellationToken ct) =>
        (await DeltaTable.ForPath(ctx.Spark, path).History(1).Select("version").CollectAsync(ct).ConfigureAwait(false))[0].Get<long>("version");
}
