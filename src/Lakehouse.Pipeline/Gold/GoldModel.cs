using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>The base of the built-in models: <see cref="Build(DateTimeOffset, Func{string, DataFrame})"/> takes the
/// table reader, so tests can point a model at tables of their own.</summary>
internal abstract class GoldModel : IGoldModel
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<string> Inputs { get; }

    /// <summary>The column that identifies a row of the model's table when the gold job can update the table from the
    /// change of its inputs (<see cref="ChangesAsync"/>); null for a model that is always rebuilt whole.</summary>
    internal virtual string? UpdateKey => null;

    /// <summary>The rows that bring the table from the build of <paramref name="update"/>'s <c>From</c> to its
    /// <c>Build</c>, exactly as a rebuild at the new versions would have them, or why it must be rebuilt whole.</summary>
    internal virtual Task<GoldChanges> ChangesAsync(GoldUpdate update, CancellationToken ct) =>
        Task.FromResult(GoldChanges.Whole($"{Name} is always rebuilt whole"));

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
    internal static DataFrame RevenueOrders(Func<string, DataFrame> table) => table("silver.orders").Filter(IsRevenue);

    /// <summary>Whether an order counts as revenue (see <see cref="RevenueOrders"/>).</summary>
    internal static Column IsRevenue => !Coalesce(Col("status"), Lit("")).IsIn("cancelled", "returned");

    /// <summary>The UTC calendar date of <paramref name="now"/>, as a date literal.</summary>
    internal static Column Today(DateTimeOffset now) => Lit(DateOnly.FromDateTime(now.UtcDateTime));

    /// <summary>Money columns leave gold as decimal(18,2) on every engine (sums widen differently on Spark and DuckDB).</summary>
    internal static Column Money(Column column) => column.Cast("decimal(18,2)");

    /// <summary>Why an update cannot take <paramref name="table"/> as one row per <paramref name="key"/>: its source's
    /// business key is another; null when it is <paramref name="key"/> alone or the table is no source's.</summary>
    internal static string? NotKeyedByAlone(GoldUpdate update, string table, string key) =>
        update.Ctx.Config.SilverSource(table) is { } source && !source.BusinessKey.SequenceEqual([key])
            ? $"{table} is not keyed by {key} alone"
            : null;
}
