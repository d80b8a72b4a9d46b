namespace Lakehouse.Pipeline.Http;

/// <summary>The fetcher's fixed policies, replaceable in tests so that they do not wait for real backoffs.</summary>
internal sealed record HttpFetchTuning
{
    /// <summary>The first retry's backoff; later ones double, with jitter. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff, and the longest Retry-After honoured. Default 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The handler requests go through; null for a new <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }
}
