namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>
/// The gold models computed with LINQ over <see cref="ReferenceSilver"/>, following docs/pipeline-quality-gold.md:
/// <list type="bullet">
/// <item>Revenue-bearing orders are the silver orders whose status is neither <c>cancelled</c> nor <c>returned</c>
///   (deleted orders are already gone from silver). Every order count and sum below is over those.</item>
/// <item>An order's date is the UTC date of <c>order_ts</c>.</item>
/// <item><c>customer_360</c>: one row per silver customer, customers without orders included (0 orders, lifetime
///   value 0, no average or dates); orders of unknown customers appear in no row. Average order value = lifetime
///   value / orders, rounded half up to cents. Tenure = days from <c>signup_date</c> to the UTC date of "now".</item>
/// <item><c>product_performance</c>: one row per silver product, with orders, units (sum of quantity), revenue and
///   distinct customers; products never ordered have zeros.</item>
/// <item><c>daily_revenue</c>: one row per order date that has orders: revenue, orders, distinct customers.</item>
/// </list>
/// </summary>
internal static class ReferenceGold
{
    public static IEnumerable<RefOrder> RevenueOrders(ReferenceSilver silver) =>
        silver.Orders.Values.Where(o => o.Status is not ("cancelled" or "returned"));

    public static DateOnly OrderDate(RefOrder order) => DateOnly.FromDateTime(order.OrderTs.UtcDateTime);

    public static List<RefCustomer360> Customer360(ReferenceSilver silver, DateTimeOffset now)
    {
        var byCustomer = RevenueOrders(silver).ToLookup(o => o.CustomerId, StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return [.. silver.Customers.Values.OrderBy(c => c.CustomerId, StringComparer.Ordinal).Select(c =>
        {
            var orders = byCustomer[c.CustomerId].ToList();
            var value = orders.Sum(o => o.Amount);
            return new RefCustomer360(
                c.CustomerId, c.Name, c.Email, c.Segment, c.Region, c.Country,
                orders.Count,
                value,
                orders.Count == 0 ? null : Math.Round(value / orders.Count, 2, MidpointRounding.AwayFromZero),
                orders.Count == 0 ? null : orders.Min(OrderDate),
                orders.Count == 0 ? null : orders.Max(OrderDate),
                c.SignupDate is { } signup ? today.DayNumber - signup.DayNumber : null);
        })];
    }

    public static List<RefProductPerformance> ProductPerformance(ReferenceSilver silver)
    {
        var byProduct = RevenueOrders(silver).Where(o => o.ProductId is not null).ToLookup(o => o.ProductId!, StringComparer.Ordinal);
        return [.. silver.Products.Values.OrderBy(p => p.ProductId, StringComparer.Ordinal).Select(p =>
        {
            var orders = byProduct[p.ProductId].ToList();
            return new RefProductPerformance(
                p.ProductId, p.Name, p.Category,
                orders.Count,
                orders.Sum(o => (long)o.Quantity),
                orders.Sum(o => o.Amount),
                orders.Select(o => o.CustomerId).Distinct(StringComparer.Ordinal).Count());
        })];
    }

    public static List<RefDailyRevenue> DailyRevenue(ReferenceSilver silver) =>
        [.. RevenueOrders(silver).GroupBy(OrderDate).OrderBy(g => g.Key).Select(g => new RefDailyRevenue(
            g.Key,
            g.Sum(o => o.Amount),
            g.Count(),
            g.Select(o => o.CustomerId).Distinct(StringComparer.Ordinal).Count()))];
}
