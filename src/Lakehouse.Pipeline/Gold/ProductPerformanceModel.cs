using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// <c>gold.product_performance</c>: one row per silver product (never-ordered ones with zeros) with product_id, name,
/// category, price, orders, units_sold (sum of quantity), revenue (sum of amount) and unique_customers, over revenue
/// orders.
/// </summary>
internal sealed class ProductPerformanceModel : GoldModel
{
    public override string Name => "product_performance";

    public override IReadOnlyList<string> Inputs { get; } = ["silver.orders", "silver.products"];

    internal override DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table)
    {
        var perProduct = RevenueOrders(table)
            .GroupBy("product_id")
            .Agg(
                Count(Lit(1)).Alias("order_count"),
                Sum(Col("quantity")).Alias("units"),
                Sum(Col("amount")).Alias("order_value"),
                CountDistinct(Col("customer_id")).Alias("customers"));

        return table("silver.products")
            .Select("product_id", "name", "category", "price")
            .Join(perProduct, "product_id", "left")
            .Select(
                Col("product_id"),
                Col("name"),
                Col("category"),
                Col("price"),
                Coalesce(Col("order_count"), Lit(0L)).Alias("orders"),
                Coalesce(Col("units"), Lit(0L)).Cast("bigint").Alias("units_sold"),
                Money(Coalesce(Col("order_value"), Lit(0m))).Alias("revenue"),
                Coalesce(Col("customers"), Lit(0L)).Alias("unique_customers"));
    }
}
