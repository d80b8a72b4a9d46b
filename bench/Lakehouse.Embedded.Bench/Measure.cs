using System.Diagnostics;

namespace Lakehouse.Embedded.Bench;

/// <summary>Times async actions: warm-up runs, then the median (and min/max) of measured runs, in milliseconds.</summary>
internal static class Measure
{
    public sealed record Result(string Name, double MedianMs, double MinMs, double MaxMs, int Runs);

    public static async Task<Result> RunAsync(string name, Func<Task> action, int runs, int warmups = 1) =>
        (await RunInterleavedAsync([(name, action)], runs, warmups))[0];

    /// <summary>
    /// Times several actions whose ratio is reported: run i of every action happens before run i + 1 of any, so a
    /// machine that slows down or speeds up during the benchmark affects all of them alike.
    /// </summary>
    public static async Task<IReadOnlyList<Result>> RunInterleavedAsync(IReadOnlyList<(string Name, Func<Task> Action)> cases, int runs, int warmups = 1)
    {
        for (var i = 0; i < warmups; i++)
        {
            foreach (var (_, action) in cases)
            {
                await action();
            }
        }

        var times = cases.Select(_ => new double[runs]).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var c = 0; c < cases.Count; c++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var sw = Stopwatch.StartNew();
                await cases[c].Action();
                times[c][i] = sw.Elapsed.TotalMilliseconds;
            }
        }

        return cases.Select((c, k) =>
        {
            Array.Sort(times[k]);
            return new Result(c.Name, times[k][runs / 2], times[k][0], times[k][^1], runs);
        }).ToList();
    }
}
