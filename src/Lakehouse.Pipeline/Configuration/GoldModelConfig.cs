namespace Lakehouse.Pipeline.Configuration;

/// <summary>A gold model: its name (the table <c>gold.&lt;name&gt;</c>) and the tables it reads.</summary>
/// <param name="Name">The model's name (letters, digits, underscores).</param>
/// <param name="Inputs">The tables it reads, e.g. <c>silver.orders</c>; their quality gates it.</param>
public sealed record GoldModelConfig(string Name, IReadOnlyList<string> Inputs)
{
    /// <summary>The gold table name, <c>gold.&lt;name&gt;</c>.</summary>
    public string Table => $"gold.{Name}";
}
