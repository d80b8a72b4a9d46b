using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Quality;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// The gold job of one model: built only when the latest quality run of each input passed (else the quality gate
/// fails and the gold table stays at its previous version), then written with mode overwrite — one commit, so
/// readers see the old table or the new one, never a mix. Inputs that are SCD type 2 silver tables are read as their
/// current rows. The commit records what it was built from (<see cref="GoldBuild"/>); when the newest commit already
/// records the same build, the model is not rebuilt, and when its inputs changed only by batches of the silver job, the
/// table is updated from the change in one MERGE (<see cref="GoldIncremental"/>).
/// </summary>
internal static class GoldJob
{
    public static async Task RunAsync(JobContext ctx, GoldModelConfig modelConfig, CancellationToken ct)
    {
        IGoldModel model;
        try
        {
            model = GoldModels.Get(modelConfig.Name);
        }
        catch (ArgumentException e)
        {
            throw new PipelineConfigException(ctx.Config.SourceFile, null, $"gold.{modelConfig.Name}", e.Message);
        }

        var blocked = await QualityJob.GateAsync(ctx, modelConfig.Inputs, ct).ConfigureAwait(false);
        if (blocked.Count > 0)
        {
            throw new QualityGateException($"{modelConfig.Table} was not rebuilt and stays at its previous version: {string.Join("; ", blocked)}.");
        }

        var spark = ctx.Spark;
        var now = ctx.Settings.Interval?.End ?? ctx.Now;
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var times = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var input in model.Inputs)
        {
            (versions[input], times[input]) = await DeltaTables.LatestCommitAsync(spark, ctx.TablePath(input), ct).ConfigureAwait(false);
        }

        var settings = await GoldSettings.ReadAsync(ctx, model.Inputs, ct).ConfigureAwait(false);
        var build = new GoldBuild(versions, DateOnly.FromDateTime(now.UtcDateTime), GoldBuild.CurrentDefinition, settings, times);
        var path = ctx.TablePath(modelConfig.Table);
        var last = await GoldBuild.ReadLatestAsync(spark, path, ct).ConfigureAwait(false);
        if (last is { } same && same.Build.SameAs(build))
        {
            // Same inputs at the same versions (of the same tables), same date, code and settings: a rebuild would write the same rows.
            ctx.Log.Information("gold {Model}: inputs unchanged since version {Version} ({Inputs}); not rebuilt", modelConfig.Name, same.Version,
                string.Join(", ", versions.Select(v => $"{v.Key} v{v.Value}")));
            ctx.Report.TableVersion = same.Version;
            return;
        }

        // Inputs are read at the versions recorded with the build, so the record says exactly what the table holds.
        // An SCD2 silver table is read as its current rows, which is what a latest-only silver table holds.
        var history = Scd2Tables.Of(ctx.Config);
        DataFrame Read(string t, long version)
        {
            var table = DeltaTables.ReadAt(spark, ctx.TablePath(t), version);
            return history.Contains(t) ? Scd2Tables.Current(table) : table;
        }

        if (last is { } earlier
            && await GoldIncremental.TryRunAsync(ctx, model, earlier, build, Read, path, now, ct).ConfigureAwait(false) is { } written)
        {
            ctx.Report.RecordsWritten = written;
            ctx.Report.TableVersion = earlier.Version + 1;
            return;
        }

        var frame = model.Build(t => Read(t, versions.TryGetValue(t, out var v)
            ? v
            : throw new InvalidOperationException($"gold model {model.Name} reads {t}, which is not among its inputs [{string.Join(", ", model.Inputs)}]")), now);
        // Deletion vectors let the next update's MERGE write only the rows it changes (a property of a new table only:
        // an overwrite of an existing table keeps its properties, as on Spark).
        await frame.Write.Format("delta").Mode("overwrite").Option("overwriteSchema", "true").Option(SilverMerge.DeletionVectorsOption, "true")
            .Option("userMetadata", build.ToJson(ctx.Settings.RunId))
            .SaveAsync(path, ct).ConfigureAwait(false);
        ctx.Report.RecordsWritten = await spark.Read.Format("delta").Load(path).CountAsync(ct).ConfigureAwait(false);
        ctx.Report.TableVersion = await DeltaTables.LatestVersionAsync(spark, path, ct).ConfigureAwait(false);
    }
}
