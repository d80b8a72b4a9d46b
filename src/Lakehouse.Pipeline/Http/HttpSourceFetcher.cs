using System.Net;
using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Serilog;

namespace Lakehouse.Pipeline.Http;

/// <summary>
/// Fetches an HTTP JSON API source into the landing zone, page by page, so that bronze ingests (and can always replay)
/// the pages like any other landing files.
/// </summary>
/// <remarks>
/// Each request waits for the source's token bucket (<c>rate_limit_per_second</c>), has its own timeout
/// (<c>timeout_seconds</c>), and is retried up to <c>retries</c> times on 5xx, 408, 429, timeouts and connection
/// failures, with exponential backoff and jitter, or after the server's <c>Retry-After</c> when it sends one. Any other
/// answer that is not a success is the source's configuration's fault and stops the fetch at once. Each page body is
/// written to the landing directory before it is parsed, under a temporary name renamed when complete, so a crash
/// leaves no half page for bronze; a page that is not valid JSON stays saved and is reported. With paging, pages
/// 1, 2, … are requested until a page is empty, holds fewer records than the page size, or <c>max_pages</c> were
/// fetched. Header values (secrets from the environment) are sent, never logged; logs name the URL without its query.
/// </remarks>
public static class HttpSourceFetcher
{
    /// <summary>Fetches every page of <paramref name="http"/> into <paramref name="landingDir"/>.</summary>
    /// <param name="http">The source's HTTP settings.</param>
    /// <param name="landingDir">The directory the pages are saved in (created if missing).</param>
    /// <param name="batchId">Names this fetch's files (<c>&lt;batch id&gt;-page-00001.json</c>); characters a file
    /// name should not hold become <c>_</c>.</param>
    /// <param name="log">Where progress, retries and malformed pages are reported.</param>
    /// <param name="ct">Cancels the fetch.</param>
    /// <returns>The pages saved, in page order.</returns>
    /// <exception cref="PipelineInputException">The server answered a client error other than 408/429 (wrong URL,
    /// missing or refused credentials): retrying cannot help.</exception>
    /// <exception cref="HttpRequestException">A request still failed after the retries; the pages before it stay saved.</exception>
    public static Task<IReadOnlyList<FetchedPage>> FetchAsync(HttpSourceConfig http, string landingDir, string batchId, ILogger log, CancellationToken ct = default) =>
        FetchAsync(http, landingDir, batchId, log, new HttpFetchTuning(), ct);

    internal static async Task<IReadOnlyList<FetchedPage>> FetchAsync(
        HttpSourceConfig http, string landingDir, string batchId, ILogger log, HttpFetchTuning tuning, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(landingDir);
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(landingDir);

        using var client = tuning.Handler is null ? new HttpClient() : new HttpClient(tuning.Handler, disposeHandler: false);
        // The per-attempt timeout of the pipeline below governs; HttpClient's own 100 s default must not cut it short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        var bucket = new TokenBucket(http.RateLimitPerSecond, tuning.Time);
        var where = http.Url.GetLeftPart(UriPartial.Path);
        var name = SafeName(batchId);
        var pages = new List<FetchedPage>();
        var lastPage = http.Paging?.MaxPages ?? 1;
        for (var page = 1; page <= lastPage; page++)
        {
            var url = http.Paging is { } paging ? PageUrl(http.Url, paging, page) : http.Url;
            var (response, attempts) = await GetAsync(client, http, url, bucket, Pipeline(http, tuning, log, where, page), where, page, ct).ConfigureAwait(false);
            using var answer = response;
            if (!response.IsSuccessStatusCode)
            {
                var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                if (IsTransient(response.StatusCode))
                {
                    throw new HttpRequestException($"GET {where} (page {page}) still answered {status} after {attempts} attempts; the pages before it are saved, run the job again later.", null, response.StatusCode);
                }

                throw new PipelineInputException($"GET {where} (page {page}) answered {status}; check the source's http.url and http.headers (credentials come from the environment) in the pipeline file.");
            }

            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var path = await SaveAsync(landingDir, $"{name}-page-{page:D5}.json", body, ct).ConfigureAwait(false);
            var (records, error) = Parse(body);
            pages.Add(new FetchedPage(page, path, body.Length, records, attempts, error));
            if (error is not null)
            {
                log.Warning("Page {Page} of {Url} is not valid JSON ({Error}); saved as {Path} for bronze to keep as malformed", page, where, error, path);
            }
            else
            {
                log.Information("Fetched page {Page} of {Url}: {Records} records, {Bytes} bytes, {Attempts} attempts", page, where, records, body.Length, attempts);
            }

            if (http.Paging is { } p && records is { } count && count < p.Size)
            {
                break;
            }
        }

        return pages;
    }

