using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// Per group of revenue orders (a product, a day), how its count, quantity and amount sums and distinct customers
/// change with an <see cref="OrderChanges"/>: sums move by the new rows minus the old ones (the revenue filter applied
/// to both images, so an order that becomes cancelled only leaves). Distinct customers move through the (group, customer)
/// pairs the change touches: n_new is the pair's current revenue orders (counted over every current order of the
/// change's customers), n_old = n_new − the pair's net change, and the group gains [n_new &gt; 0] − [n_old &gt; 0].
/// </summary>
internal static class OrderDeltas
{
    public const string Orders = "__d_orders";
    public const string Units = "__d_units";
    public const string Amount = "__d_amount";
    public const string Customers = "__d_customers";

    /// <summary>Pairs whose old count came out negative: the change is not what the two versions hold.</summary>
    public const string Inconsistent = "__d_inconsistent";

    private const string Customer = OrderChanges.Customer;

    /// <summary>One row per group with a changed revenue order: <paramref name="name"/> (the value of
    /// <paramref name="group"/>) and the changes <see cref="Orders"/>, <see cref="Units"/>, <see cref="Amount"/> (null
    /// when every amount involved is null), <see cref="Customers"/> and <see cref="Inconsistent"/>. Rows whose group is
    /// null are left out: no gold row has a null key.</summary>
    public static DataFrame PerGroup(OrderChanges changes, Column group, string name)
    {
        var old = changes.Old.Filter(GoldModel.IsRevenue)
            .Select(group.Alias(name), Col(Customer), (-Col("quantity")).Alias("q"), (-Col("amount")).Alias("a"), Lit(-1L).Alias("s"));
        var @new = changes.New.Filter(GoldModel.IsRevenue)
            .Select(group.Alias(name), Col(Customer), Col("quantity").Alias("q"), Col("amount").Alias("a"), Lit(1L).Alias("s"));
        var rows = old.UnionByName(@new).Filter(Col(name).IsNotNull());
        var sums = rows.GroupBy(name).Agg(Sum(Col("s")).Alias(Orders), Sum(Col("q")).Alias(Units), Sum(Col("a")).Alias(Amount));

        var net = rows.Filter(Col(Customer).IsNotNull()).GroupBy(name, Customer).Agg(Sum(Col("s")).Alias("net"));
        var now = changes.OfCustomers.Filter(GoldModel.IsRevenue).Select(group.Alias(name), Col(Customer))
            .Filter(Col(name).IsNotNull()).GroupBy(name, Customer).Agg(Count(Lit(1)).Alias("n_new"));
        var nNew = Coalesce(Col("n_new"), Lit(0L));
        var nOld = nNew - Col("net");
        var perPair = net.Join(now, [name, Customer], "left")
            .Select(
                Col(name),
                (When(nNew > 0L, 1L).Otherwise(0L) - When(nOld > 0L, 1L).Otherwise(0L)).Alias("d"),
                When(nOld < 0L, 1L).Otherwise(0L).Alias("bad"))
            .GroupBy(name)
            .Agg(Sum(Col("d")).Alias(Customers), Sum(Col("bad")).Alias(Inconsistent));
        return sums.Join(perPair, name, "left");
    }
}
