namespace Lakehouse.Pipeline.Hosting;

/// <summary>The input a job was given cannot be used (e.g. a landing path that does not exist, a table that is not
/// there yet); the message names the input and says what to do. Jobs exit with code 2 on it.</summary>
public sealed class PipelineInputException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What input is wrong and what to do.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public PipelineInputException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
