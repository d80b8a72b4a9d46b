namespace Lakehouse.Pipeline.Configuration;

/// <summary>A source's cleaning rules; silver applies them in the order rename, trim, lower, cast, defaults.</summary>
public sealed record CleaningConfig
{
    /// <summary>Column renames, old name → new name.</summary>
    public IReadOnlyDictionary<string, string> Rename { get; init; } = new Dictionary<string, string>();

    /// <summary>Columns whose surrounding whitespace is removed.</summary>
    public IReadOnlyList<string> Trim { get; init; } = [];

    /// <summary>Columns lower-cased.</summary>
    public IReadOnlyList<string> Lower { get; init; } = [];

    /// <summary>Casts, column → Spark SQL type (<c>int</c>, <c>decimal(12,2)</c>, <c>timestamp</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Cast { get; init; } = new Dictionary<string, string>();

    /// <summary>Values that replace nulls, column → literal text (cast to the column's type).</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; init; } = new Dictionary<string, string>();
}
