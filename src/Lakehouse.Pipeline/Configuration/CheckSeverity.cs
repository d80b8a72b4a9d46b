namespace Lakehouse.Pipeline.Configuration;

/// <summary>What a failed table check means for the run.</summary>
public enum CheckSeverity
{
    /// <summary>The quality gate fails (exit code 7): nothing downstream runs.</summary>
    Critical,

    /// <summary>Reported only.</summary>
    Warning,
}
