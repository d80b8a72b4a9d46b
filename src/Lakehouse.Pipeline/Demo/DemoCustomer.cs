namespace Lakehouse.Pipeline.Demo;

/// <summary>One version of a customer as the landing file holds it (before any cleaning).</summary>
internal sealed record DemoCustomer(
    string CustomerId,
    string Name,
    string? Email,
    string Country,
    string Region,
    string Segment,
    DateOnly SignupDate,
    DateTimeOffset UpdatedAt);