    private static async Task<(HttpResponseMessage Response, int Attempts)> GetAsync(HttpClient client, HttpSourceConfig http, Uri url,
        TokenBucket bucket, ResiliencePipeline<HttpResponseMessage> pipeline, string where, int page, CancellationToken ct)
    {
        var attempts = 0;
        try
        {
            var response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                await bucket.TakeAsync(token).ConfigureAwait(false);
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                foreach (var (header, value) in http.Headers)
                {
                    request.Headers.TryAddWithoutValidation(header, value);
                }

                // ResponseContentRead: the body is read inside the attempt, so a slow body times out and is retried too.
                return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            return (response, attempts);
        }
        catch (TimeoutRejectedException e)
        {
            throw new HttpRequestException($"GET {where} (page {page}) took longer than {http.TimeoutSeconds} s on all {attempts} attempts; the pages before it are saved, run the job again later or raise http.timeout_seconds.", e);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new HttpRequestException($"GET {where} (page {page}) failed on all {attempts} attempts ({e.Message}); the pages before it are saved, run the job again later.", e);
        }
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    internal static Uri PageUrl(Uri url, PagingConfig paging, int page)
    {
        var query = url.Query.TrimStart('?');
        var extra = $"{Uri.EscapeDataString(paging.PageParam)}={page}&{Uri.EscapeDataString(paging.SizeParam)}={paging.Size}";
        return new UriBuilder(url) { Query = query.Length == 0 ? extra : query + "&" + extra }.Uri;
    }

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(HttpSourceConfig http, HttpFetchTuning tuning, ILogger log, string where, int page)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = tuning.Time };
        if (http.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                MaxRetryAttempts = http.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = tuning.BaseDelay,
                MaxDelay = tuning.MaxDelay,
                // RFC 9110 §10.2.3: the server says when to come back; honour it (up to MaxDelay) instead of guessing.
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, tuning)),
                OnRetry = args =>
                {
                    var why = args.Outcome.Exception is { } e ? e.GetType().Name : $"{(int)args.Outcome.Result!.StatusCode}";
                    log.Warning("GET {Url} (page {Page}) failed with {Reason}; retry {Retry} of {Retries} in {Delay}", where, page, why,
                        args.AttemptNumber + 1, http.Retries, args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(TimeSpan.FromSeconds(http.TimeoutSeconds)).Build();
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, HttpFetchTuning tuning)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - tuning.Time.GetUtcNow() : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, tuning.MaxDelay.Ticks)) : null;
    }

    private static async Task<string> SaveAsync(string directory, string fileName, byte[] body, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(directory, fileName));
        // Not *.json until complete: bronze lists *.json, so it never sees a page a crash cut short.
        var partial = path + ".partial";
        await File.WriteAllBytesAsync(partial, body, ct).ConfigureAwait(false);
        File.Move(partial, path, overwrite: true);
        return path;
    }

    private static (int? Records, string? Error) Parse(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return (doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : 1, null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    private static string SafeName(string batchId) =>
        string.Concat(batchId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
