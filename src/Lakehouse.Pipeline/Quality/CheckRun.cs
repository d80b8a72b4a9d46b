using System.Globalization;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The checks of one table in one run: <see cref="PlanAsync"/> registers what each check needs in the shared aggregate pass
/// and returns how to judge it once the pass has run. Relationship checks join the other table's keys into the pass,
/// and failing examples are only queried for checks that failed. When the checked rows are pinned at a known version
/// (<paramref name="version"/>), a relationship check whose two tables are at the versions of an earlier result takes
/// that result instead of joining again, and a freshness check whose newest value was measured at that version takes
/// the measurement (<paramref name="measured"/>, by <see cref="FreshnessBasis"/>) instead of scanning again.
/// </summary>
internal sealed class CheckRun(SparkSession spark, string table, DataFrame frame, long? version, CheckContext ctx, CancellationToken ct,
    IReadOnlyDictionary<string, string>? measured = null)
{
    /// <summary>What a freshness check's newest value follows from: its column and the table's version.</summary>
    public static string FreshnessBasis(TableCheckConfig check, string table, long version) =>
        FormattableString.Invariant($"freshness {check.Column}; {table} v{version}");

    public delegate Task<CheckResult> Judge(Row metrics, long rows);

    public async Task<Judge> PlanAsync(TableCheckConfig check, AggregatePass pass) => check.Type switch
    {
        TableCheckType.NotNull => CountIf(check, pass, CheckPredicates.AnyNull(check.Columns), "0", examples: RowExamplesAsync),
        TableCheckType.AcceptedValues => CountIf(check, pass, CheckPredicates.NotAccepted(check), "in [" + string.Join(", ", check.Values) + "]", examples: ValueExamplesAsync),
        TableCheckType.Range => CountIf(check, pass, CheckPredicates.OutOfRange(check), RangeText(check), examples: ValueExamplesAsync),
        TableCheckType.Unique => Unique(check, pass),
        TableCheckType.Freshness => Freshness(check, pass),
        TableCheckType.Relationship => await RelationshipAsync(check, pass).ConfigureAwait(false),
        TableCheckType.RowCountChange => (_, rows) => RowCountChangeAsync(check, rows),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check.Type, "Unknown check type."),
    };

    private Judge CountIf(TableCheckConfig check, AggregatePass pass, Column failing, string threshold,
        Func<TableCheckConfig, Column, Task<IReadOnlyList<string>>> examples)
    {
        var metric = pass.AddCountIf(failing);
        return async (metrics, rows) =>
        {
            var bad = CheckValues.Long(metrics[metric]);
            return bad == 0
                ? new CheckResult(check, true, 0, threshold, 0, rows, [], $"All {rows} rows pass.")
                : new CheckResult(check, false, bad, threshold, bad, rows, await examples(check, failing).ConfigureAwait(false),
                    $"{bad} of {rows} rows fail {Describe(check)}.");
        };
    }

    private Judge Unique(TableCheckConfig check, AggregatePass pass)
    {
        var complete = pass.AddCountIf(CheckPredicates.KeyComplete(check.Columns));
        // A composite key is counted as one text value; the separator cannot occur in what the key columns print.
        var key = check.Columns.Count == 1 ? Col(check.Columns[0]) : ConcatWs("\u0001", [.. check.Columns.Select(c => Col(c).Cast("string"))]);
        var distinct = pass.Add(CountDistinct(When(CheckPredicates.KeyComplete(check.Columns), key)));
        return async (metrics, rows) =>
        {
            var duplicates = CheckValues.Long(metrics[complete]) - CheckValues.Long(metrics[distinct]);
            if (duplicates == 0)
            {
                return new CheckResult(check, true, 0, "0", 0, rows, [], $"Every {string.Join(", ", check.Columns)} is unique.");
            }

            var keys = check.Columns.Select(Col).ToArray();
            var examples = await frame.Filter(CheckPredicates.KeyComplete(check.Columns)).GroupBy(keys).Agg(Count(Lit(1)).Alias("__n"))
                .Filter(Col("__n") > 1).OrderBy([Col("__n").Desc(), .. keys]).Limit(ctx.MaxExamples).CollectAsync(ct).ConfigureAwait(false);
            return new CheckResult(check, false, duplicates, "0", duplicates, rows,
                [.. examples.Select(r => $"{string.Join(", ", check.Columns.Select(c => CheckValues.Text(r[c])))} (x{CheckValues.Long(r["__n"])})")],
                $"{duplicates} rows repeat a {string.Join(", ", check.Columns)} that another row has.");
        };
    }

    private Judge Freshness(TableCheckConfig check, AggregatePass pass)
    {
        var limit = check.MaxAgeHours ?? 0;
        var threshold = $"<= {CheckValues.Number(limit)} h";
        var basis = version is { } v ? FreshnessBasis(check, table, v) : null;
        if (basis is not null && measured?.GetValueOrDefault(basis) is { } text)
        {
            // The newest value of the table at this version is what an earlier run measured; only the clock moved.
            var earlier = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            ctx.Log?.Information("Check {Table}.{Check}: newest {Column} {Newest} as measured before ({Basis}); not scanned again",
                table, check.Name, check.Column, text, basis);
            return (_, rows) => Task.FromResult(Judge(earlier, rows));
        }

        var newest = pass.Add(Max(Col(check.Column!).Cast("timestamp")));
        return (metrics, rows) => Task.FromResult(metrics[newest] is DateTimeOffset max
            ? Judge(max, rows)
            : new CheckResult(check, false, null, threshold, 0, rows, [], $"{check.Column} has no value to measure freshness by ({rows} rows).") { Basis = basis });

        CheckResult Judge(DateTimeOffset max, long rows)
        {
            var age = (ctx.Now - max).TotalHours;
            var passed = age <= limit;
            return new CheckResult(check, passed, Math.Round(age, 3), threshold, 0, rows,
                passed ? [] : [$"newest {check.Column} = {CheckValues.Text(max)}"],
                $"The newest {check.Column} is {CheckValues.Number(age)} h old (limit {CheckValues.Number(limit)} h).")
            {
                Basis = basis,
                Measured = basis is null ? null : max.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            };
        }
    }

    // The other table's version, and an earlier result at the same versions, are looked up before the pass; a
    // relationship left to evaluate joins the other table's keys into the pass when the two columns have one type.
    private async Task<Judge> RelationshipAsync(TableCheckConfig check, AggregatePass pass)
    {
        var targetVersion = await DeltaTables.TryLatestVersionAsync(spark, ctx.TablePath(check.To!), ct).ConfigureAwait(false);
        if (targetVersion is not { } to)
        {
            return (_, rows) => Task.FromResult(new CheckResult(check, false, null, "0", 0, rows, [],
                $"{check.To}, which {table}.{check.Column} refers to, does not exist; run the job that writes it first."));
        }

        // The result follows from the two tables' contents: at the same versions it is the same.
        var basis = version is { } v
            ? FormattableString.Invariant($"relationship {check.Column} -> {check.To}.{check.ToColumn}; {table} v{v}; {check.To} v{to}")
            : null;
        if (basis is not null && await DqResultsLog.EarlierResultAsync(spark, ctx, table, check, basis, ct).ConfigureAwait(false) is { } earlier)
        {
            return (_, _) => Task.FromResult(earlier);
        }

        var target = TableChecks.ReadAt(spark, check.To!, to, ctx);
        // Null references are not_null's business: only non-null values must exist in the other table.
        var references = frame.Filter(Col(check.Column!).IsNotNull());
        Func<Row, Task<long>> count;
        if (await SameKeyTypeAsync(check, target).ConfigureAwait(false))
        {
            // Distinct keys of the column's own type match a row at most once, so the left join keeps every row once.
            var key = pass.LookupKeyName();
            pass.AddLookup(target.Select(Col(check.ToColumn!).Alias(key)).Distinct(), Col(check.Column!) == Col(key));
            var metric = pass.AddCountIf(Col(check.Column!).IsNotNull() & Col(key).IsNull());
            count = metrics => Task.FromResult(CheckValues.Long(metrics[metric]));
        }
        else
        {
            // Columns of different types compare after coercion, under which distinct keys can match a row twice:
            // an anti join of its own.
            count = _ => references.Join(Keys(), Col(check.Column!) == Col("__key"), "left_anti").CountAsync(ct);
        }

        return async (metrics, rows) =>
        {
            var bad = await count(metrics).ConfigureAwait(false);
            if (bad == 0)
            {
                return new CheckResult(check, true, 0, "0", 0, rows, [], $"Every {check.Column} exists in {check.To}.{check.ToColumn}.") { Basis = basis };
            }

            var orphans = references.Join(Keys(), Col(check.Column!) == Col("__key"), "left_anti");
            return new CheckResult(check, false, bad, "0", bad, rows, await ValueExamplesAsync(orphans, check.Column!).ConfigureAwait(false),
                $"{bad} of {rows} rows have a {check.Column} missing from {check.To}.{check.ToColumn}.") { Basis = basis };
        };

        DataFrame Keys() => target.Select(Col(check.ToColumn!).Alias("__key")).Distinct();
    }

    // Whether the two key columns have one type under which equality is plain equality (no floating point, whose
    // distinct and equality treat NaN and -0.0 differently on some engines, and no nested types).
    private async Task<bool> SameKeyTypeAsync(TableCheckConfig check, DataFrame target)
    {
        var mine = SparkTypes.Fields(await frame.Select(Col(check.Column!)).SchemaAsync(ct).ConfigureAwait(false))[0].Type;
        var theirs = SparkTypes.Fields(await target.Select(Col(check.ToColumn!)).SchemaAsync(ct).ConfigureAwait(false))[0].Type;
        // Equal messages: the same kind with the same precision, scale or collation.
        return mine.Equals(theirs) && mine.KindCase is DataType.KindOneofCase.String or DataType.KindOneofCase.Boolean
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

    private async Task<IReadOnlyList<string>> RowExamplesAsync(TableCheckConfig check, Column failing)
    {
        var rows = await frame.Filter(failing).Limit(ctx.MaxExamples).CollectAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(CheckValues.Row)];
    }

    private Task<IReadOnlyList<string>> ValueExamplesAsync(TableCheckConfig check, Column failing) =>
        ValueExamplesAsync(frame.Filter(failing), check.Column!);

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
