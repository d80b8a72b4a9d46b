using System.Globalization;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>
/// Compares the rows of a gold table (collected through the Spark API) with the reference's rows: same keys, same
/// values. Sums and counts must be exact; the average order value may differ by one cent, because an engine may
/// divide in floating point (the embedded engine's <c>/</c> is a double division) before rounding to cents.
/// </summary>
internal static class ReferenceAssert
{
    public static void Customer360Equal(IReadOnlyList<RefCustomer360> expected, IReadOnlyList<Row> actual)
    {
        var rows = actual.ToDictionary(r => r.Get<string>("customer_id")!, StringComparer.Ordinal);
        Assert.Equal(expected.Select(e => e.CustomerId).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var e in expected)
        {
            var r = rows[e.CustomerId];
            var because = $"customer_360 of {e.CustomerId}";
            Same(e.Name, r["name"], because);
            Same(e.Email, r["email"], because);
            Same(e.Segment, r["segment"], because);
            Same(e.Region, r["region"], because);
            Same(e.Country, r["country"], because);
            Same(e.Orders, Long(r["orders"]), because);
            Same(e.LifetimeValue, Dec(r["lifetime_value"]), because);
            Near(e.AvgOrderValue, Dec(r["avg_order_value"]), because);
            Same(e.FirstOrderDate, Date(r["first_order_date"]), because);
            Same(e.LastOrderDate, Date(r["last_order_date"]), because);
            Same((long?)e.TenureDays, Long(r["tenure_days"]), because);
        }
    }

    public static void ProductPerformanceEqual(IReadOnlyList<RefProductPerformance> expected, IReadOnlyList<Row> actual)
    {
        var rows = actual.ToDictionary(r => r.Get<string>("product_id")!, StringComparer.Ordinal);
        Assert.Equal(expected.Select(e => e.ProductId).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var e in expected)
        {
            var r = rows[e.ProductId];
            var because = $"product_performance of {e.ProductId}";
            Same(e.Name, r["name"], because);
            Same(e.Category, r["category"], because);
            Same(e.Orders, Long(r["orders"]), because);
            Same(e.UnitsSold, Long(r["units_sold"]), because);
            Same(e.Revenue, Dec(r["revenue"]), because);
            Same(e.UniqueCustomers, Long(r["unique_customers"]), because);
        }
    }

    public static void DailyRevenueEqual(IReadOnlyList<RefDailyRevenue> expected, IReadOnlyList<Row> actual)
    {
        var rows = actual.ToDictionary(r => Date(r["order_date"])!.Value);
        Assert.Equal(expected.Select(e => e.OrderDate).Order(), rows.Keys.Order());
        foreach (var e in expected)
        {
            var r = rows[e.OrderDate];
            var because = $"daily_revenue of {e.OrderDate:yyyy-MM-dd}";
            Same(e.Revenue, Dec(r["revenue"]), because);
            Same(e.Orders, Long(r["orders"]), because);
            Same(e.Customers, Long(r["customers"]), because);
        }
    }

    public static void UserEngagementEqual(IReadOnlyList<RefUserEngagement> expected, IReadOnlyList<Row> actual)
    {
        var rows = actual.ToDictionary(r => Long(r["user_id"])!.Value);
        Assert.Equal(expected.Select(e => e.UserId).Order(), rows.Keys.Order());
        foreach (var e in expected)
        {
            var r = rows[e.UserId];
            var because = $"user_engagement of {e.UserId}";
            Same(e.Name, r["name"], because);
            Same(e.Username, r["username"], because);
            Same(e.Email, r["email"], because);
            Same(e.Posts, Long(r["posts"]), because);
            Same(e.CommentsReceived, Long(r["comments_received"]), because);
            Same(e.CommentsMade, Long(r["comments_made"]), because);
        }
    }

    public static void TopPostsEqual(IReadOnlyList<RefTopPost> expected, IReadOnlyList<Row> actual)
    {
        var rows = actual.OrderBy(r => Long(r["rank"])).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var because = $"top_posts rank {expected[i].Rank}";
            Same(expected[i].Rank, Long(rows[i]["rank"]), because);
            Same(expected[i].PostId, Long(rows[i]["post_id"]), because);
            Same(expected[i].UserId, Long(rows[i]["user_id"]), because);
            Same(expected[i].Title, rows[i]["title"], because);
            Same(expected[i].CommentCount, Long(rows[i]["comment_count"]), because);
        }
    }

    internal static long? Long(object? value) => value is null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    internal static decimal? Dec(object? value) => value is null ? null : Convert.ToDecimal(value, CultureInfo.InvariantCulture);

    internal static DateOnly? Date(object? value) => value switch
    {
        null => null,
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        DateTimeOffset o => DateOnly.FromDateTime(o.UtcDateTime),
        _ => throw new InvalidCastException($"{value.GetType().Name} is not a date."),
    };

    private static void Same<T>(T expected, T actual, string because)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Assert.Fail($"{because}: expected {expected?.ToString() ?? "null"}, got {actual?.ToString() ?? "null"}.");
        }
    }

    private static void Same(string? expected, object? actual, string because) => Same(expected, actual as string, because);

    private static void Near(decimal? expected, decimal? actual, string because)
    {
        if (expected is null || actual is null ? expected != actual : Math.Abs(expected.Value - actual.Value) > 0.01m)
        {
            Assert.Fail($"{because}: expected {expected?.ToString(CultureInfo.InvariantCulture) ?? "null"}, got {actual?.ToString(CultureInfo.InvariantCulture) ?? "null"} (± 0.01).");
        }
    }
}
