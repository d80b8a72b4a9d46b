using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// Brings a gold table built from older input versions up to date key by key (<see cref="GoldKeying"/>) when its inputs
/// changed only by batches of the silver job (<see cref="GoldInputChange"/>): the output keys of the input rows that may
/// differ (at the old version and at the new one) are recomputed from the new versions, and the table is overwritten in
/// one commit with its other rows as they were plus the recomputed ones. The result equals a full rebuild at the new
/// versions: a key whose input rows are all unchanged keeps the row the old build computed from the same rows.
/// </summary>
internal static class GoldIncremental
{
    /// <summary>The update is tried only when the bronze rows of the consumed batches could touch at most this share of
    /// the table's rows (each such row's key has a row at either version, each naming one output key); above it nearly
    /// every row is recomputed anyway and a rebuild is cheaper.</summary>
    internal const double MaxChangedShare = 0.25;

    private const string KeyColumn = "__gold_key";

    /// <summary>
    /// Updates the gold table at <paramref name="path"/> (whose newest commit, <paramref name="last"/>, recorded its
    /// build) to <paramref name="build"/>. Returns the rows written for the recomputed keys, or null when the table must
    /// be rebuilt whole (the reason is logged). <paramref name="read"/> reads an input at a version as the model sees it.
    /// </summary>
    public static async Task<long?> TryRunAsync(
        JobContext ctx, IGoldModel model, (GoldBuild Build, long Version) last, GoldBuild build, Func<string, long, DataFrame> read, string path,
        DateTimeOffset now, CancellationToken ct)
    {
        var from = last.Build;
        if (model is not GoldModel { Keying: { } keying } keyed)
        {
            return null;
        }

        if (from.AsOf != build.AsOf || from.Definition != build.Definition || from.Settings != build.Settings
            || from.Inputs.Count != build.Inputs.Count || !build.Inputs.Keys.All(from.Inputs.ContainsKey))
        {
            // Another day, code, time zone or cleaning: rows of unchanged inputs may differ too.
            return null;
        }

        var changes = new List<GoldInputChange>();
        foreach (var input in model.Inputs.Where(i => from.Inputs[i] != build.Inputs[i]))
        {
            var (change, why) = await GoldInputChange.FindAsync(ctx, input, from.Inputs[input], from.InputTimes?.GetValueOrDefault(input), build.Inputs[input], ct)
                .ConfigureAwait(false);
            if (change is null)
            {
                ctx.Log.Information("gold {Model}: rebuilt whole, {Why}", model.Name, why);
                return null;
            }

            changes.Add(change);
        }

        var cached = new List<DataFrame>();
        try
        {
            var table = DeltaTables.ReadAt(ctx.Spark, path, last.Version);
            DataFrame? affected = null;
            Row counts;
            long changedRows = 0;
            try
            {
                // A bound first, from counts alone: most of a rebuild's cost is what this avoids reading.
                var tableRows = await table.CountAsync(ct).ConfigureAwait(false);
                foreach (var change in changes)
                {
                    changedRows += await change.Batches.CountAsync(ct).ConfigureAwait(false);
                }

                if (2 * changedRows > tableRows * MaxChangedShare)
                {
                    ctx.Log.Information("gold {Model}: rebuilt whole, {Changed} changed input rows against {Rows} rows", model.Name, changedRows, tableRows);
                    return null;
                }

                foreach (var change in changes)
                {
                    var (before, after) = await change.RowsAsync(read, ct).ConfigureAwait(false);
                    var key = keying.Inputs[change.Input];
                    var outputKeys = before.Select(key.Alias(KeyColumn)).Union(after.Select(key.Alias(KeyColumn)));
                    affected = affected is null ? outputKeys : affected.Union(outputKeys);
                }

                affected = await affected!.Distinct().PersistAsync(ct).ConfigureAwait(false);
                cached.Add(affected);
                counts = (await affected.Agg(Count(Lit(1)).Alias("n"), Count(Col(KeyColumn)).Alias("k")).CollectAsync(ct).ConfigureAwait(false))[0];
                if (counts.Get<long>("n") != counts.Get<long>("k"))
                {
                    // A null key matches nothing in an equality join: leave that case to the rebuild.
                    ctx.Log.Information("gold {Model}: rebuilt whole, a changed row has a null {Key}", model.Name, keying.Column);
                    return null;
                }
            }
            catch (SparkConnectException e)
            {
                // An old version that cannot be read (vacuumed files) makes the update impossible; a full rebuild needs
                // only the current versions, and if the engine itself failed, the rebuild fails the same way.
                ctx.Log.Warning("gold {Model}: rebuilt whole, the inputs cannot be compared with the versions the table was built from ({Message})",
                    model.Name, e.Message);
                return null;
            }

            var keyCount = counts.Get<long>("n");
            var rows = await keyed.Build(now, t => read(t, build.Inputs[t]).Join(affected, keying.Inputs[t] == Col(KeyColumn), "left_semi"))
                .PersistAsync(ct).ConfigureAwait(false);
            cached.Add(rows);
            var written = await rows.CountAsync(ct).ConfigureAwait(false);
            ctx.Log.Information("gold {Model}: {Keys} {Key} values recomputed ({Changed} changed input rows since the build at version {Version})",
                model.Name, keyCount, keying.Column, changedRows, last.Version);
            await table.Join(affected, Col(keying.Column) == Col(KeyColumn), "left_anti").UnionByName(rows)
                .Write.Format("delta").Mode("overwrite").Option("overwriteSchema", "true")
                .Option("userMetadata", build.ToJson(ctx.Settings.RunId, keyCount))
                .SaveAsync(path, ct).ConfigureAwait(false);
            return written;
        }
        finally
        {
            foreach (var frame in cached)
            {
                await frame.UnpersistAsync(cancellationToken: ct).ConfigureAwait(false);
            }
        }
    }
}
