using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// <c>gold.daily_revenue</c>: one row per order date (the UTC date of <c>order_ts</c>) that has revenue orders, with
/// order_date, revenue, orders and customers (distinct).
/// </summary>
internal sealed class DailyRevenueModel : GoldModel
{
    public override string Name => "daily_revenue";

    public override IReadOnlyList<string> Inputs { get; } = ["silver.orders"];

    internal override string UpdateKey => "order_date";

    private static Column OrderDate => ToDate(Col("order_ts"));

    internal override DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table) =>
        RevenueOrders(table)
            .Select(OrderDate.Alias("order_date"), Col("amount"), Col("customer_id"))
            .GroupBy("order_date")
            .Agg(
                Money(Sum(Col("amount"))).Alias("revenue"),
                Count(Lit(1)).Alias("orders"),
                CountDistinct(Col("customer_id")).Alias("customers"));

    /// <summary>
    /// Each day's row moves by the change of its orders (<see cref="OrderDeltas"/>) and is removed when no revenue order
    /// is left. A null <c>order_ts</c> or <c>amount</c> anywhere in the current orders (a day keyed null, a revenue that is
    /// null only when every amount of the day is) or a null day in the table sends it to a rebuild.
    /// </summary>
    internal override async Task<GoldChanges> ChangesAsync(GoldUpdate update, CancellationToken ct)
    {
        var (changes, why) = await OrderChanges.ReadAsync(update, ["order_ts", "quantity", "amount", "status"], null, ct).ConfigureAwait(false);
        if (changes is null)
        {
            return GoldChanges.Whole(why!);
        }

        if (await changes.NullsAsync(["order_ts", "amount"], ct).ConfigureAwait(false) is > 0 and var nulls)
        {
            return GoldChanges.Whole($"the current orders have {nulls} nulls in order_ts or amount");
        }

        var old = update.Gold.Select(Col("order_date"), Col("revenue").Alias("o_revenue"), Col("orders").Alias("o_orders"), Col("customers").Alias("o_customers"));
        var oldOrders = Coalesce(Col("o_orders"), Lit(0L));
        var orders = oldOrders + Col(OrderDeltas.Orders);
        var customers = Coalesce(Col("o_customers"), Lit(0L)) + Coalesce(Col(OrderDeltas.Customers), Lit(0L));
        var deltas = await OrderDeltas.PerGroupAsync(changes, OrderDate, "order_date", ["order_ts"], old.Select(Col("order_date"), Col("o_orders")), ct)
            .ConfigureAwait(false);
        var rows = await update.PersistAsync(deltas
            .Join(old, "order_date", "left")
            .Select(
                Col("order_date"),
                Money(Coalesce(Col("o_revenue"), Lit(0m)) + Coalesce(Col(OrderDeltas.Amount), Lit(0m))).Alias("revenue"),
                orders.Alias("orders"),
                customers.Alias("customers"),
                (orders == 0L).Alias(GoldChanges.DeleteColumn),
                (Coalesce(Col(OrderDeltas.Inconsistent), Lit(0L)) > 0L | orders < 0L | customers < 0L | ((orders == 0L) & (customers != 0L))
                    | (Col("o_orders").IsNotNull() & Col("o_revenue").IsNull())).Alias("__bad")), ct).ConfigureAwait(false);

        var check = (await rows.Agg(Sum(When(Col("__bad"), 1L).Otherwise(0L)).Alias("bad"))
            .CrossJoin(update.Gold.Agg(Sum(When(Col("order_date").IsNull(), 1L).Otherwise(0L)).Alias("null_days")))
            .CollectAsync(ct).ConfigureAwait(false))[0];
        if (check.Get<long?>("null_days") is > 0)
        {
            return GoldChanges.Whole("the table has a row without a date");
        }

        return check.Get<long?>("bad") is > 0
            ? GoldChanges.Whole("the maintained counts of a day do not add up (the change is not what the versions hold)")
            : GoldChanges.Of(rows.Drop("__bad"));
    }
}
