namespace Lakehouse.Pipeline.Configuration;

/// <summary>An HTTP JSON API source: what to fetch and how politely.</summary>
public sealed record HttpSourceConfig
{
    /// <summary>The absolute http(s) URL of the first page.</summary>
    public required Uri Url { get; init; }

    /// <summary>How pages are requested; null for a single request.</summary>
    public PagingConfig? Paging { get; init; }

    /// <summary>The most requests per second; default 5.</summary>
    public double RateLimitPerSecond { get; init; } = 5;

    /// <summary>Retries of a failed request (with exponential backoff); default 5.</summary>
    public int Retries { get; init; } = 5;

    /// <summary>The timeout of one request in seconds; default 30.</summary>
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>Request headers; values may hold secrets (resolved from <c>${env:NAME}</c>), so never log them.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
