namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>A silver order as the reference computes it (cleaned and cast).</summary>
internal sealed record RefOrder(string OrderId, string CustomerId, string? ProductId, int Quantity, decimal Amount, string Status, DateTimeOffset OrderTs, DateTimeOffset UpdatedAt);

/// <summary>A silver customer as the reference computes it.</summary>
internal sealed record RefCustomer(string CustomerId, string? Name, string? Email, string? Country, string? Region, string? Segment, DateOnly? SignupDate, DateTimeOffset? UpdatedAt);

/// <summary>A silver product as the reference computes it.</summary>
internal sealed record RefProduct(string ProductId, string? Name, string? Category, decimal? Price, DateTimeOffset? UpdatedAt);

/// <summary>A row of <c>gold.customer_360</c>.</summary>
internal sealed record RefCustomer360(
    string CustomerId, string? Name, string? Email, string? Segment, string? Region, string? Country,
    long Orders, decimal LifetimeValue, decimal? AvgOrderValue, DateOnly? FirstOrderDate, DateOnly? LastOrderDate, int? TenureDays);

/// <summary>A row of <c>gold.product_performance</c>.</summary>
internal sealed record RefProductPerformance(string ProductId, string? Name, string? Category, long Orders, long UnitsSold, decimal Revenue, long UniqueCustomers);

/// <summary>A row of <c>gold.daily_revenue</c>.</summary>
internal sealed record RefDailyRevenue(DateOnly OrderDate, decimal Revenue, long Orders, long Customers);
