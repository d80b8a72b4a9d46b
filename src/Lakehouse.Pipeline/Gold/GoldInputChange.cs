using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Quality;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// How a source's silver table changed between two versions, found one of two ways:
/// <list type="bullet">
/// <item>From Delta's change data feed (<see cref="Feed"/>), when the table records it over the whole range: the feed
/// holds every changed row's images, whoever wrote the commits (silver batches, a quarantine replay, a manual UPDATE or
/// DELETE), so any data commit is allowed. Commits that change the table's metadata or restore it are not.</item>
/// <item>From the batches (<see cref="Batches"/>), when every commit in between is a batch of the silver job: the business
/// keys of the bronze rows of the batches those commits consumed (cleaned as silver cleans them) are a superset of the keys
/// whose silver rows differ, because such a commit only inserts, updates or deletes rows of its batch's keys.</item>
/// </list>
/// Anything else between the two versions and there is no such change: the caller rebuilds.
/// </summary>
/// <param name="Input">The silver table, e.g. <c>silver.orders</c>.</param>
/// <param name="Source">The source whose silver table it is.</param>
/// <param name="From">The version the gold table was built from.</param>
/// <param name="To">The version to bring it to.</param>
/// <param name="Feed">The change data feed of versions <c>From + 1</c> to <paramref name="To"/> (lazy): the table's columns
/// and <c>_change_type</c>; null when the change comes from the batches.</param>
/// <param name="Batches">The bronze rows of the consumed batches, as bronze holds them (lazy); null when the change comes
/// from the feed.</param>
internal sealed record GoldInputChange(string Input, SourceConfig Source, long From, long To, DataFrame? Feed, DataFrame? Batches)
{
    /// <summary>Whether the change comes from the change data feed.</summary>
    public bool FromFeed => Feed is not null;

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

        var path = ctx.TablePath(input);
        var log = await CommitLog.TryReadAsync(ctx.Spark, input, path, ct).ConfigureAwait(false);
        if (log?.At(from) is not { } built || built.Time != fromTime)
        {
            // The log no longer has the version, or the table was written anew and reached that version number again.
            return (null, $"{input} v{from} is not the commit the build read");
        }

        var noFeed = await WhyNoFeedAsync(ctx, path, log, from, ct).ConfigureAwait(false);
        if (noFeed is null)
        {
            var feed = CommitLog.Feed(ctx.Spark, path, from, to);
            return (new GoldInputChange(input, source, from, to, feed, null), null);
        }

        // Without the feed, anything but a batch may change rows of any key.
        var (batches, notBatches) = log.Since(built, to);
        if (batches is null || log.ProgressAt(from) is not { } fromProgress || log.ProgressAt(to) is not { } toProgress)
        {
            return (null, $"{notBatches}, and {noFeed}");
        }

        var bronze = DeltaTables.ReadAt(ctx.Spark, ctx.TablePath(source.BronzeTable), toProgress.BronzeVersion)
            .Filter((Col(BronzeColumns.BatchId) > Lit(fromProgress.BronzeBatch)) & (Col(BronzeColumns.BatchId) <= Lit(toProgress.BronzeBatch)));
        return (new GoldInputChange(input, source, from, to, null, bronze), null);
    }

    /// <summary>
    /// Rows that name every key whose row may differ between <see cref="From"/> and <see cref="To"/>, with the table's
    /// business key and data columns (lazy): the feed's rows, or the bronze rows of the consumed batches cleaned as
    /// silver cleans them, with a non-null business key (every row a batch wrote into silver is one of them).
    /// </summary>
    public async Task<DataFrame> ChangedRowsAsync(CancellationToken ct)
    {
        if (Feed is not null)
        {
            return Feed;
        }

        var cleaned = await Cleaning.ApplyAsync(Batches!, Source, ct).ConfigureAwait(false);
        return cleaned.Frame.Filter(Source.BusinessKey.Select(k => Col(k).IsNotNull()).Aggregate((a, b) => a & b));
    }

    /// <summary>Why the change data feed does not describe the table's change after <paramref name="from"/>, or null
    /// when it does: the table records the feed now, and no commit since <paramref name="from"/> (up to the newest, so
    /// that the property cannot have been switched on after the range) changed its metadata.</summary>
    private static async Task<string?> WhyNoFeedAsync(JobContext ctx, string path, CommitLog log, long from, CancellationToken ct) =>
        !await CommitLog.RecordsFeedAsync(ctx.Spark, path, ct).ConfigureAwait(false)
            ? "the table does not record the change data feed"
            : log.WhyNotInFeed(from);
}
