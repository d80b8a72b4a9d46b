using Lakehouse.Pipeline.Demo;

namespace Lakehouse.Pipeline.Tests.Reference;

public sealed class ReferenceTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_HandWrittenLanding_GivesHandComputedSilverAndGold()
    {
        using var dir = new TempDirectory("reference");
        Write(dir.Combine("customers", "customers-batch-0001-part-000.csv"),
            "customer_id,name,email,country,region,segment,signup_date,updated_at",
            "C1,Ann,\"  Ann@X.COM \",US,NA,Consumer,2026-01-01,2026-01-01 00:00:00",
            "C2,Bob,\"   \",DE,EMEA,corporate,2026-02-01,2026-02-01 00:00:00",
            "C3,Cy,cy@x.com,JP,APAC,consumer,2026-02-20,2026-02-20 00:00:00");
        Write(dir.Combine("products", "products-batch-0001-part-000.json"),
            """{"product_id":"P1","name":"Pen","category":"Office","price":2.50,"updated_at":"2026-01-01 00:00:00"}""",
            """{"product_id":"P2","name":"Ink","category":"office","price":10.00,"updated_at":"2026-01-01 00:00:00"}""");
        Write(dir.Combine("orders", "orders-batch-0001-part-000.json"),
            Order("O1", "C1", "P1", "4", "10.00", "placed", "2026-02-10 10:00:00", "2026-02-10 10:00:00"),
            Order("O2", "C1", "P2", "1", "10.00", " SHIPPED ", "2026-02-11 23:30:00", "2026-02-11 23:30:00"),
            Order("O3", "C2", "P1", "2", "5.00", "placed", "2026-02-10 09:00:00", "2026-02-10 09:00:00"),
            Order("O4", "C2", "P2", "1", "10.00", "placed", "2026-02-12 08:00:00", "2026-02-12 08:00:00"),
            Order("O5", null, "P2", "1", "10.00", "placed", "2026-02-12 08:00:00", "2026-02-12 08:00:00"),
            Order("O6", "C3", "P2", "\"abc\"", "10.00", "placed", "2026-02-12 08:00:00", "2026-02-12 08:00:00"),
            Order("O7", "C3", "P2", "1", "-3.00", "placed", "2026-02-12 08:00:00", "2026-02-12 08:00:00"),
            """{"order_id":"O8","customer_id":"C3",""");
        Write(dir.Combine("orders", "orders-batch-0002-part-000.json"),
            // O1 cancelled (newer), then a late version of O1 that must lose; O3 deleted; O4 a new status;
            // O9 new for C3 without a status; X1 of an unknown customer; O10 with an order_ts that does not cast.
            Order("O1", "C1", "P1", "4", "10.00", "cancelled", "2026-02-10 10:00:00", "2026-02-15 00:00:00"),
            Order("O1", "C1", "P1", "4", "99.00", "placed", "2026-02-10 10:00:00", "2026-02-10 10:00:01"),
            Order("O3", "C2", "P1", "2", "5.00", "placed", "2026-02-10 09:00:00", "2026-02-15 00:00:00", deleted: true),
            Order("O4", "C2", "P2", "1", "10.00", "delivered", "2026-02-12 08:00:00", "2026-02-15 00:00:00"),
            Order("O9", "C3", "P1", "3", "7.50", null, "2026-02-11 01:00:00", "2026-02-15 00:00:00"),
            Order("X1", "C9", "P1", "1", "2.50", "placed", "2026-02-11 01:00:00", "2026-02-15 00:00:00"),
            Order("O10", "C3", "P1", "1", "2.50", "placed", "soon", "2026-02-15 00:00:00"));

        var silver = ReferenceSilver.Compute(dir.Path);

        Assert.Equal(15, silver.OrderRecords);
        Assert.Equal(5, silver.QuarantinedOrders); // O5 (no customer), O6 (quantity "abc"), O7 (negative), the truncated line, O10 (order_ts "soon")
        Assert.Equal(["O1", "O2", "O4", "O9", "X1"], silver.Orders.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("cancelled", silver.Orders["O1"].Status);
        Assert.Equal(10.00m, silver.Orders["O1"].Amount);
        Assert.Equal("shipped", silver.Orders["O2"].Status);
        Assert.Equal("unknown", silver.Orders["O9"].Status);
        Assert.Equal("ann@x.com", silver.Customers["C1"].Email);
        Assert.Null(silver.Customers["C2"].Email); // blank text trims to null
        Assert.Equal("consumer", silver.Customers["C1"].Segment);
        Assert.Equal("office", silver.Products["P1"].Category);

        // Revenue orders: O2 (C1, P2, 10.00, 02-11), O4 (C2, P2, 10.00, 02-12), O9 (C3, P1, 7.50, 02-11), X1 (C9, P1, 2.50, 02-11).
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [
                new RefCustomer360("C1", "Ann", "ann@x.com", "consumer", "NA", "US", 1, 10.00m, 10.00m, new(2026, 2, 11), new(2026, 2, 11), 59),
                new RefCustomer360("C2", "Bob", null, "corporate", "EMEA", "DE", 1, 10.00m, 10.00m, new(2026, 2, 12), new(2026, 2, 12), 28),
                new RefCustomer360("C3", "Cy", "cy@x.com", "consumer", "APAC", "JP", 1, 7.50m, 7.50m, new(2026, 2, 11), new(2026, 2, 11), 9),
            ],
            ReferenceGold.Customer360(silver, now));
        Assert.Equal(
            [
                new RefProductPerformance("P1", "Pen", "office", 2, 4, 10.00m, 2),
                new RefProductPerformance("P2", "Ink", "office", 2, 2, 20.00m, 2),
            ],
            ReferenceGold.ProductPerformance(silver));
        Assert.Equal(
            [
                new RefDailyRevenue(new(2026, 2, 11), 20.00m, 3, 3),
                new RefDailyRevenue(new(2026, 2, 12), 10.00m, 1, 1),
            ],
            ReferenceGold.DailyRevenue(silver));
    }

    [Fact]
    public void Compute_DemoBatches_MatchTheGeneratorsCounts()
    {
        using var dir = new TempDirectory("reference");
        var first = DemoData.Generate(dir.Path, new DemoOptions { Rows = 600, Batch = 1, Anchor = Anchor });
        var afterFirst = ReferenceSilver.Compute(dir.Path);
        var invalid = first.NullCustomerOrders + first.NegativeAmountOrders + first.TruncatedOrderLines + first.WrongTypeOrderLines;
        Assert.Equal(invalid, afterFirst.QuarantinedOrders);
        Assert.Equal(first.NewOrders - invalid, afterFirst.Orders.Count);
        Assert.Equal(first.NewCustomers, afterFirst.Customers.Count);
        Assert.Equal(first.NewProducts, afterFirst.Products.Count);

        var second = DemoData.Generate(dir.Path, new DemoOptions { Rows = 600, Batch = 2, Anchor = Anchor });
        var afterSecond = ReferenceSilver.Compute(dir.Path);
        Assert.Equal(afterFirst.Orders.Count + second.NewOrders - second.DeletedOrders, afterSecond.Orders.Count);
        Assert.Equal(first.NewCustomers + second.NewCustomers, afterSecond.Customers.Count);
        var changed = afterSecond.Orders.Values.Count(o => afterFirst.Orders.TryGetValue(o.OrderId, out var before) && before != o);
        Assert.Equal(second.UpdatedOrders, changed);
        // Late versions lose: every surviving order's version is its newest one.
        Assert.All(afterSecond.Orders.Values, o => Assert.True(o.UpdatedAt >= (afterFirst.Orders.GetValueOrDefault(o.OrderId)?.UpdatedAt ?? DateTimeOffset.MinValue)));
    }

    private static string Order(string id, string? customer, string product, string quantity, string amount, string? status, string orderTs, string updatedAt, bool deleted = false) =>
        $$"""{"order_id":"{{id}}","customer_id":{{Json(customer)}},"product_id":"{{product}}","quantity":{{quantity}},"amount":{{amount}},"status":{{Json(status)}},"order_ts":"{{orderTs}}","updated_at":"{{updatedAt}}","is_deleted":{{(deleted ? "true" : "false")}}}""";

    private static string Json(string? value) => value is null ? "null" : $"\"{value}\"";

    private static void Write(string path, params string[] lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }
}
