using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Rpc;
using RpcStatus = Lakehouse.Spark.Protos.Rpc.Status;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// Failures as Spark Connect servers report them (brief §5): status INTERNAL with the message, and a
/// <c>google.rpc.Status</c> in the <c>grpc-status-details-bin</c> trailer holding an ErrorInfo whose reason is the
/// exception class and whose metadata carries classes, errorClass, sqlState, messageParameters and errorId.
/// </summary>
internal static class ErrorStatus
{
    private const int MaxMessage = 2048;

    /// <summary>The error as an <see cref="EmbeddedException"/> (anything else becomes an internal error that names its type).</summary>
    public static EmbeddedException Normalize(Exception e) => e switch
    {
        EmbeddedException ee => ee,
        Lakehouse.Delta.DeltaException de => new EmbeddedException("LAKEHOUSE_DELTA_" + de.Kind.ToString().ToUpperInvariant(), "42000", de.Message, null, de),
        OperationCanceledException => new EmbeddedException("OPERATION_CANCELED", "HY008", "The operation was interrupted.", null, e),
        InvalidProtocolBufferException => new EmbeddedException("LAKEHOUSE_EMBEDDED_INVALID_PLAN", "XX000", $"The plan could not be decoded: {e.Message}.", null, e),
        _ => new EmbeddedException("INTERNAL_ERROR", "XX000", $"The embedded engine failed: {e.GetType().Name}: {e.Message}", null, e),
    };

    /// <summary>The RpcException to throw for an error.</summary>
    public static RpcException ToRpc(EmbeddedException e, string errorId)
    {
        var classes = new[] { e.SparkExceptionClass, "org.apache.spark.SparkThrowable", "java.lang.Exception", "java.lang.Throwable" };
        var info = new ErrorInfo { Reason = e.SparkExceptionClass, Domain = "org.apache.spark" };
        info.Metadata["classes"] = JsonSerializer.Serialize(classes);
        info.Metadata["errorClass"] = e.ErrorClass;
        info.Metadata["sqlState"] = e.SqlState;
        info.Metadata["messageParameters"] = JsonSerializer.Serialize(e.MessageParameters);
        info.Metadata["errorId"] = errorId;
        var message = e.Message.Length > MaxMessage ? e.Message[..MaxMessage] : e.Message;
        var status = new RpcStatus { Code = (int)StatusCode.Internal, Message = message };
        status.Details.Add(Any.Pack(info));
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(StatusCode.Internal, message), trailers);
    }

    /// <summary>An RPC-level error that is not an engine failure (bad handle, bad session id).</summary>
    public static RpcException Handle(string errorClass, string message) =>
        ToRpc(new EmbeddedException(errorClass, "HY000", message), Guid.NewGuid().ToString());

    /// <summary>FetchErrorDetails' view of an error.</summary>
    public static FetchErrorDetailsResponse.Types.Error Details(EmbeddedException e)
    {
        var error = new FetchErrorDetailsResponse.Types.Error { Message = e.Message };
        error.ErrorTypeHierarchy.Add([e.SparkExceptionClass, "java.lang.Exception", "java.lang.Throwable"]);
        var t = new FetchErrorDetailsResponse.Types.SparkThrowable { ErrorClass = e.ErrorClass, SqlState = e.SqlState };
        t.MessageParameters.Add(e.MessageParameters.ToDictionary(kv => kv.Key, kv => kv.Value));
        error.SparkThrowable = t;
        return error;
    }
}
