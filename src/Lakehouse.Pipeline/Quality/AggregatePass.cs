using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The one aggregate query every check of a table shares: each check adds the conditional sums, distinct counts or
/// maxima it needs, and a single <c>Agg</c> computes them all in one scan (Deequ's "all metrics in one pass").
/// Relationship checks add a lookup: the table is left-joined to the other table's distinct keys before the
/// aggregate, so a row's reference is found in the same scan that counts everything else.
/// </summary>
internal sealed class AggregatePass
{
    public const string Rows = "__rows";

    private readonly List<Column> _columns = [Count(Lit(1)).Alias(Rows)];
    private readonly List<(DataFrame Keys, Column On)> _lookups = [];

    /// <summary>Adds an aggregate; returns the name to read its value by.</summary>
    public string Add(Column aggregate)
    {
        var name = "__m" + _columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _columns.Add(aggregate.Alias(name));
        return name;
    }

    /// <summary>True while no check has added an aggregate: the pass would only count rows.</summary>
    public bool OnlyRows => _columns.Count == 1;

    /// <summary>Rows where <paramref name="condition"/> holds (a null condition does not count).</summary>
    public string AddCountIf(Column condition) => Add(Sum(When(condition, 1L).Otherwise(0L)));

    /// <summary>A name for a lookup's key column that no other lookup of this pass uses.</summary>
    public string LookupKeyName() => "__ref" + _lookups.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Left-joins <paramref name="keys"/> on <paramref name="on"/> before the aggregate. The keys must be
    /// distinct under the join's equality (one column, <c>Distinct</c>, of the table column's own type), so that no row
    /// is counted twice; an unmatched row sees null in the key column.</summary>
    public void AddLookup(DataFrame keys, Column on) => _lookups.Add((keys, on));

    public async Task<Row> RunAsync(DataFrame table, CancellationToken ct)
    {
        var input = _lookups.Aggregate(table, (frame, lookup) => frame.Join(lookup.Keys, lookup.On, "left"));
        var rows = await input.Agg([.. _columns]).CollectAsync(ct).ConfigureAwait(false);
        return rows[0];
    }
}
