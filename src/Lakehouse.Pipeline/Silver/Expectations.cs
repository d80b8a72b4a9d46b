using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// Evaluates the row rules of a source over the cleaned rows in one pass, and splits the rows: quarantined (any
/// quarantine rule failed), dropped (a drop rule failed), valid (the rest; warn rules only count). A failing
/// <c>fail</c> rule stops the run before anything is written. A row fails a rule when the condition is false or null.
/// </summary>
internal sealed class Expectations
{
    private readonly IReadOnlyList<Rule> _rules;

    private Expectations(DataFrame flagged, IReadOnlyList<Rule> rules)
    {
        Flagged = flagged;
        _rules = rules;
    }

    public DataFrame Flagged { get; }

    public static Expectations Evaluate(DataFrame cleaned, SourceConfig source, IReadOnlyList<Rule> castRules)
    {
        var rules = new List<Rule>
        {
            new("malformed_record", $"the landing record did not parse (raw text in {BronzeColumns.RescuedData})", ExpectationAction.Quarantine, Implicit: true),
            new("business_key_not_null", $"a business key column ({string.Join(", ", source.BusinessKey)}) is null", ExpectationAction.Quarantine, Implicit: true),
        };
        var flags = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            [rules[0].Flag] = Col(BronzeColumns.RescuedData).IsNotNull(),
            [rules[1].Flag] = source.BusinessKey.Select(k => Col(k).IsNull()).Aggregate((a, b) => a | b),
        };
        if (source.Scd2 && source.Sequence is { } sequence)
        {
            // An SCD2 version without a sequence value has no place in the history (it would be its valid_from).
            var rule = new Rule("sequence_not_null", $"the sequence column {sequence} is null", ExpectationAction.Quarantine, Implicit: true);
            rules.Add(rule);
            flags[rule.Flag] = Col(sequence).IsNull();
        }

        rules.AddRange(castRules);
        rules.AddRange(source.Expectations.Select(e => new Rule(e.Name, e.Condition, e.Action, Implicit: false)));

        foreach (var rule in rules.Where(r => !r.Implicit))
        {
            flags[rule.Flag] = Coalesce(Expr(rule.Description), Lit(false)).Not();
        }

        return new Expectations(cleaned.WithColumns(flags), rules);
    }

    /// <summary>The same rules over other flagged rows (e.g. a persisted, narrowed copy of <see cref="Flagged"/>).</summary>
    public Expectations Over(DataFrame flagged) => new(flagged, _rules);

    public Column Quarantined => Any(ExpectationAction.Quarantine);

    public Column Dropped => Any(ExpectationAction.Drop).And(Quarantined.Not());

    public Column Valid => Quarantined.Not().And(Any(ExpectationAction.Drop).Not());

    /// <summary>Counts rows and failures per rule in one pass; records each rule's outcome in the report; throws when a
    /// <c>fail</c> rule failed.</summary>
    public async Task<(long Rows, long Quarantined, long Dropped)> CountAsync(JobContext ctx, string table, CancellationToken ct)
    {
        var aggregates = new List<Column>
        {
            Count(Lit(1)).Alias("rows"),
            Sum(When(Quarantined, 1).Otherwise(0)).Alias("quarantined"),
            Sum(When(Dropped, 1).Otherwise(0)).Alias("dropped"),
        };
        aggregates.AddRange(_rules.Select((r, i) => Sum(When(Col(r.Flag), 1).Otherwise(0)).Alias($"r{i}")));
        var row = (await Flagged.Agg([.. aggregates]).CollectAsync(ct).ConfigureAwait(false))[0];
        long Long(string name) => row[name] is null ? 0 : Convert.ToInt64(row[name], System.Globalization.CultureInfo.InvariantCulture);

        var failures = new List<string>();
        for (var i = 0; i < _rules.Count; i++)
        {
            var rule = _rules[i];
            var failing = Long($"r{i}");
            ctx.Report.Checks.Add(new CheckOutcome(table, rule.Name, rule.Action.ToString().ToLowerInvariant(), failing == 0, failing));
            if (failing > 0)
            {
                ctx.Log.Warning("{Table}: {Failing} rows fail {Rule} ({Action}): {Description}", table, failing, rule.Name, rule.Action, rule.Description);
                if (rule.Action == ExpectationAction.Fail)
                {
                    failures.Add($"{rule.Name} ({failing} rows fail: {rule.Description})");
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new QualityGateException(
                $"{table}: expectations with action fail did not pass: {string.Join("; ", failures)}. Nothing was committed; fix the data or the rule and rerun.");
        }

        return (Long("rows"), Long("quarantined"), Long("dropped"));
    }

    /// <summary>The quarantined rows as the quarantine table keeps them: raw values, lineage, rules and reason.</summary>
    public DataFrame QuarantineRows(IReadOnlyList<string> rawColumns, string runId, DateTimeOffset now)
    {
        var quarantine = _rules.Where(r => r.Action == ExpectationAction.Quarantine).ToList();
        var columns = new List<Column>();
        columns.AddRange(rawColumns.Select(c => Col(SilverColumns.RawPrefix + c).Alias(c)));
        columns.Add(Col(BronzeColumns.RescuedData));
        columns.Add(Col(BronzeColumns.SourceFile));
        columns.Add(Col(BronzeColumns.BatchId));
        columns.Add(Col(BronzeColumns.IngestedAt));
        columns.Add(ConcatWs(",", [.. quarantine.Select(r => When(Col(r.Flag), r.Name))]).Alias(SilverColumns.Rules));
        columns.Add(ConcatWs("; ", [.. quarantine.Select(r => When(Col(r.Flag), $"{r.Name}: {r.Description}"))]).Alias(SilverColumns.Reason));
        columns.Add(Lit(runId).Alias(SilverColumns.RunId));
        columns.Add(Lit(now).Alias(SilverColumns.QuarantinedAt));
        return Flagged.Filter(Quarantined).Select([.. columns]);
    }

    private Column Any(ExpectationAction action)
    {
        var flags = _rules.Where(r => r.Action == action).Select(r => Col(r.Flag)).ToList();
        return flags.Count == 0 ? Lit(false) : flags.Aggregate((a, b) => a | b);
    }
}
