using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Lakehouse.Embedded.Service;

/// <summary>
/// Refuses calls without <c>Authorization: Bearer &lt;token&gt;</c> (PySpark, Go) or <c>Authentication: Bearer
/// &lt;token&gt;</c> (Scala client) with UNAUTHENTICATED, as Spark's PreSharedKeyAuthenticationInterceptor does.
/// </summary>
internal sealed class BearerTokenInterceptor(string token) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        var header = context.RequestHeaders.FirstOrDefault(h => h.Key is "authorization" or "authentication")?.Value;
        if (header is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "No authentication token provided"));
        }

        var expected = "Bearer " + token;
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(header), System.Text.Encoding.UTF8.GetBytes(expected)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Invalid authentication token"));
        }
    }
}
