using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Gold;
using Lakehouse.Pipeline.Tests.Reference;

namespace Lakehouse.Pipeline.Tests.Gold;

/// <summary>The gold models over silver tables holding the reference's silver rows of two demo batches give the
/// reference's gold rows: the models and the reference agree on the semantics, whatever silver does.</summary>
public sealed class GoldAgainstReferenceTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Build_ReferenceSilverOfTwoDemoBatches_EqualsReferenceGold()
    {
        using var landing = new TempDirectory("gold-reference");
        DemoData.Generate(landing.Path, new DemoOptions { Rows = 400, Batch = 1, Anchor = Anchor });
        DemoData.Generate(landing.Path, new DemoOptions { Rows = 400, Batch = 2, Anchor = Anchor });
        var silver = ReferenceSilver.Compute(landing.Path);
        var now = Anchor.AddHours(7);

        await using var db = await TestDatabase.CreateAsync();
        await db.WriteAsync("silver.orders", silver.Orders.Values,
            "order_id", "customer_id", "product_id", "quantity", "amount:decimal(12,2)", "status", "order_ts", "updated_at");
        await db.WriteAsync("silver.customers", silver.Customers.Values,
            "customer_id", "name", "email", "country", "region", "segment", "signup_date", "updated_at");
        await db.WriteAsync("silver.products", silver.Products.Values,
            "product_id", "name", "category", "price:decimal(10,2)", "updated_at");

        ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(silver, now), await Build(db, "customer_360", now).CollectAsync());
        ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(silver), await Build(db, "product_performance", now).CollectAsync());
        ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(silver), await Build(db, "daily_revenue", now).CollectAsync());
    }

    private static Lakehouse.Spark.DataFrame Build(TestDatabase db, string model, DateTimeOffset now) =>
        GoldModels.Get(model).Build(db.Table, now);
}
