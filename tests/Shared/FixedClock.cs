namespace Lakehouse.Testing;

/// <summary>A clock that always says <paramref name="now"/>, so tests about retention and timestamps never sleep.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
