using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// How a source's silver table changed between two versions when every commit in between is a batch of the silver job:
/// the business keys of the bronze rows of the batches those commits consumed (<see cref="Batches"/>, cleaned as silver
/// cleans them) are a superset of the keys whose silver rows differ, because such a commit only inserts, updates or
/// deletes rows of its batch's keys. Anything else between the two versions (a quarantine replay, a manual DML, a
/// restore, the table written anew) and there is no such change: the caller rebuilds.
/// </summary>
/// <param name="Input">The silver table, e.g. <c>silver.orders</c>.</param>
/// <param name="Source">The source whose silver table it is.</param>
/// <param name="From">The version the gold table was built from.</param>
/// <param name="To">The version to bring it to.</param>
/// <param name="FromBatch">The highest bronze batch consumed at <paramref name="From"/>: rows of a latest-only silver table
/// written after it carry a larger <c>_batch_id</c>.</param>
/// <param name="Batches">The bronze rows of the consumed batches, as bronze holds them (lazy).</param>
internal sealed record GoldInputChange(string Input, SourceConfig Source, long From, long To, long FromBatch, DataFrame Batches)
{
    private const string Merge = "MERGE";
    private const string Optimize = "OPTIMIZE";

    /// <summary>The change of <paramref name="input"/> from <paramref name="from"/> (committed at
    /// <paramref name="fromTime"/>, Unix ms) to <paramref name="to"/>; otherwise why there is none.</summary>
    public static async Task<(GoldInputChange? Change, string? Why)> FindAsync(
        JobContext ctx, string input, long from, long? fromTime, long to, CancellationToken ct)
    {
        if (ctx.Config.SilverSource(input) is not { } source)
        {
            return (null, $"{input} is not a source's silver table");
        }

        if (fromTime is null || to < from)
        {
            return (null, $"{input} is not at a later version of the table the build read");
        }

        var rows = await DeltaTable.ForPath(ctx.Spark, ctx.TablePath(input)).History()
            .Filter(Col("version") <= Lit(to))
            .Select("version", "timestamp", "operation", "userMetadata").CollectAsync(ct).ConfigureAwait(false);
        var commits = rows.ToDictionary(r => r.Get<long>("version"));
        if (!commits.TryGetValue(from, out var built) || built.Get<DateTimeOffset>("timestamp").ToUnixTimeMilliseconds() != fromTime)
        {
            // The log no longer has the version, or the table was written anew and reached that version number again.
            return (null, $"{input} v{from} is not the commit the build read");
        }

        var fromProgress = rows.Where(r => r.Get<long>("version") <= from).OrderByDescending(r => r.Get<long>("version"))
            .Select(r => SilverProgress.Parse(r.Get<string>("userMetadata"))).FirstOrDefault(p => p is not null);
        var toProgress = fromProgress;
        for (var v = from + 1; v <= to; v++)
        {
            if (!commits.TryGetValue(v, out var commit))
            {
                return (null, $"{input} v{v} is missing from its history");
            }

            var operation = commit.Get<string>("operation");
            if (operation == Merge && SilverProgress.Parse(commit.Get<string>("userMetadata")) is { } progress)
            {
                toProgress = progress;
            }
            else if (operation != Optimize)
            {
                // OPTIMIZE rewrites files without changing rows; anything else may change rows of any key.
                return (null, $"{input} v{v} is a {operation} commit, not a batch of the silver job");
            }
        }

        if (fromProgress is null || toProgress is null)
        {
            return (null, $"{input} records no bronze progress at v{from}");
        }

        var bronze = DeltaTables.ReadAt(ctx.Spark, ctx.TablePath(source.BronzeTable), toProgress.BronzeVersion)
            .Filter((Col(BronzeColumns.BatchId) > Lit(fromProgress.BronzeBatch)) & (Col(BronzeColumns.BatchId) <= Lit(toProgress.BronzeBatch)));
        return (new GoldInputChange(input, source, from, to, fromProgress.BronzeBatch, bronze), null);
    }

    /// <summary>
    /// The bronze rows of the consumed batches cleaned as silver cleans them, with a non-null business key (lazy). Every
    /// row a batch wrote into silver is one of them, so their keys are a superset of the keys whose silver rows differ
    /// between <see cref="From"/> and <see cref="To"/>.
    /// </summary>
    public async Task<DataFrame> CleanedBatchesAsync(CancellationToken ct)
    {
        var cleaned = await Cleaning.ApplyAsync(Batches, Source, ct).ConfigureAwait(false);
        return cleaned.Frame.Filter(Source.BusinessKey.Select(k => Col(k).IsNotNull()).Aggregate((a, b) => a & b));
    }
}
