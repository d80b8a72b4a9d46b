namespace Lakehouse.Pipeline.Demo;

/// <summary>One version of a product as the landing file holds it.</summary>
internal sealed record DemoProduct(string ProductId, string Name, string Category, decimal Price, DateTimeOffset UpdatedAt);
