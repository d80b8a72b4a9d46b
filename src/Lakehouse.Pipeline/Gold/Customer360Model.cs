using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// <c>gold.customer_360</c>: one row per silver customer (customers without orders too) with customer_id, name, email,
/// segment, region, country, orders, lifetime_value, avg_order_value, first_order_date, last_order_date and
/// tenure_days, over revenue orders (not cancelled or returned). Orders of customers missing from silver.customers
/// appear in no row (the relationship check reports them).
/// </summary>
internal sealed class Customer360Model : GoldModel
{
    public override string Name => "customer_360";

    public override IReadOnlyList<string> Inputs { get; } = ["silver.orders", "silver.customers"];

    internal override string UpdateKey => "customer_id";

    internal override DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table)
    {
        var perCustomer = RevenueOrders(table)
            .Select(Col("customer_id"), Col("amount"), ToDate(Col("order_ts")).Alias("order_date"))
            .GroupBy("customer_id")
            .Agg(
                Count(Lit(1)).Alias("order_count"),
                Sum(Col("amount")).Alias("order_value"),
                // avg of a decimal is exact in decimal(p+4, s+4) on Spark and on the embedded engine; a division of the sum by
                // the count would be decimal(38,2) / decimal(20,0), wider than the embedded engine divides exactly.
                Avg(Col("amount")).Alias("mean_order_value"),
                Min(Col("order_date")).Alias("first_order"),
                Max(Col("order_date")).Alias("last_order"));

        var orders = Coalesce(Col("order_count"), Lit(0L));
        return table("silver.customers")
            .Select("customer_id", "name", "email", "segment", "region", "country", "signup_date")
            .Join(perCustomer, "customer_id", "left")
            .Select(
                Col("customer_id"),
                Col("name"),
                Col("email"),
                Col("segment"),
                Col("region"),
                Col("country"),
                orders.Alias("orders"),
                Money(Coalesce(Col("order_value"), Lit(0m))).Alias("lifetime_value"),
                // Half up to cents; null for a customer without orders (no row in the left join).
                Money(Round(Col("mean_order_value"), 2)).Alias("avg_order_value"),
                Col("first_order").Alias("first_order_date"),
                Col("last_order").Alias("last_order_date"),
                DateDiff(Today(now), Col("signup_date")).Alias("tenure_days"));
    }

    /// <summary>
    /// Recomputes the customers whose row may differ: those named by the changed orders at either version, and those of
    /// the change of silver.customers (its feed's rows or its batches; by the model's code, over every current order of those customers); a customer that
    /// is no longer in silver.customers is removed.
    /// </summary>
    internal override async Task<GoldChanges> ChangesAsync(GoldUpdate update, CancellationToken ct)
    {
        if (NotKeyedByAlone(update, "silver.customers", "customer_id") is { } notKeyed)
        {
            return GoldChanges.Whole(notKeyed);
        }

        DataFrame? changedCustomers = null;
        if (update.Changes.TryGetValue("silver.customers", out var change))
        {
            changedCustomers = (await change.ChangedRowsAsync(ct).ConfigureAwait(false)).Select("customer_id");
        }

        string[] orderColumns = ["amount", "order_ts", "status"];
        var (changes, why) = await OrderChanges.ReadAsync(update, orderColumns, changedCustomers, ct).ConfigureAwait(false);
        if (changes is null)
        {
            return GoldChanges.Whole(why!);
        }

        var customers = update.Current("silver.customers").Join(changes.Customers, "customer_id", "left_semi");
        var orders = changes.CurrentOf(changes.Customers, [OrderChanges.Customer], orderColumns);
        var rows = Build(update.Now, t => t == OrderChanges.Table ? orders : customers);
        // A customer no longer in silver.customers has no row: its key is removed.
        return GoldChanges.Of(changes.Customers.Join(rows, "customer_id", "left").WithColumn(GoldChanges.DeleteColumn, Col("orders").IsNull()));
    }
}
