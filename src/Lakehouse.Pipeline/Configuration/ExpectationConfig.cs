namespace Lakehouse.Pipeline.Configuration;

/// <summary>A row expectation: a SQL condition every silver row should satisfy, and what to do with rows that do not.</summary>
/// <param name="Name">The rule's name (reported in metrics, ops tables and the quarantine table).</param>
/// <param name="Condition">A Spark SQL boolean expression over the cleaned columns; a row fails when it is false or null.</param>
/// <param name="Action">What happens to failing rows.</param>
public sealed record ExpectationConfig(string Name, string Condition, ExpectationAction Action);
