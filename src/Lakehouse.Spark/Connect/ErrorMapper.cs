using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Rpc;
using Status = Lakehouse.Spark.Protos.Rpc.Status;

namespace Lakehouse.Spark.Connect;

/// <summary>Turns an <see cref="RpcException"/> into a <see cref="SparkConnectException"/> (brief §5).</summary>
internal static partial class ErrorMapper
{
    private const string StatusDetailsKey = "grpc-status-details-bin";
    private const string ErrorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";

    /// <summary>The ErrorInfo packed in the status trailer, or null.</summary>
    internal static ErrorInfo? ReadErrorInfo(RpcException e)
    {
        var entry = e.Trailers.FirstOrDefault(t => t.Key == StatusDetailsKey && t.IsBinary);
        if (entry is null)
        {
            return null;
        }

        var status = Status.Parser.ParseFrom(entry.ValueBytes);
        var detail = status.Details.FirstOrDefault(d => d.TypeUrl == ErrorInfoType);
        return detail?.Unpack<ErrorInfo>();
    }

    /// <summary>The errorId a 4.0 server attaches for FetchErrorDetails, or null.</summary>
    internal static string? ErrorId(RpcException e) =>
        ReadErrorInfo(e)?.Metadata.GetValueOrDefault("errorId") is { Length: > 0 } id ? id : null;

    /// <summary>Maps the exception; <paramref name="details"/> is FetchErrorDetails' answer when there was one.</summary>
    internal static SparkConnectException Map(RpcException e, string? operationId, FetchErrorDetailsResponse? details = null)
    {
        var info = ReadErrorInfo(e);
        var metadata = info?.Metadata ?? new Google.Protobuf.Collections.MapField<string, string>();
        var message = e.Status.Detail;
        var errorClass = metadata.GetValueOrDefault("errorClass");
        var sqlState = metadata.GetValueOrDefault("sqlState");
        var parameters = ParseParameters(metadata.GetValueOrDefault("messageParameters"));
        string? stack = metadata.GetValueOrDefault("stackTrace");

        var root = details is { Errors.Count: > 0 } ? details.Errors[details.HasRootErrorIdx ? details.RootErrorIdx : 0] : null;
        if (root is not null)
        {
            message = root.Message;
            if (root.SparkThrowable is { } t)
            {
                errorClass = t.HasErrorClass ? t.ErrorClass : errorClass;
                sqlState = t.HasSqlState ? t.SqlState : sqlState;
                if (t.MessageParameters.Count > 0)
                {
                    parameters = new Dictionary<string, string>(t.MessageParameters);
                }
            }

            if (root.StackTrace.Count > 0)
            {
                stack = string.Join('\n', root.StackTrace.Select(f => $"at {f.DeclaringClass}.{f.MethodName}({f.FileName}:{f.LineNumber})"));
            }
        }

        // Spark 3.5 sends no errorClass metadata; its messages start with "[ERROR_CLASS] ".
        if (errorClass is null && ClassPrefix().Match(message) is { Success: true } m)
        {
            errorClass = m.Groups[1].Value;
        }

        if (message.Length == 0)
        {
            message = e.StatusCode == StatusCode.Unauthenticated
                ? "The Spark Connect server refused the request: authentication failed. Pass the server's token with ;token=… in the connection string."
                : $"Spark Connect call failed with status {e.StatusCode}.";
        }

        return new SparkConnectException(message, e.StatusCode, e)
        {
            ErrorClass = errorClass,
            SqlState = sqlState,
            MessageParameters = parameters,
            ExceptionClasses = ParseClasses(metadata.GetValueOrDefault("classes"), info?.Reason),
            ServerStackTrace = stack,
            OperationId = operationId,
        };
    }

    private static Dictionary<string, string> ParseParameters(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static List<string> ParseClasses(string? json, string? reason)
    {
        if (!string.IsNullOrEmpty(json))
        {
            try
            {
                return JsonSerializer.Deserialize<List<string>>(json) ?? [];
            }
            catch (JsonException)
            {
                // Fall back to the reason below.
            }
        }

        return string.IsNullOrEmpty(reason) ? [] : [reason];
    }

    [GeneratedRegex(@"^\[([A-Z0-9_]+(?:\.[A-Z0-9_]+)*)\]")]
    private static partial Regex ClassPrefix();
}
