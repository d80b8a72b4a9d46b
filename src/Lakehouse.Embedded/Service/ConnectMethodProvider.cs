using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// Binds the Spark Connect methods to <see cref="EmbeddedConnectService"/> with marshallers that parse requests with
/// Spark's protobuf recursion limit (<c>spark.connect.grpc.marshallerRecursionLimit</c>, 1024) instead of the C#
/// default of 100: long DataFrame chains nest Relations deeper than 100.
/// </summary>
internal sealed class ConnectMethodProvider : IServiceMethodProvider<EmbeddedConnectService>
{
    public const int RecursionLimit = 1024;
    private const string ServiceName = "spark.connect.SparkConnectService";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<EmbeddedConnectService> context)
    {
        context.AddServerStreamingMethod(Method<ExecutePlanRequest, ExecutePlanResponse>(MethodType.ServerStreaming, "ExecutePlan"), [], (s, r, w, c) => s.ExecutePlan(r, w, c));
        context.AddServerStreamingMethod(Method<ReattachExecuteRequest, ExecutePlanResponse>(MethodType.ServerStreaming, "ReattachExecute"), [], (s, r, w, c) => s.ReattachExecute(r, w, c));
        context.AddUnaryMethod(Method<AnalyzePlanRequest, AnalyzePlanResponse>(MethodType.Unary, "AnalyzePlan"), [], (s, r, c) => s.AnalyzePlan(r, c));
        context.AddUnaryMethod(Method<ConfigRequest, ConfigResponse>(MethodType.Unary, "Config"), [], (s, r, c) => s.Config(r, c));
        context.AddUnaryMethod(Method<InterruptRequest, InterruptResponse>(MethodType.Unary, "Interrupt"), [], (s, r, c) => s.Interrupt(r, c));
        context.AddUnaryMethod(Method<ReleaseExecuteRequest, ReleaseExecuteResponse>(MethodType.Unary, "ReleaseExecute"), [], (s, r, c) => s.ReleaseExecute(r, c));
        context.AddUnaryMethod(Method<ReleaseSessionRequest, ReleaseSessionResponse>(MethodType.Unary, "ReleaseSession"), [], (s, r, c) => s.ReleaseSession(r, c));
        context.AddUnaryMethod(Method<FetchErrorDetailsRequest, FetchErrorDetailsResponse>(MethodType.Unary, "FetchErrorDetails"), [], (s, r, c) => s.FetchErrorDetails(r, c));
    }

    private static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodType type, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        new(type, ServiceName, name, Marshaller<TRequest>(), Marshaller<TResponse>());

    private static Marshaller<T> Marshaller<T>()
        where T : class, IMessage<T>, new() =>
        Marshallers.Create(m => m.ToByteArray(), Parse<T>);

    /// <summary>Parses a request as the server does, with <see cref="RecursionLimit"/>.</summary>
    public static T Parse<T>(byte[] bytes)
        where T : class, IMessage<T>, new()
    {
        var input = CodedInputStream.CreateWithLimits(new MemoryStream(bytes), int.MaxValue, RecursionLimit);
        var message = new T();
        message.MergeFrom(input);
        return message;
    }
}
