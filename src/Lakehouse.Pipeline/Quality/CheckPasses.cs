using Lakehouse.Pipeline.Bronze;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The aggregate passes of one table's checks: <see cref="Full"/> over every checked row, one over the rows written
/// after each bronze batch that an incremental check starts from (<see cref="After"/>; in practice one), and key probes
/// (<see cref="AddProbe"/>). A pass that nothing was added to is not run (the full one also counts the rows, so it runs
/// when the count is not known).
/// </summary>
internal sealed class CheckPasses(DataFrame frame)
{
    private readonly Dictionary<long, (DataFrame Rows, AggregatePass Pass)> _after = [];
    private readonly List<Probe> _probes = [];

    public AggregatePass Full { get; } = new();

    /// <summary>The rows with a <c>_batch_id</c> above <paramref name="batch"/>, and the pass over them.</summary>
    public (DataFrame Rows, AggregatePass Pass) After(long batch)
    {
        if (!_after.TryGetValue(batch, out var entry))
        {
            entry = (frame.Filter(Col(BronzeColumns.BatchId) > Lit(batch)), new AggregatePass());
            _after[batch] = entry;
        }

        return entry;
    }

    /// <summary>
    /// Counts the table's rows whose key equals a row of the keys <paramref name="keys"/> builds (distinct, each column
    /// named with the prefix it is given, so that none clashes with the table's; with the join condition), and the
    /// distinct values of <paramref name="key"/> among them; read both with <see cref="PassResults.Probed"/>. When the full pass runs anyway, the keys are a lookup
    /// in it (a left join, counted with conditional sums); otherwise the probe is a query of its own, an inner join whose
    /// aggregate sees only the matching rows instead of every row of the table.
    /// </summary>
    public Probe AddProbe(Func<string, (DataFrame Keys, Column On)> keys, Column key)
    {
        var (frameOfKeys, on) = keys(Probe.Prefix(_probes.Count));
        var probe = new Probe(_probes.Count, frameOfKeys, on, key);
        _probes.Add(probe);
        return probe;
    }

    /// <summary>Runs the passes that have something to compute; the full one also when <paramref name="knownRows"/> is null.</summary>
    public async Task<PassResults> RunAsync(long? knownRows, CancellationToken ct)
    {
        var probed = new Dictionary<Probe, (long Rows, long Distinct)>();
        Row? full = null;
        if (!(Full.OnlyRows && knownRows is not null))
        {
            var metrics = _probes.Select(p =>
            {
                Full.AddLookup(p.Keys.WithColumn(p.Marker, Lit(true)), p.On);
                var found = Col(p.Marker).IsNotNull();
                return (p, Full.AddCountIf(found), Full.Add(CountDistinct(When(found, p.Key))));
            }).ToList();
            full = await Full.RunAsync(frame, ct).ConfigureAwait(false);
            foreach (var (p, rows, distinct) in metrics)
            {
                probed[p] = (CheckValues.Long(full[rows]), CheckValues.Long(full[distinct]));
            }
        }
        else
        {
            foreach (var p in _probes)
            {
                var row = (await frame.Join(p.Keys, p.On, "inner").Agg(Count(Lit(1)).Alias("__n"), CountDistinct(p.Key).Alias("__d"))
                    .CollectAsync(ct).ConfigureAwait(false))[0];
                probed[p] = (CheckValues.Long(row["__n"]), CheckValues.Long(row["__d"]));
            }
        }

        var after = new Dictionary<long, Row>();
        foreach (var (batch, (rows, pass)) in _after)
        {
            if (!pass.OnlyRows)
            {
                after[batch] = await pass.RunAsync(rows, ct).ConfigureAwait(false);
            }
        }

        return new PassResults(full, after, full is null ? knownRows!.Value : CheckValues.Long(full[AggregatePass.Rows]), probed);
    }

    /// <summary>A key probe added by <see cref="AddProbe"/>.</summary>
    internal sealed record Probe(int Index, DataFrame Keys, Column On, Column Key)
    {
        /// <summary>The prefix of a probe's key column names.</summary>
        public static string Prefix(int index) => $"__probe{index}_";

        /// <summary>A column the lookup adds to tell a matched row (true) from an unmatched one (null).</summary>
        public string Marker => Prefix(Index) + "found";
    }
}

/// <summary>What the passes computed: the full pass's row (null when it did not run), the rows of the passes over new
/// rows by the batch they start after, the checked table's row count, and each probe's matching rows and distinct keys.</summary>
internal sealed record PassResults(Row? Full, IReadOnlyDictionary<long, Row> After, long Rows, IReadOnlyDictionary<CheckPasses.Probe, (long Rows, long Distinct)> Probed);
