namespace Lakehouse.Pipeline.Configuration;

/// <summary>The kinds of table check (the <c>type</c> field of a check).</summary>
public enum TableCheckType
{
    /// <summary><c>not_null</c>: the <c>columns</c> are never null.</summary>
    NotNull,

    /// <summary><c>unique</c>: the combination of <c>columns</c> is unique.</summary>
    Unique,

    /// <summary><c>accepted_values</c>: <c>column</c> holds only <c>values</c> (nulls pass).</summary>
    AcceptedValues,

    /// <summary><c>range</c>: <c>column</c> lies between <c>min</c> and <c>max</c> (either optional).</summary>
    Range,

    /// <summary><c>relationship</c>: every <c>column</c> value exists in <c>to</c>.<c>to_column</c>.</summary>
    Relationship,

    /// <summary><c>freshness</c>: the newest <c>column</c> value is at most <c>max_age_hours</c> old.</summary>
    Freshness,

    /// <summary><c>row_count_change</c>: the row count moved at most <c>max_change_percent</c> since the last run.</summary>
    RowCountChange,
}
