using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Quality;
using Lakehouse.Pipeline.Silver;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// The gold job of one model: built only when the latest quality run of each input passed (else the quality gate
/// fails and the gold table stays at its previous version), then written with mode overwrite — one commit, so
/// readers see the old table or the new one, never a mix. Inputs that are SCD type 2 silver tables are read as their
/// current rows. The commit records what it was built from (<see cref="GoldBuild"/>); when the newest commit already
/// records the same build, the model is not rebuilt.
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
        if (await GoldBuild.ReadLatestAsync(spark, path, ct).ConfigureAwait(false) is { } last && last.Build.SameAs(build))
        {
            // Same inputs at the same versions (of the same tables), same date, code and settings: a rebuild would write the same rows.
            ctx.Log.Information("gold {Model}: inputs unchanged since version {Version} ({Inputs}); not rebuilt", modelConfig.Name, last.Version,
                string.Join(", ", versions.Select(v => $"{v.Key} v{v.Value}")));
            ctx.Report.TableVersion = last.Version;
            return;
        }

        // Inputs are read at the versions recorded with the build, so the record says exactly what the table holds.
        // An SCD2 silver table is read as its current rows, which is what a latest-only silver table holds.
        var history = Scd2Tables.Of(ctx.Config);
        var frame = model.Build(t =>
        {
            var table = DeltaTables.ReadAt(spark, ctx.TablePath(t), versions.TryGetValue(t, out var v)
                ? v
                : throw new InvalidOperationException($"gold model {model.Name} reads {t}, which is not among its inputs [{string.Join(", ", model.Inputs)}]"));
            return history.Contains(t) ? Scd2Tables.Current(table) : table;
        }, now);
        await frame.Write.Format("delta").Mode("overwrite").Option("overwriteSchema", "true")
            .Option("userMetadata", build.ToJson(ctx.Settings.RunId))
            .SaveAsync(path, ct).ConfigureAwait(false);
        ctx.Report.RecordsWritten = await spark.Read.Format("delta").Load(path).CountAsync(ct).ConfigureAwait(false);
        ctx.Report.TableVersion = await DeltaTables.LatestVersionAsync(spark, path, ct).ConfigureAwait(false);
    }
}
