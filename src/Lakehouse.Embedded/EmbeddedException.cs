namespace Lakehouse.Embedded;

/// <summary>
/// A failure of the embedded engine that a user can cause or fix: an unknown column, bad SQL, a plan node or
/// function the engine does not support, a missing table. It carries Spark's error model (error class, SQLSTATE,
/// message parameters) so that Spark Connect clients see the same structure as from Apache Spark.
/// </summary>
public sealed class EmbeddedException : Exception
{
    /// <summary>Creates an exception with Spark's error fields.</summary>
    /// <param name="errorClass">Spark error class (e.g. <c>UNRESOLVED_COLUMN.WITH_SUGGESTION</c>) or a <c>LAKEHOUSE_</c> class.</param>
    /// <param name="sqlState">Five-character SQLSTATE.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="parameters">Message parameters, keyed as Spark names them.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public EmbeddedException(string errorClass, string sqlState, string message, IReadOnlyDictionary<string, string>? parameters = null, Exception? inner = null)
        : base($"[{errorClass}] {message}", inner)
    {
        ErrorClass = errorClass;
        SqlState = sqlState;
        MessageParameters = parameters ?? new Dictionary<string, string>();
    }

    /// <summary>Spark error class.</summary>
    public string ErrorClass { get; }

    /// <summary>SQLSTATE.</summary>
    public string SqlState { get; }

    /// <summary>Message parameters.</summary>
    public IReadOnlyDictionary<string, string> MessageParameters { get; }

    /// <summary>The JVM exception class a Spark server would report for this error (clients map it to their own types).</summary>
    internal string SparkExceptionClass => SqlState switch
    {
        "42601" => "org.apache.spark.sql.catalyst.parser.ParseException",
        _ when SqlState.StartsWith("42", StringComparison.Ordinal) || SqlState == "0A000" => "org.apache.spark.sql.AnalysisException",
        _ => "org.apache.spark.SparkException",
    };
}
