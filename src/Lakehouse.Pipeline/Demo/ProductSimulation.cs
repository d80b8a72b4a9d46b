using Bogus;
using Bogus.DataSets;

namespace Lakehouse.Pipeline.Demo;

/// <summary>The demo's products: base rows are a function of (seed, index); later batches change a few prices.</summary>
internal sealed class ProductSimulation
{
    private static readonly string[] Categories = ["electronics", "books", "home", "garden", "toys", "sports", "beauty", "grocery"];

    private readonly DemoPlan _plan;
    private readonly Commerce _commerce = new("en");
    private readonly Dictionary<int, decimal> _price = [];

    public ProductSimulation(DemoPlan plan) => _plan = plan;

    public static string Id(int index) => $"P-{index:D5}";

    public int DuplicateCount => Math.Max(1, _plan.Products / 50);

    /// <summary>The price orders use: the batch-1 price (later price changes do not reprice earlier orders).</summary>
    public static decimal BasePrice(int seed, int index)
    {
        var random = DemoRandom.For(seed, 30, index);
        return (500 + random.Next(49_500)) / 100m;
    }

    public DemoProduct Base(int index)
    {
        var random = DemoRandom.For(_plan.Seed, 31, index);
        _commerce.Random = new Randomizer(random.NextSeed());
        return new DemoProduct(
            Id(index),
            _commerce.ProductName(),
            Categories[random.Next(Categories.Length)],
            BasePrice(_plan.Seed, index),
            _plan.Anchor.AddDays(-120).AddSeconds(random.Next(86_400)));
    }

    /// <summary>Price changes of <paramref name="batch"/> (≥ 2), applied to the state.</summary>
    public List<DemoProduct> Advance(int batch)
    {
        var random = DemoRandom.For(_plan.Seed, 32, batch);
        var changed = new List<DemoProduct>();
        foreach (var index in AnomalyPlacement.Pick(_plan.Products, _plan.PriceUpdatesPerBatch, ref random, _ => true))
        {
            var current = Base(index) with { Price = _price.GetValueOrDefault(index, BasePrice(_plan.Seed, index)) };
            var factor = 0.8m + (random.Next(41) / 100m);
            var price = Math.Round(current.Price * factor, 2, MidpointRounding.AwayFromZero);
            _price[index] = price;
            changed.Add(current with { Price = price, UpdatedAt = _plan.ChangeTime(batch, ref random) });
        }

        return changed;
    }
}
