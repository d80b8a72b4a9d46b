namespace Lakehouse.Delta;

/// <summary>
/// The one exception type Lakehouse.Delta raises for conditions a user can cause or fix
/// (a bad path, a corrupt log, an unsupported feature, a conflict). <see cref="Kind"/> says which;
/// the message says what is wrong and what to do.
/// </summary>
public class DeltaException : Exception
{
    /// <summary>Creates an exception of the given kind.</summary>
    public DeltaException(DeltaErrorKind kind, string message, string? tablePath = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        TablePath = tablePath;
    }

    /// <summary>What went wrong.</summary>
    public DeltaErrorKind Kind { get; }

    /// <summary>The table the error is about, when known.</summary>
    public string? TablePath { get; }
}
