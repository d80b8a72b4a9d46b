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

    internal override string UpdateKey => "product_id";

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

    /// <summary>
    /// The product columns are read from silver.products now (one row per product, a small table); orders, units,
    /// revenue and unique customers move by the change of the orders (<see cref="OrderDeltas"/>). A product the table
    /// has no row for sends it to a rebuild: its earlier orders are in no maintained sum.
    /// </summary>
    internal override async Task<GoldChanges> ChangesAsync(GoldUpdate update, CancellationToken ct)
    {
        if (NotKeyedByAlone(update, "silver.products", "product_id") is { } notKeyed)
        {
            return GoldChanges.Whole(notKeyed);
        }

        DataFrame? deltas = null;
        if (update.Changes.ContainsKey(OrderChanges.Table))
        {
            var (changes, why) = await OrderChanges.ReadAsync(update, ["product_id", "quantity", "amount", "status"], null, ct).ConfigureAwait(false);
            if (changes is null)
            {
                return GoldChanges.Whole(why!);
            }

            deltas = await OrderDeltas.PerGroupAsync(
                changes, Col("product_id"), "product_id", ["product_id"], update.Gold.Select(Col("product_id"), Col("orders").Alias("o_orders")), ct).ConfigureAwait(false);
        }

        var old = update.Gold.Select(
            Col("product_id"), Col("name").Alias("o_name"), Col("category").Alias("o_category"), Col("price").Alias("o_price"),
            Col("orders").Alias("o_orders"), Col("units_sold").Alias("o_units"), Col("revenue").Alias("o_revenue"),
            Col("unique_customers").Alias("o_customers"));
        var current = update.Current("silver.products").Select("product_id", "name", "category", "price");
        var joined = current.Join(old, "product_id", "left");
        joined = deltas is null
            ? joined.WithColumns(new Dictionary<string, Column>
            {
                [OrderDeltas.Orders] = Lit(0L), [OrderDeltas.Units] = Lit(0L), [OrderDeltas.Amount] = Lit(0m),
                [OrderDeltas.Customers] = Lit(0L), [OrderDeltas.Inconsistent] = Lit(0L),
            })
            : joined.Join(deltas, "product_id", "left");
        var orders = Coalesce(Col("o_orders"), Lit(0L)) + Coalesce(Col(OrderDeltas.Orders), Lit(0L));
        var units = Coalesce(Col("o_units"), Lit(0L)) + Coalesce(Col(OrderDeltas.Units), Lit(0L));
        var customers = Coalesce(Col("o_customers"), Lit(0L)) + Coalesce(Col(OrderDeltas.Customers), Lit(0L));
        var revenue = Money(Coalesce(Col("o_revenue"), Lit(0m)) + Coalesce(Col(OrderDeltas.Amount), Lit(0m)));
        var upserts = joined.Select(
            Col("product_id"),
            Col("name"),
            Col("category"),
            Col("price"),
            orders.Alias("orders"),
            units.Cast("bigint").Alias("units_sold"),
            revenue.Alias("revenue"),
            customers.Alias("unique_customers"),
            Lit(false).Alias(GoldChanges.DeleteColumn),
            Col("o_orders").IsNull().Alias("__new"),
            (Coalesce(Col(OrderDeltas.Inconsistent), Lit(0L)) > 0L | orders < 0L | customers < 0L | ((orders == 0L) & (customers != 0L))).Alias("__bad"),
            // Unchanged rows need not be merged.
            (Col("o_orders").IsNull() | !(Col("name").EqNullSafe(Col("o_name")) & Col("category").EqNullSafe(Col("o_category"))
                & Col("price").EqNullSafe(Col("o_price")) & orders.EqNullSafe(Col("o_orders")) & units.EqNullSafe(Col("o_units"))
                & customers.EqNullSafe(Col("o_customers"))
                & revenue.EqNullSafe(Col("o_revenue")))).Alias("__changed"));
        var removed = update.Gold.Join(current.Select("product_id"), "product_id", "left_anti")
            .Select(
                Col("product_id"), Col("name"), Col("category"), Col("price"), Col("orders"), Col("units_sold"), Col("revenue"), Col("unique_customers"),
                Lit(true).Alias(GoldChanges.DeleteColumn), Lit(false).Alias("__new"), Lit(false).Alias("__bad"), Lit(true).Alias("__changed"));
        var rows = await update.PersistAsync(upserts.UnionByName(removed).Filter(Col("__changed")), ct).ConfigureAwait(false);

        var check = (await rows.Agg(
                Sum(When(Col("__new"), 1L).Otherwise(0L)).Alias("new"),
                Sum(When(Col("__bad"), 1L).Otherwise(0L)).Alias("bad"))
            .CollectAsync(ct).ConfigureAwait(false))[0];
        if (check.Get<long?>("new") is > 0)
        {
            return GoldChanges.Whole($"{check.Get<long>("new")} products are new to silver.products and their orders are in no maintained sum");
        }

        return check.Get<long?>("bad") is > 0
            ? GoldChanges.Whole("the maintained counts of a product do not add up (the change is not what the versions hold)")
            : GoldChanges.Of(rows.Drop("__new", "__bad", "__changed"));
    }
}
