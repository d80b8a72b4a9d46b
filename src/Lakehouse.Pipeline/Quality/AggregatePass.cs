using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The one aggregate query every check of a table shares: each check adds the conditional sums, distinct counts or
/// maxima it needs, and a single <c>Agg</c> computes them all in one scan (Deequ's "all metrics in one pass").
/// </summary>
internal sealed class AggregatePass
{
    public const string Rows = "__rows";

    private readonly List<Column> _columns = [Count(Lit(1)).Alias(Rows)];

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

    public async Task<Row> RunAsync(DataFrame table, CancellationToken ct)
    {
        var rows = await table.Agg([.. _columns]).CollectAsync(ct).ConfigureAwait(false);
        return rows[0];
    }
}
