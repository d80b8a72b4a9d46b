using System.Globalization;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The checks of one table in one run: <see cref="PlanAsync"/> registers what each check needs in the passes
/// (<see cref="CheckPasses"/>) and returns how to judge it once they have run. Relationship checks join the other table's
/// keys into a pass, and failing examples are only queried for checks that failed. When the checked rows are pinned at
/// a known commit (<paramref name="self"/>), every result records its basis, and a check whose latest earlier result
/// (<paramref name="earlier"/>) rests on a commit the table changed from only by silver-job batches is judged from the
/// rows written since (see docs/pipeline-quality-gold.md, "Incremental checks"): a row-wise check or a relationship
/// that passed then counts the failures among the new rows, <c>unique</c> probes the table for the new rows' keys,
/// freshness compares the newest new value with the one measured then. Anything else is judged on the whole table.
/// </summary>
internal sealed class CheckRun(SparkSession spark, string table, DataFrame frame, CheckBasis.At? self, CheckContext ctx, CancellationToken ct,
    IReadOnlyDictionary<string, EarlierCheck>? earlier = null, CommitLog? log = null)
{
    public delegate Task<CheckResult> Judge(PassResults metrics);

    public async Task<Judge> PlanAsync(TableCheckConfig check, CheckPasses passes) => check.Type switch
    {
        TableCheckType.NotNull => CountIf(check, passes, CheckPredicates.AnyNull(check.Columns), "0", examples: RowExamplesAsync),
        TableCheckType.AcceptedValues => CountIf(check, passes, CheckPredicates.NotAccepted(check), "in [" + string.Join(", ", check.Values) + "]", examples: ValueExamplesAsync),
        TableCheckType.Range => CountIf(check, passes, CheckPredicates.OutOfRange(check), RangeText(check), examples: ValueExamplesAsync),
        TableCheckType.Unique => Unique(check, passes),
        TableCheckType.Freshness => Freshness(check, passes),
        TableCheckType.Relationship => await RelationshipAsync(check, passes).ConfigureAwait(false),
        TableCheckType.RowCountChange => m => RowCountChangeAsync(check, m.Rows),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check.Type, "Unknown check type."),
    };

    /// <summary>The earlier result <paramref name="check"/> can start from: one that passed (or, for freshness, measured
    /// a value) at a commit the table changed from only by silver-job batches; null when there is none.</summary>
    private EarlierCheck? StartingPoint(TableCheckConfig check)
    {
        if (earlier?.GetValueOrDefault(check.Name) is not { } e)
        {
            return null;
        }

        if (e.Change is null || !(check.Type == TableCheckType.Freshness ? e.Measured is not null : e.Passed))
        {
            ctx.Log?.Information("Check {Table}.{Check}: checked in full ({Why})", table, check.Name,
                e.Why ?? (check.Type == TableCheckType.Freshness ? "no value was measured then" : $"it failed in run {e.RunId} at {e.From.Table} v{e.From.Version}"));
            return null;
        }

        return e;
    }

    private string? Basis(TableCheckConfig check) => self is null ? null : CheckBasis.Format(check, self);

    private Judge CountIf(TableCheckConfig check, CheckPasses passes, Column failing, string threshold,
        Func<DataFrame, TableCheckConfig, Column, Task<IReadOnlyList<string>>> examples)
    {
        var basis = Basis(check);
        var start = StartingPoint(check);
        // Every row now is a row that passed then or a new one: the failures now are the new rows' failures.
        var (rows, pass) = start?.After is { } after ? passes.After(after) : (frame, passes.Full);
        var metric = pass.AddCountIf(failing);
        return async m =>
        {
            var bad = CheckValues.Long(Metrics(m, start)[metric]);
            var how = start is null ? "" : start.Incrementally(NewRows(m, start));
            return bad == 0
                ? new CheckResult(check, true, 0, threshold, 0, m.Rows, [], $"All {m.Rows} rows pass.{how}") { Basis = basis }
                : new CheckResult(check, false, bad, threshold, bad, m.Rows, await examples(rows, check, failing).ConfigureAwait(false),
                    $"{bad} of {m.Rows} rows fail {Describe(check)}.{how}") { Basis = basis };
        };
    }

    private static Row Metrics(PassResults m, EarlierCheck? start) => start?.After is { } after ? m.After[after] : m.Full!;

    // How many new rows the pass over them counted; null when no check needed that pass.
    private static long? NewRows(PassResults m, EarlierCheck start) =>
        m.After.TryGetValue(start.After!.Value, out var row) ? CheckValues.Long(row[AggregatePass.Rows]) : null;

    private Judge Unique(TableCheckConfig check, CheckPasses passes)
    {
        var basis = Basis(check);
        var complete = CheckPredicates.KeyComplete(check.Columns);
        // A composite key is counted as one text value; the separator cannot occur in what the key columns print.
        var key = check.Columns.Count == 1 ? Col(check.Columns[0]) : ConcatWs("\u0001", [.. check.Columns.Select(c => Col(c).Cast("string"))]);
        var start = StartingPoint(check);
        string? counted = null, distinct = null;
        CheckPasses.Probe? probe = null;
        if (start?.After is { } after)
        {
            // The keys were unique then, so only a key of a new row (H) can repeat now: the duplicates are the rows whose
            // key is in H, less one per key of H. The table's key columns probe H.
            var fresh = passes.After(after).Rows;
            probe = passes.AddProbe(prefix =>
            {
                var aliases = check.Columns.Select((c, i) => prefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
                var h = fresh.Filter(complete).Select([.. check.Columns.Select((c, i) => Col(c).Alias(aliases[i]))]).Distinct();
                return (h, check.Columns.Select((c, i) => Col(c) == Col(aliases[i])).Aggregate((a, b) => a & b));
            }, key);
        }
        else
        {
            counted = passes.Full.AddCountIf(complete);
            distinct = passes.Full.Add(CountDistinct(When(complete, key)));
        }

        return async m =>
        {
            var duplicates = probe is null
                ? CheckValues.Long(m.Full![counted!]) - CheckValues.Long(m.Full[distinct!])
                : m.Probed[probe].Rows - m.Probed[probe].Distinct;
            var how = start is null ? "" : start.Incrementally(NewRows(m, start));
            if (duplicates == 0)
            {
                return new CheckResult(check, true, 0, "0", 0, m.Rows, [], $"Every {string.Join(", ", check.Columns)} is unique.{how}") { Basis = basis };
            }

            var keys = check.Columns.Select(Col).ToArray();
            var candidates = probe is null ? frame.Filter(complete) : frame.Join(probe.Keys, probe.On, "left_semi");
            var examples = await candidates.GroupBy(keys).Agg(Count(Lit(1)).Alias("__n"))
                .Filter(Col("__n") > 1).OrderBy([Col("__n").Desc(), .. keys]).Limit(ctx.MaxExamples).CollectAsync(ct).ConfigureAwait(false);
            return new CheckResult(check, false, duplicates, "0", duplicates, m.Rows,
                [.. examples.Select(r => $"{string.Join(", ", check.Columns.Select(c => CheckValues.Text(r[c])))} (x{CheckValues.Long(r["__n"])})")],
                $"{duplicates} rows repeat a {string.Join(", ", check.Columns)} that another row has.{how}") { Basis = basis };
        };
    }

    private Judge Freshness(TableCheckConfig check, CheckPasses passes)
    {
        var limit = check.MaxAgeHours ?? 0;
        var threshold = $"<= {CheckValues.Number(limit)} h";
        var basis = Basis(check);
        var newest = Max(Col(check.Column!).Cast("timestamp"));
        if (earlier?.GetValueOrDefault(check.Name) is { Measured: { } text } same && self is not null && same.From == self)
        {
            // The newest value of the table at this version is what an earlier run measured; only the clock moved.
            ctx.Log?.Information("Check {Table}.{Check}: newest {Column} {Newest} as measured before ({Basis}); not scanned again",
                table, check.Name, check.Column, text, basis);
            return m => Task.FromResult(Judge(Parse(text), m.Rows, ""));
        }

        var start = StartingPoint(check);
        if (start?.After is { } after)
        {
            var metric = passes.After(after).Pass.Add(newest);
            return async m =>
            {
                var then = Parse(start.Measured!);
                var fresh = m.After.GetValueOrDefault(after)?[metric] as DateTimeOffset?;
                // Rows of then that are still there are no newer than then's newest: a new value at least as new is the
                // newest now; with only inserts since, then's newest is still there.
                if (fresh is { } f && f >= then)
                {
                    return Judge(f, m.Rows, start.Incrementally(NewRows(m, start)));
                }

                if (start.Change!.OnlyInserts)
                {
                    return Judge(then, m.Rows, start.Incrementally(NewRows(m, start)));
                }

                ctx.Log?.Information("Check {Table}.{Check}: no new {Column} as new as {Then}, and rows were updated or deleted since; scanning the table",
                    table, check.Name, check.Column, start.Measured);
                var row = (await frame.Agg(newest.Alias("__newest")).CollectAsync(ct).ConfigureAwait(false))[0];
                return Measure(row["__newest"], m.Rows);
            };
        }

        var full = passes.Full.Add(newest);
        return m => Task.FromResult(Measure(m.Full![full], m.Rows));

        CheckResult Measure(object? value, long rows) => value is DateTimeOffset max
            ? Judge(max, rows, "")
            : new CheckResult(check, false, null, threshold, 0, rows, [], $"{check.Column} has no value to measure freshness by ({rows} rows).") { Basis = basis };

        CheckResult Judge(DateTimeOffset max, long rows, string how)
        {
            var age = (ctx.Now - max).TotalHours;
            var passed = age <= limit;
            return new CheckResult(check, passed, Math.Round(age, 3), threshold, 0, rows,
                passed ? [] : [$"newest {check.Column} = {CheckValues.Text(max)}"],
                $"The newest {check.Column} is {CheckValues.Number(age)} h old (limit {CheckValues.Number(limit)} h).{how}")
            {
                Basis = basis,
                Measured = basis is null ? null : max.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            };
        }

        static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    // The other table's history, and an earlier result at the same commits, are looked up before the passes; a
    // relationship left to evaluate joins the other table's keys into a pass when the two columns have one type.
    private async Task<Judge> RelationshipAsync(TableCheckConfig check, CheckPasses passes)
    {
        var targetLog = await CommitLog.TryReadAsync(spark, check.To!, ctx.TablePath(check.To!), ct).ConfigureAwait(false);
        if (targetLog is null)
        {
            return m => Task.FromResult(new CheckResult(check, false, null, "0", 0, m.Rows, [],
                $"{check.To}, which {table}.{check.Column} refers to, does not exist; run the job that writes it first."));
        }

        var to = targetLog.Latest;
        var targetAt = targetLog.At(to)!;
        // The result follows from the two tables' contents: at the same commits it is the same.
        var basis = self is null ? null : CheckBasis.Format(check, self, targetAt);
        if (basis is not null && await DqResultsLog.EarlierResultAsync(spark, ctx, table, check, basis, ct).ConfigureAwait(false) is { } same)
        {
            return _ => Task.FromResult(same);
        }

        var target = TableChecks.ReadAt(spark, check.To!, to, ctx);
        var start = StartingPoint(check);
        if (start is not null && WhyNotGained(check, start, targetLog, to) is { } why)
        {
            ctx.Log?.Information("Check {Table}.{Check}: checked in full ({Why})", table, check.Name, why);
            start = null;
        }

        // Every row of then found its key then, and the other table has only gained keys since: only a new row can miss.
        var (rows, pass) = start?.After is { } after ? passes.After(after) : (frame, passes.Full);
        // Null references are not_null's business: only non-null values must exist in the other table.
        var references = rows.Filter(Col(check.Column!).IsNotNull());
        var orphans = references.Join(Keys(), Col(check.Column!) == Col("__key"), "left_anti");
        var how = (PassResults m) => start is null ? "" : start.Incrementally(NewRows(m, start));
        if (start is null && earlier?.GetValueOrDefault(check.Name) is { Passed: false } failed)
        {
            // It failed last time and will most likely fail again. From the change data feed when it tells the result
            // exactly; otherwise one query counts the missing values and picks the examples (the count is a window sum
            // over the groups), instead of a lookup in the pass and an examples query.
            FailedRelationship? fromFeed = null;
            if (self is not null && log is not null)
            {
                var stringKeys = await SameKeyTypeAsync(check, target, DataType.KindOneofCase.String).ConfigureAwait(false);
                (fromFeed, var notFromFeed) = await FailedRelationship.PlanAsync(spark, ctx, table, frame, log, self.Version, check, failed, target, targetLog, to, stringKeys, ct).ConfigureAwait(false);
                if (fromFeed is null)
                {
                    ctx.Log?.Information("Check {Table}.{Check}: failed in run {RunId}, counted in full ({Why})", table, check.Name, failed.RunId, notFromFeed);
                }
            }

            return async m =>
            {
                if (fromFeed is not null && await fromFeed.JudgeAsync(ct).ConfigureAwait(false) is { } judged)
                {
                    return Result(judged.Failing, m, judged.Examples, fromFeed.How);
                }

                var top = await orphans.GroupBy(Col(check.Column!).Alias("__value")).Agg(Count(Lit(1)).Alias("__n"))
                    .WithColumn("__total", Sum(Col("__n")).Over(Window.PartitionBy(Array.Empty<Column>())))
                    .OrderBy(Col("__n").Desc(), Col("__value").Asc()).Limit(ctx.MaxExamples).CollectAsync(ct).ConfigureAwait(false);
                var bad = top.Count == 0 ? 0 : CheckValues.Long(top[0]["__total"]);
                return Result(bad, m, [.. top.Select(r => $"{CheckValues.Text(r["__value"])} (x{CheckValues.Long(r["__n"])})")]);
            };
        }

        Func<PassResults, Task<long>> count;
        if (await SameKeyTypeAsync(check, target).ConfigureAwait(false))
        {
            // Distinct keys of the column's own type match a row at most once, so the left join keeps every row once.
            var key = pass.LookupKeyName();
            pass.AddLookup(target.Select(Col(check.ToColumn!).Alias(key)).Distinct(), Col(check.Column!) == Col(key));
            var metric = pass.AddCountIf(Col(check.Column!).IsNotNull() & Col(key).IsNull());
            count = m => Task.FromResult(CheckValues.Long(Metrics(m, start)[metric]));
        }
        else
        {
            // Columns of different types compare after coercion, under which distinct keys can match a row twice:
            // an anti join of its own.
            count = _ => orphans.CountAsync(ct);
        }

        return async m =>
        {
            var bad = await count(m).ConfigureAwait(false);
            return Result(bad, m, bad == 0 ? [] : await ValueExamplesAsync(orphans, check.Column!).ConfigureAwait(false));
        };

        CheckResult Result(long bad, PassResults m, IReadOnlyList<string> examples, string? judged = null) => bad == 0
            ? new CheckResult(check, true, 0, "0", 0, m.Rows, [], $"Every {check.Column} exists in {check.To}.{check.ToColumn}.{judged ?? how(m)}") { Basis = basis }
            : new CheckResult(check, false, bad, "0", bad, m.Rows, examples,
                $"{bad} of {m.Rows} rows have a {check.Column} missing from {check.To}.{check.ToColumn}.{judged ?? how(m)}") { Basis = basis };

        // Not made distinct: an anti join keeps a row only when nothing matches it, however often a key occurs, and a
        // DISTINCT over the other table's keys would cost a hash aggregate of all of them first.
        DataFrame Keys() => target.Select(Col(check.ToColumn!).Alias("__key"));
    }

    // Why the other table may have lost a key since the earlier result's commit of it; null when it only gained keys.
    private string? WhyNotGained(TableCheckConfig check, EarlierCheck start, CommitLog targetLog, long to)
    {
        if (start.Other is not { } other || other.Table != check.To)
        {
            return $"the result of run {start.RunId} names no commit of {check.To}";
        }

        if (ctx.HistoryTables.Contains(check.To!))
        {
            // A current row can stop being current.
            return $"{check.To} keeps history";
        }

        var keyed = ctx.BusinessKeys.GetValueOrDefault(check.To!)?.Contains(check.ToColumn!) == true;
        return targetLog.WhyNotOnlyGained(other, to, check.ToColumn!, keyed);
    }

    // Whether the two key columns have one type under which equality is plain equality (no floating point, whose
    // distinct and equality treat NaN and -0.0 differently on some engines, and no nested types).
    private async Task<bool> SameKeyTypeAsync(TableCheckConfig check, DataFrame target, DataType.KindOneofCase? kind = null)
    {
        var mine = SparkTypes.Fields(await frame.Select(Col(check.Column!)).SchemaAsync(ct).ConfigureAwait(false))[0].Type;
        var theirs = SparkTypes.Fields(await target.Select(Col(check.ToColumn!)).SchemaAsync(ct).ConfigureAwait(false))[0].Type;
        // Equal messages: the same kind with the same precision, scale or collation.
        return mine.Equals(theirs) && (kind is null || mine.KindCase == kind) && mine.KindCase is DataType.KindOneofCase.String or DataType.KindOneofCase.Boolean
            or DataType.KindOneofCase.Byte or DataType.KindOneofCase.Short or DataType.KindOneofCase.Integer or DataType.KindOneofCase.Long
            or DataType.KindOneofCase.Decimal or DataType.KindOneofCase.Date or DataType.KindOneofCase.Timestamp
            or DataType.KindOneofCase.TimestampNtz or DataType.KindOneofCase.Binary;
    }

    private async Task<CheckResult> RowCountChangeAsync(TableCheckConfig check, long rows)
    {
        var limit = check.MaxChangePercent ?? 0;
        var threshold = $"<= {CheckValues.Number(limit)} %";
        var history = await DqResultsLog.RecentRowCountsAsync(spark, ctx, table, check.Name, ct).ConfigureAwait(false);
        if (history.Count == 0)
        {
            return new CheckResult(check, true, null, threshold, 0, rows, [], $"First run: {rows} rows, no history to compare with.");
        }

        var mean = history.Average(h => (double)h);
        var change = mean == 0 ? (rows == 0 ? 0 : double.PositiveInfinity) : Math.Abs(rows - mean) / mean * 100;
        var passed = change <= limit;
        var observed = double.IsInfinity(change) ? (double?)null : Math.Round(change, 3);
        var said = double.IsInfinity(change) ? "grew from none" : $"changed by {CheckValues.Number(change)} %";
        return new CheckResult(check, passed, observed, threshold, 0, rows,
            passed ? [] : [$"{rows} rows now; earlier runs: {string.Join(", ", history)}"],
            $"{rows} rows {said} against the mean {CheckValues.Number(mean)} of the last {history.Count} runs (limit {CheckValues.Number(limit)} %).");
    }

    private async Task<IReadOnlyList<string>> RowExamplesAsync(DataFrame rows, TableCheckConfig check, Column failing)
    {
        var found = await rows.Filter(failing).Limit(ctx.MaxExamples).CollectAsync(ct).ConfigureAwait(false);
        return [.. found.Select(CheckValues.Row)];
    }

    private Task<IReadOnlyList<string>> ValueExamplesAsync(DataFrame rows, TableCheckConfig check, Column failing) =>
        ValueExamplesAsync(rows.Filter(failing), check.Column!);

    // The most frequent offending values first, each with how often it occurs.
    private async Task<IReadOnlyList<string>> ValueExamplesAsync(DataFrame failing, string column)
    {
        var rows = await failing.GroupBy(Col(column).Alias("__value")).Agg(Count(Lit(1)).Alias("__n"))
            .OrderBy(Col("__n").Desc(), Col("__value").Asc()).Limit(ctx.MaxExamples).CollectAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(r => $"{CheckValues.Text(r["__value"])} (x{CheckValues.Long(r["__n"])})")];
    }

    private static string RangeText(TableCheckConfig check) =>
        $"[{(check.Min is { } min ? CheckValues.Number(min) : "-inf")}, {(check.Max is { } max ? CheckValues.Number(max) : "+inf")}]";

    private static string Describe(TableCheckConfig check) => check.Type switch
    {
        TableCheckType.NotNull => $"not_null on {string.Join(", ", check.Columns)}",
        TableCheckType.AcceptedValues => $"accepted_values on {check.Column}",
        TableCheckType.Range => $"range {RangeText(check)} on {check.Column}",
        _ => check.Name,
    };

    internal static string TypeName(TableCheckType type) => Runs.SnakeCase.Convert(type.ToString());

    internal static string SeverityName(CheckSeverity severity) => severity.ToString().ToLower(CultureInfo.InvariantCulture);
}
