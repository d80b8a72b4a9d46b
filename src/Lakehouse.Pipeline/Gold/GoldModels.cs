namespace Lakehouse.Pipeline.Gold;

/// <summary>The built-in gold models, by the name a pipeline file's <c>gold:</c> list uses.</summary>
public static class GoldModels
{
    private static readonly IReadOnlyDictionary<string, IGoldModel> Models = new IGoldModel[]
    {
        new Customer360Model(),
        new ProductPerformanceModel(),
        new DailyRevenueModel(),
        new UserEngagementModel(),
        new TopPostsModel(),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>The names of the built-in models: customer_360, product_performance, daily_revenue, user_engagement, top_posts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Models.Keys];

    /// <summary>The model called <paramref name="name"/>.</summary>
    /// <param name="name">A model name from <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException">No built-in model has that name (the message lists the ones that exist).</exception>
    public static IGoldModel Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Models.TryGetValue(name, out var model)
            ? model
            : throw new ArgumentException($"There is no gold model '{name}'. The models are: {string.Join(", ", Names)}.", nameof(name));
    }
}
