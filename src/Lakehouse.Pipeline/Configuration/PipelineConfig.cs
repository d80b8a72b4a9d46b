namespace Lakehouse.Pipeline.Configuration;

/// <summary>
/// A pipeline file (<c>lakehouse.yaml</c>) after loading: overrides applied, <c>${env:NAME}</c> placeholders
/// resolved, paths made absolute and every value validated. Load one with <see cref="PipelineConfigLoader"/>.
/// </summary>
public sealed record PipelineConfig
{
    /// <summary>The pipeline's name (letters, digits and underscores); the Airflow DAG id.</summary>
    public required string Name { get; init; }

    /// <summary>Where the tables live, absolute (a local directory or a storage URI): <c>&lt;warehouse&gt;/&lt;layer&gt;/&lt;name&gt;</c>.</summary>
    public required string Warehouse { get; init; }

    /// <summary>The landing zone root, absolute (a local directory or a storage URI).</summary>
    public required string Landing { get; init; }

    /// <summary>The cron schedule the DAG runs on; null when the file has none.</summary>
    public string? Schedule { get; init; }

    /// <summary>The sources, in file order; names are unique.</summary>
    public required IReadOnlyList<SourceConfig> Sources { get; init; }

    /// <summary>Table checks by table name (e.g. <c>silver.orders</c>).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<TableCheckConfig>> Checks { get; init; }

    /// <summary>The gold models, in file order; names are unique.</summary>
    public required IReadOnlyList<GoldModelConfig> Gold { get; init; }

    /// <summary>The file the configuration was loaded from, absolute; null when loaded from text.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The source named <paramref name="name"/>.</summary>
    /// <exception cref="PipelineConfigException">No source has that name.</exception>
    public SourceConfig Source(string name) =>
        Sources.FirstOrDefault(s => s.Name == name)
        ?? throw new PipelineConfigException(
            SourceFile, null, "sources",
            $"there is no source named '{name}'; the pipeline file defines: {string.Join(", ", Sources.Select(s => s.Name))}.");

    /// <summary>The source whose silver table is <paramref name="table"/> (e.g. <c>silver.orders</c>); null when none is.</summary>
    internal SourceConfig? SilverSource(string table) => Sources.FirstOrDefault(s => s.SilverTable == table);

    /// <summary>The gold model named <paramref name="name"/>.</summary>
    /// <exception cref="PipelineConfigException">No gold model has that name.</exception>
    public GoldModelConfig Model(string name) =>
        Gold.FirstOrDefault(g => g.Name == name)
        ?? throw new PipelineConfigException(
            SourceFile, null, "gold",
            $"there is no gold model named '{name}'; the pipeline file defines: {string.Join(", ", Gold.Select(g => g.Name))}.");
}
