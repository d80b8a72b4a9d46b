namespace Lakehouse.Pipeline.Configuration;

/// <summary>One source of the pipeline: where its landing files are, how to read them, and how silver keeps it.</summary>
public sealed record SourceConfig
{
    /// <summary>The source's name (letters, digits, underscores): the table names <c>bronze.&lt;name&gt;</c> and <c>silver.&lt;name&gt;</c>.</summary>
    public required string Name { get; init; }

    /// <summary>How the landing files are read.</summary>
    public required SourceFormat Format { get; init; }

    /// <summary>The source's landing directory, absolute (the configured path under the landing root).</summary>
    public required string Path { get; init; }

    /// <summary>Reader options (e.g. <c>header</c> for CSV); empty when none.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>The schema as a DDL string (<c>a STRING, b INT</c>); null to infer it on the first run.</summary>
    public string? Schema { get; init; }

    /// <summary>The columns that identify a record (at least one).</summary>
    public required IReadOnlyList<string> BusinessKey { get; init; }

    /// <summary>The column that orders versions of a record (latest wins); null to order by ingestion time only.</summary>
    public string? Sequence { get; init; }

    /// <summary>A column whose truthy value deletes the key in silver; null when the source has no deletes.</summary>
    public string? DeleteFlag { get; init; }

    /// <summary>The column holding the record's event time (for freshness); null when none.</summary>
    public string? EventTime { get; init; }

    /// <summary>Whether silver keeps history as SCD type 2 (<c>valid_from</c>, <c>valid_to</c>, <c>is_current</c>).</summary>
    public bool Scd2 { get; init; }

    /// <summary>The cleaning rules silver applies, in the order rename, trim, lower, cast, defaults.</summary>
    public CleaningConfig Clean { get; init; } = new();

    /// <summary>Row expectations silver evaluates after cleaning, in file order.</summary>
    public IReadOnlyList<ExpectationConfig> Expectations { get; init; } = [];

    /// <summary>The HTTP API to fetch from; set exactly when <see cref="Format"/> is <see cref="SourceFormat.Http"/>.</summary>
    public HttpSourceConfig? Http { get; init; }

    /// <summary>The bronze table name, <c>bronze.&lt;name&gt;</c>.</summary>
    public string BronzeTable => $"bronze.{Name}";

    /// <summary>The silver table name, <c>silver.&lt;name&gt;</c>.</summary>
    public string SilverTable => $"silver.{Name}";

    /// <summary>The quarantine table name, <c>silver.&lt;name&gt;_quarantine</c>.</summary>
    public string QuarantineTable => $"silver.{Name}_quarantine";

    /// <summary>The table of deletes silver remembers (latest-only silver), <c>silver.&lt;name&gt;_tombstones</c>.</summary>
    public string TombstonesTable => $"silver.{Name}_tombstones";

    /// <summary>The log of accepted versions an SCD type 2 silver table is derived from, <c>silver.&lt;name&gt;_changes</c>.</summary>
    public string ChangesTable => $"silver.{Name}_changes";
}
