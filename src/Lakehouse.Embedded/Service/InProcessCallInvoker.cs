using Google.Protobuf;
using Grpc.Core;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Service;

/// <summary>Dispatches the client's Spark Connect calls to the service in this process (see <see cref="InProcessTransport"/>).</summary>
internal sealed class InProcessCallInvoker(EmbeddedConnectService service) : CallInvoker
{
    private const string ServiceName = "spark.connect.SparkConnectService";

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new InProcessCall(method.FullName, options);
        var bytes = Bytes(request);
        var response = call.RunAsync(async () => (TResponse)await Unary(method, bytes, call.Context).ConfigureAwait(false));
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new InProcessCall(method.FullName, options);
        var bytes = Bytes(request);
        var stream = new InProcessResponseStream<TResponse>(call);
        _ = Task.Run(async () =>
        {
            try
            {
                call.ThrowIfCancelled();
                await (method.ServiceName != ServiceName ? throw Unimplemented(method) : method.Name switch
                {
                    "ExecutePlan" => service.ExecutePlan(ConnectMethodProvider.Parse<ExecutePlanRequest>(bytes), Writer(stream), call.Context),
                    "ReattachExecute" => service.ReattachExecute(ConnectMethodProvider.Parse<ReattachExecuteRequest>(bytes), Writer(stream), call.Context),
                    _ => throw Unimplemented(method),
                }).ConfigureAwait(false);
                call.Succeeded();
                stream.Complete(null);
            }
            catch (Exception e)
            {
                stream.Complete(call.Failed(e));
            }
        });
        return new AsyncServerStreamingCall<TResponse>(stream, Task.FromResult(new Metadata()), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw Unimplemented(method);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw Unimplemented(method);

    private async Task<object> Unary(IMethod method, byte[] bytes, ServerCallContext context) =>
        method.ServiceName != ServiceName ? throw Unimplemented(method) : method.Name switch
        {
            "AnalyzePlan" => await service.AnalyzePlan(ConnectMethodProvider.Parse<AnalyzePlanRequest>(bytes), context).ConfigureAwait(false),
            "Config" => await service.Config(ConnectMethodProvider.Parse<ConfigRequest>(bytes), context).ConfigureAwait(false),
            "Interrupt" => await service.Interrupt(ConnectMethodProvider.Parse<InterruptRequest>(bytes), context).ConfigureAwait(false),
            "ReleaseExecute" => await service.ReleaseExecute(ConnectMethodProvider.Parse<ReleaseExecuteRequest>(bytes), context).ConfigureAwait(false),
            "ReleaseSession" => await service.ReleaseSession(ConnectMethodProvider.Parse<ReleaseSessionRequest>(bytes), context).ConfigureAwait(false),
            "FetchErrorDetails" => await service.FetchErrorDetails(ConnectMethodProvider.Parse<FetchErrorDetailsRequest>(bytes), context).ConfigureAwait(false),
            _ => throw Unimplemented(method),
        };

    private static IServerStreamWriter<ExecutePlanResponse> Writer(object stream) => (IServerStreamWriter<ExecutePlanResponse>)stream;

    private static byte[] Bytes<TRequest>(TRequest request) => request is IMessage message
        ? message.ToByteArray()
        : throw new ArgumentException($"The request {typeof(TRequest).Name} is not a protobuf message.", nameof(request));

    // What a gRPC server answers for a method it does not serve.
    private static RpcException Unimplemented(IMethod method) =>
        new(new Status(StatusCode.Unimplemented, $"Method {method.FullName} is not implemented by the embedded engine."));
}
