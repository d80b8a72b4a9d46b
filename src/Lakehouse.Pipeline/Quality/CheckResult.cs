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
    /// <summary>What the result rests on: the check's definition and the commit of each table it read
    /// (<see cref="CheckBasis"/>, e.g. <c>unique order_id; silver.orders v12 @1763931234567 batch 57</c>). A later run
    /// with the same basis takes a relationship's result or a freshness measurement instead of evaluating again, and a
    /// later run of a silver table starts from it (docs/pipeline-quality-gold.md, "Incremental checks"). Null when
    /// the version is not known, or the result depends on earlier runs (<c>row_count_change</c>).</summary>
    public string? Basis { get; init; }

    /// <summary>For a result that depends on the clock (freshness), the value measured on the table at the
    /// <see cref="Basis"/> version (the newest timestamp, ISO 8601), which a later run at that version reuses with
    /// its own clock instead of scanning again; null otherwise.</summary>
    public string? Measured { get; init; }
}
