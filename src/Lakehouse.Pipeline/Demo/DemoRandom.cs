namespace Lakehouse.Pipeline.Demo;

/// <summary>
/// SplitMix64: a tiny deterministic generator, so that every order, customer and product of the demo is a pure
/// function of (seed, stream, index) and a later batch can regenerate what earlier batches wrote without reading
/// them. <see cref="Random"/> is not used because its seeded sequence is not specified across .NET versions.
/// </summary>
internal struct DemoRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    private DemoRandom(ulong state) => _state = state;

    public static DemoRandom For(int seed, int stream, long index)
    {
        var mixer = new DemoRandom(((ulong)(uint)seed << 32) ^ (ulong)(uint)stream);
        var state = mixer.NextULong() ^ ((ulong)index * Gamma);
        return new DemoRandom(state);
    }

    public ulong NextULong()
    {
        _state += Gamma;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="bound"/>).</summary>
    public int Next(int bound) => (int)(NextULong() % (ulong)bound);

    /// <summary>A value in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A seed for Bogus' <c>Randomizer</c>.</summary>
    public int NextSeed() => (int)(NextULong() & int.MaxValue);
}
