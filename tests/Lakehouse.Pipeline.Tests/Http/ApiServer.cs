using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lakehouse.Pipeline.Tests.Http;

/// <summary>
/// A JSONPlaceholder-like API on a real Kestrel listener on 127.0.0.1 (ephemeral port): <c>/posts</c>,
/// <c>/comments</c> and <c>/users</c> with <c>_page</c>/<c>_limit</c> paging, and per-request behaviour a test
/// scripts with <see cref="Script"/> (500s, 429 with Retry-After, slow answers, malformed bodies, 404). Every request
/// is recorded with its headers.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, Task>>> _scripts = new();

    private ApiServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests as received: path and query, and the Authorization header.</summary>
    public ConcurrentQueue<(string PathAndQuery, string? Authorization)> Requests { get; } = new();

    public static async Task<ApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    /// <summary>The next requests for <paramref name="pathAndQuery"/> get these answers, in order; after them the normal one.</summary>
    public void Script(string pathAndQuery, params Func<HttpContext, Task>[] answers)
    {
        var queue = _scripts.GetOrAdd(pathAndQuery, _ => new());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    public static Func<HttpContext, Task> Status(int status, int? retryAfterSeconds = null) => ctx =>
    {
        ctx.Response.StatusCode = status;
        if (retryAfterSeconds is { } s)
        {
            ctx.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    };

    /// <summary>Answers after a delay longer than the client's timeout; the client gives up (cancels) first.</summary>
    public static Func<HttpContext, Task> Slow(TimeSpan delay) => async ctx =>
    {
        try
        {
            await Task.Delay(delay, ctx.RequestAborted);
            await ctx.Response.WriteAsync("[]", ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    };

    public static Func<HttpContext, Task> Body(string body) => ctx =>
    {
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body);
    };

    public int Count(string pathAndQuery) => Requests.Count(r => r.PathAndQuery == pathAndQuery);

    public static IReadOnlyList<object> Posts(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new { userId = ((i - 1) / 10) + 1, id = i, title = $"post {i}", body = $"body of post {i}" })];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var key = ctx.Request.Path + ctx.Request.QueryString;
        Requests.Enqueue((key, ctx.Request.Headers.Authorization.FirstOrDefault()));
        if (_scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out var scripted))
        {
            await scripted(ctx);
            return;
        }

        if (ctx.Request.Path == "/secure/users" && ctx.Request.Headers.Authorization != "Bearer s3cret-token")
        {
            ctx.Response.StatusCode = 401;
            return;
        }

        IReadOnlyList<object>? all = ctx.Request.Path.Value switch
        {
            "/posts" => Posts(25),
            "/comments" => [.. Enumerable.Range(1, 12).Select(i => new { postId = ((i - 1) / 3) + 1, id = i, name = $"c{i}", email = $"u{i}@x.com", body = "b" })],
            "/users" or "/secure/users" => [.. Enumerable.Range(1, 3).Select(i => new { id = i, name = $"User {i}", username = $"user{i}", email = $"user{i}@x.com" })],
            _ => null,
        };
        if (all is null)
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        if (int.TryParse(ctx.Request.Query["_page"], out var page) && int.TryParse(ctx.Request.Query["_limit"], out var limit))
        {
            all = [.. all.Skip((page - 1) * limit).Take(limit)];
        }

        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(all));
    }
}
