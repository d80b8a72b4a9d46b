namespace Lakehouse.Pipeline.Configuration;

/// <summary>What silver does with rows that fail an expectation.</summary>
public enum ExpectationAction
{
    /// <summary>Keep the rows; count and report them.</summary>
    Warn,

    /// <summary>Leave the rows out of silver; count them.</summary>
    Drop,

    /// <summary>Move the rows to <c>silver.&lt;source&gt;_quarantine</c> with the rule names and reason.</summary>
    Quarantine,

    /// <summary>Fail the run; nothing is committed.</summary>
    Fail,
}
