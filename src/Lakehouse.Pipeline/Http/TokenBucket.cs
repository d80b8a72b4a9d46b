namespace Lakehouse.Pipeline.Http;

/// <summary>
/// A token bucket: <c>rate</c> tokens a second, holding at most a second's worth (at least one), so a source may
/// burst that much and otherwise keeps to its rate. Callers reserve a token and wait the time the reservation says,
/// outside any lock; every request, retries included, takes one.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, TimeProvider time)
    {
        _rate = ratePerSecond;
        _capacity = Math.Max(1, ratePerSecond);
        _time = time;
        _tokens = _capacity;
        _last = time.GetTimestamp();
    }

    /// <summary>Waits until a token is available and takes it; a non-positive rate means no limit.</summary>
    public async Task TakeAsync(CancellationToken ct)
    {
        if (_rate <= 0)
        {
            return;
        }

        var wait = Reserve(_time.GetTimestamp());
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Takes a token at <paramref name="timestamp"/> (in <see cref="TimeProvider.GetTimestamp"/> units) and
    /// returns how long the caller must wait before using it; tokens go negative for reservations not yet due.</summary>
    internal TimeSpan Reserve(long timestamp)
    {
        lock (_sync)
        {
            var elapsed = (timestamp - _last) / (double)_time.TimestampFrequency;
            _last = Math.Max(_last, timestamp);
            _tokens = Math.Min(_capacity, _tokens + (Math.Max(0, elapsed) * _rate));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
        }
    }
}
