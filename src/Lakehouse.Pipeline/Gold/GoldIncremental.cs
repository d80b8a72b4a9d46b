using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// Brings a gold table built from older input versions up to date key by key (<see cref="GoldKeying"/>): finds the keys
/// whose input rows differ between the versions the table was built from and the current ones, recomputes the model
/// over the input rows of those keys only, and replaces the table's rows of those keys in one MERGE commit, which
/// records the new build. The table then equals a full rebuild at the current versions.
/// </summary>
internal static class GoldIncremental
{
    private const string KeyColumn = "__key";
    private const string DeleteColumn = "__delete";

    /// <summary>Whether <paramref name="last"/> can be brought to <paramref name="build"/> key by key: the model has a
    /// keying, and both builds measure ages to the same date with the same code over the same inputs.</summary>
    public static bool Applies(IGoldModel model, GoldBuild last, GoldBuild build) =>
        model is GoldModel { Keying: { } keying }
        && last.AsOf == build.AsOf && last.Definition == build.Definition
        && last.Inputs.Count == build.Inputs.Count && build.Inputs.Keys.All(last.Inputs.ContainsKey)
        && build.Inputs.Keys.All(keying.Inputs.ContainsKey);

    /// <summary>
    /// Updates the gold table at <paramref name="path"/> from <paramref name="last"/>'s input versions to
    /// <paramref name="build"/>'s. Returns the rows written, or null when an input cannot be read at the version the table
    /// was built from (vacuumed, or its columns changed): the caller then rebuilds the table whole. <paramref name="read"/>
    /// reads an input at a version as the model sees it (an SCD2 table as its current rows).
    /// </summary>
    public static async Task<long?> RunAsync(
        JobContext ctx, GoldModel model, GoldBuild last, GoldBuild build, Func<string, long, DataFrame> read, string path, DateTimeOffset now,
        CancellationToken ct)
    {
        var keying = model.Keying!;
        DataFrame? changed = null;
        foreach (var input in model.Inputs)
        {
            var (from, to) = (last.Inputs[input], build.Inputs[input]);
            if (from == to)
            {
                continue;
            }

            var keys = ChangedKeys(read(input, from), read(input, to), keying.Inputs[input]);
            changed = changed is null ? keys : changed.Union(keys);
        }

        if (changed is null)
        {
            return 0;
        }

        var affected = changed.Distinct();
        long count;
        try
        {
            affected = await affected.PersistAsync(ct).ConfigureAwait(false);
            count = await affected.CountAsync(ct).ConfigureAwait(false);
        }
        catch (SparkConnectException e)
        {
            // A full rebuild needs only the current versions; if the engine itself failed, it fails the same way.
            ctx.Log.Warning("gold {Model}: cannot compare the inputs with the versions the table was built from ({Message}); rebuilding it whole",
                model.Name, e.Message);
            await affected.UnpersistAsync(cancellationToken: ct).ConfigureAwait(false);
            return null;
        }

        try
        {
            ctx.Log.Information("gold {Model}: {Keys} {Key} values changed since the table's build; updating only those", model.Name, count, keying.Column);
            if (count == 0)
            {
                // The inputs moved on, but not in anything the model reads: the table stands as it is.
                return 0;
            }

            // The model over the input rows of the affected keys gives exactly the table's new rows of those keys.
            var rows = model.Build(now, t => read(t, build.Inputs[t]).Join(affected, keying.Inputs[t].Key.EqNullSafe(Col(KeyColumn)), "left_semi"));
            // Staged source: each affected key once, flagged, to delete the table's rows of it, and the recomputed rows to insert.
            var staged = rows.WithColumn(DeleteColumn, Lit(false))
                .UnionByName(affected.Select(Col(KeyColumn).Alias(keying.Column), Lit(true).Alias(DeleteColumn)), allowMissingColumns: true);
            var on = Col($"s.{DeleteColumn}") & Col($"t.{keying.Column}").EqNullSafe(Col($"s.{keying.Column}"));
            await ctx.Spark.Conf.SetAsync(new Dictionary<string, string> { [Silver.SilverProgress.UserMetadataConf] = build.ToJson(ctx.Settings.RunId) }).ConfigureAwait(false);
            try
            {
                var metrics = await DeltaTable.ForPath(ctx.Spark, path).As("t").Merge(staged.Alias("s"), on)
                    .WhenMatched().Delete()
                    .WhenNotMatched(Col($"s.{DeleteColumn}").Not()).InsertAll()
                    .ExecuteAsync(ct).ConfigureAwait(false);
                return metrics.NumInsertedRows;
            }
            finally
            {
                await ctx.Spark.Conf.UnsetAsync(Silver.SilverProgress.UserMetadataConf).ConfigureAwait(false);
            }
        }
        finally
        {
            await affected.UnpersistAsync(cancellationToken: ct).ConfigureAwait(false);
        }
    }

    /// <summary>The keys of the rows that differ between <paramref name="before"/> and <paramref name="after"/> in the
    /// columns the model reads, as a multiset: a row counts −1 before and +1 after, and a row whose count does not cancel
    /// out was added, removed or changed (or its number of copies changed).</summary>
    private static DataFrame ChangedKeys(DataFrame before, DataFrame after, KeyedInput input)
    {
        var columns = input.Columns.Select(Col).ToArray();
        return before.Select([.. columns, Lit(-1L).Alias("__n")])
            .Union(after.Select([.. columns, Lit(1L).Alias("__n")]))
            .GroupBy(columns)
            .Agg(Sum(Col("__n")).Alias("__d"))
            .Filter(Col("__d") != Lit(0L))
            .Select(input.Key.Alias(KeyColumn));
    }
}
