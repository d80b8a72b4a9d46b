using Grpc.Core;

namespace Lakehouse.Spark;

/// <summary>
/// A Spark Connect call failed. Fields come from the gRPC status and its <c>google.rpc.ErrorInfo</c>
/// detail (Spark's <c>ErrorUtils.scala</c>), completed by FetchErrorDetails on Spark 4.0 servers; on 3.5
/// the error class is read from the <c>[ERROR_CLASS] …</c> prefix of the message.
/// </summary>
public sealed class SparkConnectException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full server message (untruncated when FetchErrorDetails answered).</param>
    /// <param name="statusCode">The gRPC status code.</param>
    /// <param name="inner">The underlying gRPC exception, if any.</param>
    public SparkConnectException(string message, StatusCode statusCode, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    /// <summary>The gRPC status code (INTERNAL for Spark errors, UNAUTHENTICATED for a refused token, …).</summary>
    public StatusCode StatusCode { get; }

    /// <summary>Spark's error class (condition), e.g. <c>UNRESOLVED_COLUMN.WITH_SUGGESTION</c>; null if the server sent none.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>The SQLSTATE, e.g. <c>42703</c>; null if the server sent none.</summary>
    public string? SqlState { get; init; }

    /// <summary>The error's message parameters (name → value).</summary>
    public IReadOnlyDictionary<string, string> MessageParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The server-side exception class hierarchy, most specific first (ErrorInfo <c>classes</c>).</summary>
    public IReadOnlyList<string> ExceptionClasses { get; init; } = [];

    /// <summary>The server stack trace, when the server sent one.</summary>
    public string? ServerStackTrace { get; init; }

    /// <summary>The operation that failed, when known.</summary>
    public string? OperationId { get; init; }

    /// <summary>True when the server no longer knows the session (restarted or closed); open a new session.</summary>
    public bool IsSessionLost =>
        ErrorClass is "INVALID_HANDLE.SESSION_CHANGED" or "INVALID_HANDLE.SESSION_CLOSED" or "INVALID_HANDLE.SESSION_NOT_FOUND";
}
