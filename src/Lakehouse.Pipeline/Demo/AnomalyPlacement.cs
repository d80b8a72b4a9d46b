namespace Lakehouse.Pipeline.Demo;

/// <summary>Spreads a fixed number of each anomaly over distinct record indices, deterministically.</summary>
internal static class AnomalyPlacement
{
    /// <summary>Assigns <c>count</c> distinct indices in [1, <paramref name="size"/>] to each kind, in order.</summary>
    public static Dictionary<int, T> Place<T>(int size, DemoRandom random, params (T Kind, int Count)[] kinds)
        where T : struct
    {
        var total = kinds.Sum(k => k.Count);
        if (total > size)
        {
            throw new InvalidOperationException($"{total} anomalies do not fit in {size} records.");
        }

        var placed = new Dictionary<int, T>(total);
        foreach (var (kind, count) in kinds)
        {
            var left = count;
            while (left > 0)
            {
                var index = 1 + random.Next(size);
                if (placed.TryAdd(index, kind))
                {
                    left--;
                }
            }
        }

        return placed;
    }

    /// <summary>Picks <paramref name="count"/> distinct indices in [1, <paramref name="size"/>] that pass <paramref name="eligible"/>.</summary>
    public static List<int> Pick(int size, int count, ref DemoRandom random, Func<int, bool> eligible)
    {
        var picked = new List<int>(count);
        var seen = new HashSet<int>();
        // Bounded: the plan keeps far more eligible records than it picks, but a bug must not hang the demo.
        for (var attempt = 0; picked.Count < count && attempt < (count * 1000) + 10_000; attempt++)
        {
            var index = 1 + random.Next(size);
            if (seen.Add(index) && eligible(index))
            {
                picked.Add(index);
            }
        }

        return picked;
    }
}
