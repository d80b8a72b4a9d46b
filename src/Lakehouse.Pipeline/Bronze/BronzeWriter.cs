using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>Appends one batch of landing files to <c>bronze.&lt;source&gt;</c> as one idempotent commit.</summary>
internal sealed class BronzeWriter(JobContext ctx, SourceConfig source, string bronzePath, long batch)
{
    public async Task WriteAsync(IReadOnlyList<LandingFile> files, DataFrame? bronze, CancellationToken ct)
    {
        var reader = new BronzeReader(ctx.Spark, source);
        var now = ctx.Now;
        var frame = (await reader.ReadAsync([.. files.Select(f => f.Path)], bronze, ct).ConfigureAwait(false))
            .WithColumns(new Dictionary<string, Column>
            {
                [BronzeColumns.IngestedAt] = Lit(now),
                [BronzeColumns.SourceName] = Lit(source.Name),
                [BronzeColumns.IngestionDate] = Lit(DateOnly.FromDateTime(now.UtcDateTime)),
                [BronzeColumns.BatchId] = Lit(batch),
            });
        await frame.Write.Format("delta").Mode("append")
            .PartitionBy(BronzeColumns.IngestionDate)
            .Option("mergeSchema", "true")
            .Option("txnAppId", $"bronze:{source.Name}")
            .Option("txnVersion", batch)
            .SaveAsync(bronzePath, ct).ConfigureAwait(false);
    }

    /// <summary>Reads each file alone; returns those that cannot be read at all, with the reason.</summary>
    public async Task<List<(LandingFile File, string Error)>> ProbeAsync(IReadOnlyList<LandingFile> files, CancellationToken ct)
    {
        var reader = new BronzeReader(ctx.Spark, source);
        var failed = new List<(LandingFile, string)>();
        foreach (var file in files)
        {
            try
            {
                var frame = await reader.ReadAsync([file.Path], null, ct).ConfigureAwait(false);
                await frame.CountAsync(ct).ConfigureAwait(false);
            }
            catch (SparkConnectException e) when (ErrorKinds.Classify(e) is not (ErrorKinds.ConcurrentModification or ErrorKinds.EngineUnavailable))
            {
                failed.Add((file, e.Message));
            }
        }

        return failed;
    }
}
