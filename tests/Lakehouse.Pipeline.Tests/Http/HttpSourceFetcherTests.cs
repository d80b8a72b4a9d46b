using System.Collections.Concurrent;
using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Http;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Lakehouse.Pipeline.Tests.Http;

public sealed class HttpSourceFetcherTests
{
    // Real backoffs would make the suite slow; the policy is the same, only its base is shorter.
    private static readonly HttpFetchTuning Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task FetchAsync_PagedPosts_SavesEveryPageUntilAShortOne()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");

        var pages = await FetchAsync(Config(api.Url("/posts"), size: 10), dir.Path, "batch-1");

        Assert.Equal([1, 2, 3], pages.Select(p => p.Page));
        Assert.Equal([10, 10, 5], pages.Select(p => p.Records));
        Assert.Equal(["batch-1-page-00001.json", "batch-1-page-00002.json", "batch-1-page-00003.json"], pages.Select(p => Path.GetFileName(p.Path)));
        Assert.Equal(Enumerable.Range(1, 25), pages.SelectMany(p => Ids(p.Path)));
        Assert.Equal(["/posts?_page=1&_limit=10", "/posts?_page=2&_limit=10", "/posts?_page=3&_limit=10"], api.Requests.Select(r => r.PathAndQuery));
        Assert.All(pages, p => Assert.Equal(new FileInfo(p.Path).Length, p.Bytes));
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public async Task FetchAsync_EmptyPageOrMaxPages_StopsThere()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");

        // 25 posts in pages of 5: five full pages, then an empty one ends the paging.
        var all = await FetchAsync(Config(api.Url("/posts"), size: 5), dir.Combine("all"), "b");
        Assert.Equal([5, 5, 5, 5, 5, 0], all.Select(p => p.Records));
        Assert.Equal("[]", File.ReadAllText(all[^1].Path));

