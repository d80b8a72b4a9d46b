using System.Diagnostics;

namespace Lakehouse.Embedded.Bench;

/// <summary>Times an async action: warm-up runs, then the median (and min/max) of measured runs, in milliseconds.</summary>
internal static class Measure
{
    public sealed record Result(string Name, double MedianMs, double MinMs, double MaxMs, int Runs);

    public static async Task<Result> RunAsync(string name, Func<Task> action, int runs, int warmups = 1)
    {
        for (var i = 0; i < warmups; i++)
        {
            await action();
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var sw = Stopwatch.StartNew();
            await action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return new Result(name, times[runs / 2], times[0], times[^1], runs);
    }
}
