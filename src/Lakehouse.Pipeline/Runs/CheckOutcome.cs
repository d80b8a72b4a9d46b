namespace Lakehouse.Pipeline.Runs;

/// <summary>The result of one data-quality check (a row expectation or a table check) in a job run.</summary>
/// <param name="Table">The checked table, e.g. <c>silver.orders</c>.</param>
/// <param name="Check">The check's name from the pipeline file.</param>
/// <param name="Severity"><c>critical</c> or <c>warning</c> for table checks; the action (<c>warn</c>, <c>drop</c>,
/// <c>quarantine</c>, <c>fail</c>) for row expectations.</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="FailingRows">Rows that failed the check (0 when it passed or does not count rows).</param>
public sealed record CheckOutcome(string Table, string Check, string Severity, bool Passed, long FailingRows);
