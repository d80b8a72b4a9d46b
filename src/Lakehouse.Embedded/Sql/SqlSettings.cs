namespace Lakehouse.Embedded.Sql;

/// <summary>The session confs that change how Spark evaluates expressions and resolves names.</summary>
/// <param name="Ansi"><c>spark.sql.ansi.enabled</c> (Spark 4 default true): invalid casts, division by zero and array indexes out of bounds fail instead of giving NULL.</param>
/// <param name="CaseSensitive"><c>spark.sql.caseSensitive</c> (default false): whether column names are matched case-sensitively.</param>
/// <param name="TimeZone"><c>spark.sql.session.timeZone</c>, for timestamps given as text in options.</param>
internal sealed record SqlSettings(bool Ansi, bool CaseSensitive, string TimeZone = "UTC")
{
    /// <summary>The comparison for column names.</summary>
    public StringComparison Names => CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>The comparer for sets of column names.</summary>
    public StringComparer NameComparer => CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
}
