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

    internal override DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table) =>
        RevenueOrders(table)
            .Select(ToDate(Col("order_ts")).Alias("order_date"), Col("amount"), Col("customer_id"))
            .GroupBy("order_date")
            .Agg(
                Money(Sum(Col("amount"))).Alias("revenue"),
                Count(Lit(1)).Alias("orders"),
                CountDistinct(Col("customer_id")).Alias("customers"));
}
