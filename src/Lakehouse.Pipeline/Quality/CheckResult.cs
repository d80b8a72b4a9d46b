using Lakehouse.Pipeline.Configuration;

namespace Lakehouse.Pipeline.Quality;

/// <summary>What one check found: the row of <c>ops.dq_results</c> it becomes.</summary>
/// <param name="Check">The check.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Observed">The measured value (failing rows, duplicate rows, age in hours or change in percent); null when there was nothing to measure.</param>
/// <param name="Threshold">What the value had to be, as text (<c>0</c>, <c>[0, 100000]</c>, <c>&lt;= 48 h</c>, <c>&lt;= 50 %</c>).</param>
/// <param name="FailingRows">Rows that violate the check (0 for freshness and row-count change).</param>
/// <param name="TotalRows">Rows of the checked table.</param>
/// <param name="Examples">A few failing values or rows.</param>
/// <param name="Message">One sentence saying what was found.</param>
internal sealed record CheckResult(
    TableCheckConfig Check, bool Passed, double? Observed, string Threshold, long FailingRows, long TotalRows,
    IReadOnlyList<string> Examples, string Message)
{
    /// <summary>What the result, or with <see cref="Measured"/> the measurement, follows from, when that is only the
    /// check's definition and the versions of the tables it read (e.g. <c>relationship customer_id -&gt;
    /// silver.customers.customer_id; silver.orders v12; silver.customers v7</c>): a later run with the same basis would
    /// find the same and takes this result (or measurement). Null when the versions are not known, or the result
    /// depends on earlier runs.</summary>
    public string? Basis { get; init; }

    /// <summary>For a result that depends on the clock (freshness), the value measured on the table at the
    /// <see cref="Basis"/> version (the newest timestamp, ISO 8601), which a later run at that version reuses with
    /// its own clock instead of scanning again; null otherwise.</summary>
    public string? Measured { get; init; }
}
