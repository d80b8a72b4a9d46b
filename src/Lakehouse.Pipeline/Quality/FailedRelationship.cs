using System.Globalization;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Silver;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// A relationship check whose latest result failed, judged from that result and Delta's change data feed of both tables
/// instead of an anti join of the whole table against the other one (docs/pipeline-quality-gold.md, "A relationship that
/// failed"). Per referenced value x, only the values in U (those of the checked table's changed rows, and the keys whose
/// rows the other table changed) can have changed how many rows they have or whether the other table has them:
/// failing now = failing then + Σ over U of (rows now if missing now) − (rows then if missing then), where rows then =
/// rows now − the feed's net change of x. Rows now are counted only for the values of U missing now or then (a semi join
/// of the checked column with a small set, not a join with every key of the other table). The examples (most rows first,
/// ties by value) are the earlier examples the change did not touch plus the values of U, and are taken when they are
/// exact: every missing value is among them, or the last of them ranks at or above the earlier result's last example
/// (every value outside U and the earlier examples ranked below it then, and still has its rows). Otherwise the caller
/// checks in full.
/// </summary>
internal sealed class FailedRelationship
{
    private const string Value = "__value";
    private const string Net = "__net";
    private const string KeyNet = "__key_net";
    private const string Present = "__present";
    private const string Missing = "__missing";
    private const string WasMissing = "__was_missing";
    private const string N = "__n";
    private const string Gained = "__gained_rows";
    private const string Recorded = "__recorded";
    private const string Total = "__delta";
    private const string Candidate = "__candidate";
    private const string AtOrAbove = "__at_or_above";

    private readonly SparkSession _spark;
    private readonly CheckContext _ctx;
    private readonly string _table;
    private readonly DataFrame _frame;
    private readonly TableCheckConfig _check;
    private readonly EarlierCheck _failed;
    private readonly long _now;
    private readonly DataFrame _target;
    private readonly long _to;
    private readonly IReadOnlyList<(string Value, long Count)> _examples;

    private FailedRelationship(SparkSession spark, CheckContext ctx, string table, DataFrame frame, TableCheckConfig check, EarlierCheck failed,
        long now, DataFrame target, long to, IReadOnlyList<(string Value, long Count)> examples)
    {
        (_spark, _ctx, _table, _frame, _check, _failed, _now, _target, _to, _examples) = (spark, ctx, table, frame, check, failed, now, target, to, examples);
    }

    /// <summary>The sentence a result judged this way ends with.</summary>
    public string How => string.Create(CultureInfo.InvariantCulture,
        $" Checked incrementally: the {_failed.FailingRows} failing rows of run {_failed.RunId} ({_failed.From.Table} v{_failed.From.Version}, {_check.To} v{_failed.Other!.Version}) and the change data feed of both tables since.");

    /// <summary>
    /// The plan for <paramref name="check"/> on <paramref name="frame"/> (the checked table at <paramref name="now"/>,
    /// whose history is <paramref name="log"/>) from its failed result <paramref name="failed"/>, against
    /// <paramref name="target"/> (the rows checks see of the other table at <paramref name="to"/>); otherwise why not.
    /// </summary>
    public static async Task<(FailedRelationship? Plan, string? Why)> PlanAsync(SparkSession spark, CheckContext ctx, string table, DataFrame frame,
        CommitLog log, long now, TableCheckConfig check, EarlierCheck failed, DataFrame target, CommitLog targetLog, long to, bool stringKeys, CancellationToken ct)
    {
        if (failed.Change is null)
        {
            return (null, failed.Why ?? $"{table} changed since run {failed.RunId} by more than silver batches");
        }

        if (!stringKeys)
        {
            return (null, "the two columns are not both strings");
        }

        if (failed.Other is not { } other || !targetLog.Has(other) || other.Version > to)
        {
            return (null, $"the result of run {failed.RunId} names no commit of {check.To} that is still in its history");
        }

        if (failed.From.Version == now && other.Version == to)
        {
            return (null, "neither table changed");
        }

        if (ctx.MaxExamples < 1 || ParseExamples(failed.Examples) is not { Count: > 0 } examples)
        {
            return (null, $"the examples of run {failed.RunId} are not values with their counts");
        }

        // The feed must describe every commit after the result's versions up to the newest, so that the property was on
        // for all of them.
        if ((log.WhyNotInFeed(failed.From.Version) ?? targetLog.WhyNotInFeed(other.Version)) is { } why)
        {
            return (null, why);
        }

        foreach (var name in new[] { table, check.To! })
        {
            if (!await CommitLog.RecordsFeedAsync(spark, ctx.TablePath(name), ct).ConfigureAwait(false))
            {
                return (null, $"{name} does not record the change data feed");
            }
        }

        return (new FailedRelationship(spark, ctx, table, frame, check, failed, now, target, to, examples), null);
    }

