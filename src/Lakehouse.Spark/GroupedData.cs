using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>A DataFrame grouped by keys, waiting for aggregates (<see cref="Agg"/>).</summary>
public sealed class GroupedData
{
    private readonly DataFrame _input;
    private readonly Column[] _keys;

    internal GroupedData(DataFrame input, Column[] keys)
    {
        _input = input;
        _keys = keys;
    }

    /// <summary>One row per group: the keys, then the aggregates.</summary>
    /// <param name="aggregates">Aggregate expressions, e.g. <c>Sum(Col("amount")).Alias("total")</c>.</param>
    public DataFrame Agg(params Column[] aggregates)
    {
        var aggregate = new Aggregate { Input = _input.Relation, GroupType = Aggregate.Types.GroupType.Groupby };
        aggregate.GroupingExpressions.AddRange(_keys.Select(k => k.Expression));
        aggregate.AggregateExpressions.AddRange(aggregates.Select(a => a.Expression));
        return _input.Next(new Relation { Aggregate = aggregate });
    }

    /// <summary>Rows per group, in a column named <c>count</c>.</summary>
    public DataFrame Count() => Agg(Functions.Call("count", Functions.Lit(1)).Alias("count"));

    /// <summary>Sum of each named column per group.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Sum(params string[] columns) => Agg([.. columns.Select(c => Functions.Sum(Functions.Col(c)))]);

    /// <summary>Average of each named column per group.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Avg(params string[] columns) => Agg([.. columns.Select(c => Functions.Avg(Functions.Col(c)))]);

    /// <summary>Minimum of each named column per group.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Min(params string[] columns) => Agg([.. columns.Select(c => Functions.Min(Functions.Col(c)))]);

    /// <summary>Maximum of each named column per group.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Max(params string[] columns) => Agg([.. columns.Select(c => Functions.Max(Functions.Col(c)))]);
}
