namespace Lakehouse.Pipeline.Hosting;

/// <summary>A critical data-quality check, a <c>fail</c> expectation, or the quality of a gold model's inputs did
/// not pass; nothing was committed and nothing downstream may run. Jobs exit with code 7 on it.</summary>
public sealed class QualityGateException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">Which checks failed, and on what.</param>
    public QualityGateException(string message)
        : base(message)
    {
    }
}
