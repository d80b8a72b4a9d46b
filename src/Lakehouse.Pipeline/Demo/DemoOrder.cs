namespace Lakehouse.Pipeline.Demo;

/// <summary>One version of an order as the landing file holds it (before any cleaning).</summary>
internal sealed record DemoOrder(
    string OrderId,
    string? CustomerId,
    string ProductId,
    int Quantity,
    decimal Amount,
    string? Status,
    DateTimeOffset OrderTs,
    DateTimeOffset UpdatedAt,
    bool IsDeleted);
