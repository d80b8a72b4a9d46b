using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// Per group of revenue orders (a product, a day), how its count, quantity and amount sums and distinct customers
/// change with an <see cref="OrderChanges"/>. Sums move by the net images (<see cref="OrderChanges.Net"/>: the revenue
/// filter applied to both images, so an order that becomes cancelled only leaves). Distinct customers move through the
/// (group, customer) pairs with a net image: with add orders of the pair only in the new version and rem only in the
/// old, the pair's count goes from n_old to n_new = n_old + add − rem and the group gains [n_new &gt; 0] − [n_old &gt; 0].
/// That is 0 without reading anything when add and rem are both positive (the pair has orders in both versions), and 1
/// when the group had no revenue order before (from the gold table); only the other pairs read their current count
/// n_new, for those pairs alone.
/// </summary>
internal static class OrderDeltas
{
    public const string Orders = "__d_orders";
    public const string Units = "__d_units";
    public const string Amount = "__d_amount";
    public const string Customers = "__d_customers";

    /// <summary>Pairs whose counts came out impossible (n_old &lt; 0, or n_new below the orders the change added): the
    /// change is not what the two versions hold.</summary>
    public const string Inconsistent = "__d_inconsistent";

    private const string Customer = OrderChanges.Customer;
    private const string N = OrderChanges.Multiplicity;

    /// <summary>
    /// One row per group with a changed revenue order: <paramref name="name"/> (the value of <paramref name="group"/>,
    /// computed from the order columns <paramref name="groupColumns"/>) and the changes <see cref="Orders"/>,
    /// <see cref="Units"/>, <see cref="Amount"/> (null when every amount involved is null), <see cref="Customers"/> and
    /// <see cref="Inconsistent"/>. Rows whose group is null are left out: no gold row has a null key.
    /// <paramref name="oldOrders"/> holds the table's groups before the change (<paramref name="name"/>,
    /// <c>o_orders</c>); a group it lacks had no revenue order.
    /// </summary>
    public static async Task<DataFrame> PerGroupAsync(
        OrderChanges changes, Column group, string name, IReadOnlyList<string> groupColumns, DataFrame oldOrders, CancellationToken ct)
    {
        var net = await changes.Update.PersistAsync(
            changes.Net((name, group), (Customer, Col(Customer)), ("q", Col("quantity")), ("a", Col("amount"))).Filter(Col(name).IsNotNull()), ct)
            .ConfigureAwait(false);
        var sums = net.GroupBy(name).Agg(
            Sum(Col(N)).Alias(Orders), Sum(Col(N) * Col("q")).Alias(Units), Sum(Col(N) * Col("a")).Alias(Amount));

        var add = Col("add");
        var rem = Col("rem");
        var pairs = await changes.Update.PersistAsync(net.Filter(Col(Customer).IsNotNull())
            .GroupBy(name, Customer)
            .Agg(Sum(When(Col(N) > 0L, Col(N)).Otherwise(0L)).Alias("add"), Sum(When(Col(N) < 0L, -Col(N)).Otherwise(0L)).Alias("rem"))
            .Join(oldOrders.Select(Col(name), Col("o_orders")), name, "left")
            .WithColumn("__look", ((add == 0L) | (rem == 0L)) & !((rem == 0L) & (Coalesce(Col("o_orders"), Lit(0L)) == 0L))), ct)
            .ConfigureAwait(false);

        // The one read of the current orders, left out when no pair needs it (new orders of a new day).
        var look = pairs.Filter(Col("__look"));
        var counts = await look.CountAsync(ct).ConfigureAwait(false) == 0
            ? look.Select(Col(name), Col(Customer), Lit(0L).Alias("n_new"))
            // By customer first: the group (a day of a timestamp, in the session's zone) is computed for their orders only.
            : changes.CurrentOf(look, [Customer], [.. groupColumns, "status"])
                .Filter(GoldModel.IsRevenue)
                .WithColumn(name, group)
                .Join(look.Select(name, Customer), [name, Customer], "left_semi")
                .GroupBy(name, Customer)
                .Agg(Count(Lit(1)).Alias("n_new"));

        var nNew = Coalesce(Col("n_new"), Lit(0L));
        var nOld = nNew - add + rem;
        var looked = When(nNew > 0L, 1L).Otherwise(0L) - When(nOld > 0L, 1L).Otherwise(0L);
        var perPair = pairs.Join(counts, [name, Customer], "left")
            .Select(
                Col(name),
                // Not looked up: orders in both versions (no change), or the first orders of a group that had none.
                When(Col("__look"), looked).When(rem == 0L, 1L).Otherwise(0L).Alias("d"),
                When(Col("__look") & ((nOld < 0L) | (nNew < add)), 1L).Otherwise(0L).Alias("bad"))
            .GroupBy(name)
            .Agg(Sum(Col("d")).Alias(Customers), Sum(Col("bad")).Alias(Inconsistent));
        return sums.Join(perPair, name, "left");
    }
}
