using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>The base of the built-in models: <see cref="Build(DateTimeOffset, Func{string, DataFrame})"/> takes the
/// table reader, so tests can point a model at tables of their own.</summary>
internal abstract class GoldModel : IGoldModel
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<string> Inputs { get; }

    public DataFrame Build(SparkSession spark, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spark);
        return Build(now, spark.Table);
    }

    public DataFrame Build(Func<string, DataFrame> readTable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(readTable);
        return Build(now, readTable);
    }

    /// <summary>The plan, reading each input through <paramref name="table"/> (called with names such as <c>silver.orders</c>).</summary>
    internal abstract DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table);

    /// <summary>
    /// Orders that count as revenue: those in silver (deletes are gone already) whose status is neither cancelled nor
    /// returned. A null status counts (silver gives it the default <c>unknown</c> anyway).
    /// </summary>
    internal static DataFrame RevenueOrders(Func<string, DataFrame> table) =>
        table("silver.orders").Filter(!Coalesce(Col("status"), Lit("")).IsIn("cancelled", "returned"));

    /// <summary>The UTC calendar date of <paramref name="now"/>, as a date literal.</summary>
    internal static Column Today(DateTimeOffset now) => Lit(DateOnly.FromDateTime(now.UtcDateTime));

    /// <summary>Money columns leave gold as decimal(18,2) on every engine (sums widen differently on Spark and DuckDB).</summary>
    internal static Column Money(Column column) => column.Cast("decimal(18,2)");
}
