namespace Lakehouse.Pipeline.Configuration;

/// <summary>One table check from the pipeline file's <c>checks</c>; which fields are set depends on <see cref="Type"/>
/// (the loader has checked that the ones the type needs are there).</summary>
public sealed record TableCheckConfig
{
    /// <summary>The check's name, unique within its table.</summary>
    public required string Name { get; init; }

    /// <summary>The kind of check.</summary>
    public required TableCheckType Type { get; init; }

    /// <summary>The columns of <c>not_null</c> and <c>unique</c>; empty otherwise.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The column of <c>accepted_values</c>, <c>range</c>, <c>relationship</c> and <c>freshness</c>.</summary>
    public string? Column { get; init; }

    /// <summary>The accepted values of <c>accepted_values</c>, as text.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>The lower bound of <c>range</c> (inclusive); null for none.</summary>
    public double? Min { get; init; }

    /// <summary>The upper bound of <c>range</c> (inclusive); null for none.</summary>
    public double? Max { get; init; }

    /// <summary>The referenced table of <c>relationship</c>, e.g. <c>silver.customers</c>.</summary>
    public string? To { get; init; }

    /// <summary>The referenced column of <c>relationship</c>.</summary>
    public string? ToColumn { get; init; }

    /// <summary>The largest accepted age of the newest value, for <c>freshness</c>.</summary>
    public double? MaxAgeHours { get; init; }

    /// <summary>The largest accepted change of the row count in percent, for <c>row_count_change</c>.</summary>
    public double? MaxChangePercent { get; init; }

    /// <summary>What a failure means; default critical.</summary>
    public CheckSeverity Severity { get; init; } = CheckSeverity.Critical;
}
