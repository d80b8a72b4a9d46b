using Lakehouse.Pipeline.Configuration;

namespace Lakehouse.Pipeline.Silver;

/// <summary>A row rule silver evaluates: a configured expectation, or one silver adds itself (malformed record,
/// failed cast, missing business key), which always quarantines.</summary>
internal sealed record Rule(string Name, string Description, ExpectationAction Action, bool Implicit)
{
    /// <summary>The working column holding whether a row fails the rule.</summary>
    public string Flag => SilverColumns.FailPrefix + Name;
}
