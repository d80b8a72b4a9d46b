using Lakehouse.Pipeline.Gold;
using Lakehouse.Spark;
using static Lakehouse.Pipeline.Tests.Reference.ReferenceAssert;

namespace Lakehouse.Pipeline.Tests.Gold;

public sealed class GoldModelsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Customer360_HandMadeSilver_GivesHandComputedRows()
    {
        await using var db = await TestDatabase.CreateAsync();
        await WriteCustomersAsync(db,
            new Customer("C1", "Ann", "ann@x.com", "consumer", "NA", "US", new(2026, 1, 1)),
            new Customer("C2", "Bob", null, "corporate", "EMEA", "DE", new(2026, 2, 15)));
        await WriteOrdersAsync(db,
            new Order("O1", "C1", "P1", 1, 10.00m, "placed", At(2026, 2, 10, 23)),
            new Order("O2", "C1", "P1", 2, 5.50m, "shipped", At(2026, 2, 12, 0)),
            new Order("O3", "C1", "P2", 1, 100.00m, "cancelled", At(2026, 2, 13, 0)),
            new Order("O4", "C1", "P2", 1, 7.00m, "returned", At(2026, 2, 14, 0)),
            new Order("O5", "CX", "P2", 1, 3.00m, "delivered", At(2026, 2, 14, 0)));

        var rows = await Build(db, "customer_360").CollectAsync();

        // C1: O1 + O2 count (O3 cancelled, O4 returned); 15.50 / 2 = 7.75; tenure 2026-01-01 → 2026-03-01 = 59 days.
        // C2: no orders; tenure 2026-02-15 → 2026-03-01 = 14 days. CX is not a customer, so O5 is in no row.
        var c1 = rows.Single(r => r.Get<string>("customer_id") == "C1");
        Assert.Equal(V(2L, 15.50m, 7.75m, new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 12), 59L), V(Long(c1["orders"]), Dec(c1["lifetime_value"]), Dec(c1["avg_order_value"]), Date(c1["first_order_date"]), Date(c1["last_order_date"]), Long(c1["tenure_days"])));
        Assert.Equal(V("Ann", "ann@x.com", "consumer", "NA", "US"), V(c1["name"], c1["email"], c1["segment"], c1["region"], c1["country"]));
        var c2 = rows.Single(r => r.Get<string>("customer_id") == "C2");
        Assert.Equal(V(0L, 0.00m, null, null, null, 14L), V(Long(c2["orders"]), Dec(c2["lifetime_value"]), Dec(c2["avg_order_value"]), Date(c2["first_order_date"]), Date(c2["last_order_date"]), Long(c2["tenure_days"])));
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task ProductPerformance_HandMadeSilver_GivesHandComputedRows()
    {
        await using var db = await TestDatabase.CreateAsync();
        await WriteProductsAsync(db, new Product("P1", "Pen", "office", 2.50m), new Product("P2", "Ink", "office", 10.00m), new Product("P3", "Cup", "home", 4.00m));
        await WriteOrdersAsync(db,
            new Order("O1", "C1", "P1", 4, 10.00m, "placed", At(2026, 2, 10, 0)),
            new Order("O2", "C2", "P1", 2, 5.00m, "delivered", At(2026, 2, 11, 0)),
            new Order("O3", "C1", "P1", 1, 2.50m, "shipped", At(2026, 2, 12, 0)),
            new Order("O4", "C3", "P2", 3, 30.00m, "cancelled", At(2026, 2, 12, 0)),
            new Order("O5", "C3", "P2", 1, 10.00m, "unknown", At(2026, 2, 12, 0)));

        var rows = (await Build(db, "product_performance").CollectAsync()).ToDictionary(r => r.Get<string>("product_id")!);

        // P1: 3 orders, 4 + 2 + 1 = 7 units, 17.50, customers C1, C2. P2: O4 cancelled, so only O5. P3: never ordered.
        Assert.Equal(V(3L, 7L, 17.50m, 2L), V(Long(rows["P1"]["orders"]), Long(rows["P1"]["units_sold"]), Dec(rows["P1"]["revenue"]), Long(rows["P1"]["unique_customers"])));
        Assert.Equal(V(1L, 1L, 10.00m, 1L), V(Long(rows["P2"]["orders"]), Long(rows["P2"]["units_sold"]), Dec(rows["P2"]["revenue"]), Long(rows["P2"]["unique_customers"])));
        Assert.Equal(V(0L, 0L, 0.00m, 0L), V(Long(rows["P3"]["orders"]), Long(rows["P3"]["units_sold"]), Dec(rows["P3"]["revenue"]), Long(rows["P3"]["unique_customers"])));
        Assert.Equal(V("Cup", "home"), V(rows["P3"]["name"], rows["P3"]["category"]));
    }

    [Fact]
    public async Task DailyRevenue_HandMadeSilver_GivesOneRowPerUtcOrderDate()
    {
        await using var db = await TestDatabase.CreateAsync();
        await WriteOrdersAsync(db,
            new Order("O1", "C1", "P1", 1, 10.00m, "placed", At(2026, 2, 10, 0)),
            new Order("O2", "C1", "P1", 1, 5.25m, "shipped", new DateTimeOffset(2026, 2, 10, 23, 59, 59, TimeSpan.Zero)),
            new Order("O3", "C2", "P1", 1, 1.00m, "placed", At(2026, 2, 10, 12)),
            new Order("O4", "C2", "P1", 1, 99.00m, "returned", At(2026, 2, 10, 12)),
            new Order("O5", "C3", "P1", 1, 4.00m, "delivered", At(2026, 2, 11, 0)));

        var rows = (await Build(db, "daily_revenue").CollectAsync()).ToDictionary(r => Date(r["order_date"])!.Value);

        // 02-10: 10.00 + 5.25 + 1.00 (O4 returned), 3 orders, customers C1 and C2. 02-11: O5 alone.
        Assert.Equal([new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 11)], rows.Keys.Order());
        Assert.Equal(V(16.25m, 3L, 2L), V(Dec(rows[new(2026, 2, 10)]["revenue"]), Long(rows[new(2026, 2, 10)]["orders"]), Long(rows[new(2026, 2, 10)]["customers"])));
        Assert.Equal(V(4.00m, 1L, 1L), V(Dec(rows[new(2026, 2, 11)]["revenue"]), Long(rows[new(2026, 2, 11)]["orders"]), Long(rows[new(2026, 2, 11)]["customers"])));
    }

    [Fact]
    public async Task UserEngagement_HandMadeSilver_CountsPostsAndCommentsBothWays()
    {
        await using var db = await TestDatabase.CreateAsync();
        await WriteApiAsync(db);

        var rows = (await Build(db, "user_engagement").CollectAsync()).ToDictionary(r => Long(r["user_id"])!.Value);

        // Posts 10, 11 by user 1, posts 12, 13 by user 2. Comments: on 10 ×2 (by Ann and Cy), on 11 ×1 (Bob), on 12 ×1 (Ann,
        // whose email differs in case and spaces). Ann = user 1, Bob = user 2, Cy = user 3 (no posts).
        Assert.Equal([2L, 3L, 2L], [Long(rows[1]["posts"]), Long(rows[1]["comments_received"]), Long(rows[1]["comments_made"])]);
        Assert.Equal([2L, 1L, 1L], [Long(rows[2]["posts"]), Long(rows[2]["comments_received"]), Long(rows[2]["comments_made"])]);
        Assert.Equal([0L, 0L, 1L], [Long(rows[3]["posts"]), Long(rows[3]["comments_received"]), Long(rows[3]["comments_made"])]);
        Assert.Equal(V("Ann", "ann", "Ann@x.com"), V(rows[1]["name"], rows[1]["username"], rows[1]["email"]));
    }

    [Fact]
    public async Task TopPosts_HandMadeSilver_RanksByCommentsThenPostId()
    {
        await using var db = await TestDatabase.CreateAsync();
        await WriteApiAsync(db);

        var rows = await Build(db, "top_posts").OrderBy("rank").CollectAsync();

        // Post 10 has 2 comments; 11 and 12 have 1 each (tie → lower id first); 13 has none.
        Assert.Equal([1L, 2L, 3L, 4L], rows.Select(r => Long(r["rank"])));
        Assert.Equal([10L, 11L, 12L, 13L], rows.Select(r => Long(r["post_id"])));
        Assert.Equal([2L, 1L, 1L, 0L], rows.Select(r => Long(r["comment_count"])));
        Assert.Equal([1L, 1L, 2L, 2L], rows.Select(r => Long(r["user_id"])));
        Assert.Equal("ten", rows[0]["title"]);
    }

    [Fact]
    public void Get_UnknownName_ListsTheModels()
    {
        var e = Assert.Throws<ArgumentException>(() => GoldModels.Get("revenue"));
        Assert.Contains("customer_360, product_performance, daily_revenue, user_engagement, top_posts", e.Message, StringComparison.Ordinal);
        Assert.All(GoldModels.Names, n => Assert.Equal(n, GoldModels.Get(n).Name));
    }

    private static DataFrame Build(TestDatabase db, string model) =>
        GoldModels.Get(model).Build(db.Table, Now);

    private static object?[] V(params object?[] values) => values;

    private static DateTimeOffset At(int y, int m, int d, int h) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    private static Task WriteOrdersAsync(TestDatabase db, params Order[] rows) => db.WriteAsync("silver.orders", rows,
        "order_id", "customer_id", "product_id", "quantity", "amount:decimal(12,2)", "status", "order_ts");

    private static Task WriteCustomersAsync(TestDatabase db, params Customer[] rows) => db.WriteAsync("silver.customers", rows,
        "customer_id", "name", "email", "segment", "region", "country", "signup_date");

    private static Task WriteProductsAsync(TestDatabase db, params Product[] rows) => db.WriteAsync("silver.products", rows,
        "product_id", "name", "category", "price:decimal(10,2)");

    private static async Task WriteApiAsync(TestDatabase db)
    {
        await db.WriteAsync("silver.users", [new User(1, "Ann", "ann", "Ann@x.com"), new User(2, "Bob", "bob", "bob@x.com"), new User(3, "Cy", "cy", "cy@x.com")],
            "id", "name", "username", "email");
        await db.WriteAsync("silver.posts", [new Post(10, 1, "ten"), new Post(11, 1, "eleven"), new Post(12, 2, "twelve"), new Post(13, 2, "thirteen")],
            "id", "userId", "title");
        await db.WriteAsync("silver.comments",
            [new Comment(100, 10, "ann@x.com"), new Comment(101, 10, "cy@x.com"), new Comment(102, 11, "bob@x.com"), new Comment(103, 12, " ANN@X.COM ")],
            "id", "postId", "email");
    }

    private sealed record Order(string OrderId, string CustomerId, string ProductId, int Quantity, decimal Amount, string Status, DateTimeOffset OrderTs);

    private sealed record Customer(string CustomerId, string Name, string? Email, string Segment, string Region, string Country, DateOnly SignupDate);

    private sealed record Product(string ProductId, string Name, string Category, decimal Price);

    private sealed record User(long Id, string Name, string Username, string Email);

    private sealed record Post(long Id, long UserId, string Title);

    private sealed record Comment(long Id, long PostId, string Email);
}