    /// <summary>The failing rows and examples now; null when the examples do not follow exactly from the change.</summary>
    public async Task<(long Failing, IReadOnlyList<string> Examples)?> JudgeAsync(CancellationToken ct)
    {
        var column = _check.Column!;
        var key = _check.ToColumn!;
        var sign = When(Col(CommitLog.ChangeType).IsIn([.. CommitLog.NewImages]), Lit(1L)).Otherwise(Lit(-1L));
        var changes = new List<DataFrame>();
        if (_now > _failed.From.Version)
        {
            // Per referenced value, the checked table's rows added less the rows removed.
            changes.Add(Feed(_table, _failed.From.Version, _now).Filter(Col(column).IsNotNull())
                .Select(Col(column).Alias(Value), sign.Alias(Net), Lit(0L).Alias(KeyNet)));
        }

        if (_to > _failed.Other!.Version)
        {
            // Per key, the other table's rows that checks see (current rows of a history table) added less removed.
            var feed = Feed(_check.To!, _failed.Other.Version, _to);
            feed = _ctx.HistoryTables.Contains(_check.To!) ? Scd2Tables.Current(feed) : feed;
            changes.Add(feed.Filter(Col(key).IsNotNull()).Select(Col(key).Alias(Value), Lit(0L).Alias(Net), sign.Alias(KeyNet)));
        }

        var changed = changes.Aggregate((a, b) => a.UnionByName(b)).GroupBy(Value).Agg(Sum(Col(Net)).Alias(Net), Sum(Col(KeyNet)).Alias(KeyNet));
        var present = _target.Select(Col(key).Alias(Value)).Join(changed.Select(Value), [Value], "left_semi")
            .GroupBy(Value).Agg(Count(Lit(1)).Alias(Present));
        var presentNow = Coalesce(Col(Present), Lit(0L));
        var recorded = _spark.CreateDataFrame(_examples.Select(e => new RecordedExample(e.Value, e.Count)))
            .Select(Col("Value").Alias(Value), Col("Count").Alias(Recorded));
        // The values of U missing now or then, with the rows an earlier example had.
        var touched = await changed.Join(present, [Value], "left")
            .Select(Col(Value), Col(Net), (presentNow <= Lit(0L)).Alias(Missing), ((presentNow - Col(KeyNet)) <= Lit(0L)).Alias(WasMissing))
            .Filter(Col(Missing) | Col(WasMissing))
            .Join(recorded, [Value], "left")
            .PersistAsync(ct).ConfigureAwait(false);
        try
        {
            // Rows now are counted only where they matter: a value the other table gained (its rows then leave the
            // count), and a value missing now whose rank is not known otherwise (the other table lost it, or its rows
            // grew and it was no example). A value missing then and now adds its net change to the count, and one that
            // was no example and did not grow still ranks below the last example.
            var gained = Col(WasMissing) & !Col(Missing);
            var ranked = Col(Missing) & (!Col(WasMissing) | (Col(Recorded).IsNull() & (Col(Net) > Lit(0L))));
            var classes = (await touched.Agg(Sum(When(gained, 1L).Otherwise(0L)).Alias("__gained"), Sum(When(ranked, 1L).Otherwise(0L)).Alias("__ranked"))
                .CollectAsync(ct).ConfigureAwait(false))[0];
            var rows = touched
                .Join(Counted(touched.Filter(gained), CheckValues.Long(classes["__gained"]), Gained), [Value], "left")
                .Join(Counted(touched.Filter(ranked), CheckValues.Long(classes["__ranked"]), N), [Value], "left");
            var now = When(Col(Recorded).IsNotNull(), Col(Recorded) + Col(Net)).Otherwise(Coalesce(Col(N), Lit(0L)));
            var change = When(Col(Missing) & Col(WasMissing), Col(Net))
                .When(Col(WasMissing), Lit(0L) - (Coalesce(Col(Gained), Lit(0L)) - Col(Net)))
                .Otherwise(Coalesce(Col(N), Lit(0L)));
            var candidate = Col(Missing) & (Col(Recorded).IsNotNull() | ranked);
            var fromChange = rows.Select(Col(Value), now.Alias(N), change.Alias(Total), candidate.Alias(Candidate));
            // The earlier examples outside U: missing then and now with the rows they had.
            var unchanged = recorded.Join(touched.Select(Value), [Value], "left_anti")
                .Select(Col(Value), Col(Recorded).Alias(N), Lit(0L).Alias(Total), Lit(true).Alias(Candidate));
            var complete = _examples.Sum(e => e.Count) == _failed.FailingRows;
            var (lastValue, lastCount) = _examples[^1];
            var atOrAbove = complete ? Lit(true) : (Col(N) > Lit(lastCount)) | ((Col(N) == Lit(lastCount)) & (Col(Value) <= Lit(lastValue)));
            var top = await fromChange.UnionByName(unchanged)
                .WithColumn(Total, Sum(Col(Total)).Over(Window.PartitionBy(Array.Empty<Column>())))
                .WithColumn(Candidate, Col(Candidate) & (Col(N) > Lit(0L)))
                .WithColumn(AtOrAbove, atOrAbove)
                .OrderBy(Col(Candidate).Desc(), Col(N).Desc(), Col(Value).Asc()).Limit(_ctx.MaxExamples)
                .CollectAsync(ct).ConfigureAwait(false);
            var failing = _failed.FailingRows + (top.Count == 0 ? 0 : CheckValues.Long(top[0][Total]));
            var found = top.Where(r => r.Get<bool>(Candidate)).ToList();
            var shown = found.Sum(r => CheckValues.Long(r[N]));
            // Exact when every missing value is shown, or the last one shown ranks at or above the earlier last example.
            var exact = complete || shown == failing || (found.Count == _ctx.MaxExamples && found[^1].Get<bool>(AtOrAbove));
            if (failing < 0 || shown > failing || (failing > 0) != (found.Count > 0) || !exact)
            {
                _ctx.Log?.Information("Check {Table}.{Check}: the change since run {RunId} does not tell the examples exactly; checking in full",
                    _table, _check.Name, _failed.RunId);
                return null;
            }

            return (failing, [.. found.Select(r => $"{r.Get<string>(Value)} (x{CheckValues.Long(r[N])})")]);
        }
        finally
        {
            await touched.UnpersistAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    // The checked table's rows of each of the values (a semi join of the checked column with them, so that the values'
    // range can skip row groups by their statistics); none read when there are no values.
    private DataFrame Counted(DataFrame values, long count, string name)
    {
        var keys = values.Select(Value);
        var rows = count == 0 ? keys.Limit(0) : _frame.Select(Col(_check.Column!).Alias(Value)).Join(keys, [Value], "left_semi");
        return rows.GroupBy(Value).Agg(Count(Lit(1)).Alias(name));
    }

    private DataFrame Feed(string table, long after, long upTo) => CommitLog.Feed(_spark, _ctx.TablePath(table), after, upTo);

    // "value (xN)", as value checks write their examples; null when one is not.
    private static List<(string Value, long Count)>? ParseExamples(IReadOnlyList<string> examples)
    {
        var parsed = new List<(string, long)>(examples.Count);
        foreach (var e in examples)
        {
            var at = e.LastIndexOf(" (x", StringComparison.Ordinal);
            if (at < 0 || !e.EndsWith(')') || !long.TryParse(e.AsSpan(at + 3, e.Length - at - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return null;
            }

            parsed.Add((e[..at], n));
        }

        return parsed;
    }

    private sealed record RecordedExample(string Value, long Count);
}
