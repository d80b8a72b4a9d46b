namespace Lakehouse.Pipeline.Silver;

/// <summary>Columns silver adds: in the quarantine table, and internal working columns it drops before writing.</summary>
internal static class SilverColumns
{
    /// <summary>Quarantine: the names of the rules the row failed, comma-separated.</summary>
    public const string Rules = "_rules";

    /// <summary>Quarantine: why, one <c>rule: condition</c> per failed rule.</summary>
    public const string Reason = "_reason";

    /// <summary>Quarantine: the run that quarantined the row.</summary>
    public const string RunId = "_run_id";

    /// <summary>Quarantine: when.</summary>
    public const string QuarantinedAt = "_quarantined_at";

    /// <summary>The columns only the quarantine table has (the others are the row as bronze had it).</summary>
    public static IReadOnlySet<string> QuarantineOnly { get; } = new HashSet<string>(StringComparer.Ordinal) { Rules, Reason, RunId, QuarantinedAt };

    /// <summary>Prefix of the raw copy of a data column, kept for the quarantine table.</summary>
    public const string RawPrefix = "__raw__";

    /// <summary>Prefix of a rule's failure flag.</summary>
    public const string FailPrefix = "__fail__";

    /// <summary>Whether the row is a delete (the delete flag is truthy).</summary>
    public const string Delete = "__delete";

    /// <summary>SCD type 2: the version's sequence value, where its interval starts (inclusive).</summary>
    public const string ValidFrom = "valid_from";

    /// <summary>SCD type 2: the next version's (or the delete's) sequence value, where the interval ends (exclusive); null
    /// while the version is current.</summary>
    public const string ValidTo = "valid_to";

    /// <summary>SCD type 2: whether this is the key's current version (<see cref="ValidTo"/> is null).</summary>
    public const string IsCurrent = "is_current";

    /// <summary>SCD type 2, the changes table: whether the change is a delete.</summary>
    public const string Deleted = "_deleted";
}