        var capped = await FetchAsync(Config(api.Url("/posts"), size: 5, maxPages: 2), dir.Combine("capped"), "b");
        Assert.Equal([5, 5], capped.Select(p => p.Records));
    }

    [Fact]
    public async Task FetchAsync_ServerErrorsAndTooManyRequests_AreRetriedHonouringRetryAfter()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");
        api.Script("/posts?_page=1&_limit=10", ApiServer.Status(500), ApiServer.Status(503));
        api.Script("/posts?_page=2&_limit=10", ApiServer.Status(429, retryAfterSeconds: 1));
        var log = new ListSink();

        var pages = await FetchAsync(Config(api.Url("/posts"), size: 10), dir.Path, "b", log);

        Assert.Equal([3, 2, 1], pages.Select(p => p.Attempts));
        Assert.Equal(Enumerable.Range(1, 25), pages.SelectMany(p => Ids(p.Path)));
        Assert.Equal(6, api.Requests.Count);
        // The 429's retry waits what the server asked for, not the (much shorter) backoff.
        var retries = log.Events.Where(e => e.MessageTemplate.Text.Contains("retry", StringComparison.Ordinal)).ToList();
        Assert.Equal(["500", "503", "429"], retries.Select(e => ((ScalarValue)e.Properties["Reason"]).Value?.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(1), ((ScalarValue)retries[2].Properties["Delay"]).Value);
    }

    [Fact]
    public async Task FetchAsync_SlowPage_TimesOutAndIsRetried()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");
        api.Script("/posts?_page=2&_limit=10", ApiServer.Slow(TimeSpan.FromSeconds(30)));

        var pages = await FetchAsync(Config(api.Url("/posts"), size: 10) with { TimeoutSeconds = 0.5 }, dir.Path, "b");

        Assert.Equal([1, 2, 1], pages.Select(p => p.Attempts));
        Assert.Equal(Enumerable.Range(1, 25), pages.SelectMany(p => Ids(p.Path)));
    }

    [Fact]
    public async Task FetchAsync_MalformedPage_IsSavedReportedAndPagingGoesOn()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");
        const string Broken = """[{"userId": 1, "id": 11, "title": "cut""";
        api.Script("/posts?_page=2&_limit=10", ApiServer.Body(Broken));
        var log = new ListSink();

        var pages = await FetchAsync(Config(api.Url("/posts"), size: 10), dir.Path, "b", log);

        Assert.Equal([false, true, false], pages.Select(p => p.Malformed));
        Assert.Equal(Broken, File.ReadAllText(pages[1].Path));
        Assert.Null(pages[1].Records);
        Assert.Equal(5, pages[2].Records);
        Assert.Single(log.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchAsync_RetriesExhausted_ThrowsAndKeepsTheEarlierPagesWhole()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");
        api.Script("/posts?_page=2&_limit=10", ApiServer.Status(502), ApiServer.Status(502), ApiServer.Status(502));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => FetchAsync(Config(api.Url("/posts"), size: 10) with { Retries = 2 }, dir.Path, "b"));

        Assert.Contains("page 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("502", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, api.Count("/posts?_page=2&_limit=10"));
        Assert.Equal(["b-page-00001.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(Enumerable.Range(1, 10), Ids(dir.Combine("b-page-00001.json")));
    }

    [Fact]
    public async Task FetchAsync_ClientError_FailsAtOnceAsBadInput()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");

        var e = await Assert.ThrowsAsync<PipelineInputException>(() => FetchAsync(Config(api.Url("/nothing-here")), dir.Path, "b"));

        Assert.Contains("404", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, api.Count("/nothing-here"));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task FetchAsync_SecretHeadersAndQuery_AreSentButNeverLogged()
    {
        await using var api = await ApiServer.StartAsync();
        using var dir = new TempDirectory("http");
        var log = new ListSink();
        var config = Config(api.Url("/secure/users?key=q-secret-42")) with
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer s3cret-token" },
        };

        var page = Assert.Single(await FetchAsync(config, dir.Path, "scheduled__2026-03-01T00:00:00+00:00", log));

        Assert.Equal(3, page.Records);
        Assert.Equal("scheduled__2026-03-01T00_00_00_00_00-page-00001.json", Path.GetFileName(page.Path));
        Assert.Equal("Bearer s3cret-token", Assert.Single(api.Requests).Authorization);
        Assert.NotEmpty(log.Events);
        Assert.All(log.Text, line => Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal));
        Assert.All(log.Text, line => Assert.DoesNotContain("q-secret-42", line, StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<PipelineInputException>(() => FetchAsync(Config(api.Url("/secure/users")), dir.Combine("no-token"), "b", log));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserve_BurstThenSteadyRate_WaitsWhatTheRateAllows()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(2, time);
        long At(double seconds) => (long)(seconds * time.TimestampFrequency);

        // Capacity 2: two requests at once, then one every 0.5 s; tokens come back at 2 a second.
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(At(0)));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(At(0)));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.Reserve(At(0)));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Reserve(At(0)));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.Reserve(At(1)));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(At(10)));
    }

    [Fact]
    public void PageUrl_ExistingQuery_IsKept()
    {
        var url = HttpSourceFetcher.PageUrl(new Uri("https://api.example/v1/posts?lang=en"), new PagingConfig { PageParam = "page", SizeParam = "per_page", Size = 50 }, 3);
        Assert.Equal("https://api.example/v1/posts?lang=en&page=3&per_page=50", url.ToString());
    }

    private static HttpSourceConfig Config(Uri url, int? size = null, int maxPages = 100) => new()
    {
        Url = url,
        Paging = size is { } s ? new PagingConfig { Size = s, MaxPages = maxPages } : null,
        RateLimitPerSecond = 50,
        Retries = 5,
        TimeoutSeconds = 10,
    };

    private static Task<IReadOnlyList<FetchedPage>> FetchAsync(HttpSourceConfig config, string dir, string batch, ListSink? log = null) =>
        HttpSourceFetcher.FetchAsync(config, dir, batch, new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(log ?? new ListSink()).CreateLogger(), Fast, CancellationToken.None);

    private static IEnumerable<int> Ids(string path) =>
        JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();

    private sealed class ListSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        /// <summary>Each event as its rendered message plus every property value.</summary>
        public IEnumerable<string> Text => Events.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Values));

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }

    private sealed class ManualTime : TimeProvider
    {
        public override long GetTimestamp() => 0;
    }
}
