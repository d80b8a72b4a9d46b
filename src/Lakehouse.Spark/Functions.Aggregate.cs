namespace Lakehouse.Spark;

public static partial class Functions
{
    /// <summary>Number of non-null values (<c>Count(Col("*"))</c> counts rows).</summary>
    /// <param name="column">The column.</param>
    public static Column Count(Column column) => Call("count", column);

    /// <summary>Number of non-null values of a column by name; <c>"*"</c> counts rows.</summary>
    /// <param name="name">Column name or <c>*</c>.</param>
    public static Column Count(string name) => Count(Col(name));

    /// <summary>Number of distinct non-null combinations (<c>count(DISTINCT …)</c>).</summary>
    /// <param name="columns">The columns.</param>
    public static Column CountDistinct(params Column[] columns) => Call("count", true, columns);

    /// <summary>Sum.</summary>
    /// <param name="column">The column.</param>
    public static Column Sum(Column column) => Call("sum", column);

    /// <summary>Average.</summary>
    /// <param name="column">The column.</param>
    public static Column Avg(Column column) => Call("avg", column);

    /// <summary>Minimum.</summary>
    /// <param name="column">The column.</param>
    public static Column Min(Column column) => Call("min", column);

    /// <summary>Maximum.</summary>
    /// <param name="column">The column.</param>
    public static Column Max(Column column) => Call("max", column);

    /// <summary>First value of the group (order is not deterministic without a window order).</summary>
    /// <param name="column">The column.</param>
    /// <param name="ignoreNulls">Skip nulls.</param>
    public static Column First(Column column, bool ignoreNulls = false) => Call("first", column, Lit(ignoreNulls));

    /// <summary>Last value of the group.</summary>
    /// <param name="column">The column.</param>
    /// <param name="ignoreNulls">Skip nulls.</param>
    public static Column Last(Column column, bool ignoreNulls = false) => Call("last", column, Lit(ignoreNulls));

    /// <summary>The group's non-null values as an array.</summary>
    /// <param name="column">The column.</param>
    public static Column CollectList(Column column) => Call("collect_list", column);

    /// <summary>Approximate distinct count (HyperLogLog++).</summary>
    /// <param name="column">The column.</param>
    /// <param name="relativeSd">Maximum relative standard deviation; null for Spark's default (0.05).</param>
    public static Column ApproxCountDistinct(Column column, double? relativeSd = null) =>
        relativeSd is null ? Call("approx_count_distinct", column) : Call("approx_count_distinct", column, Lit(relativeSd.Value));
}
