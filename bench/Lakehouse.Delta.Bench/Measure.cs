using System.Diagnostics;

namespace Lakehouse.Delta.Bench;

/// <summary>Times an action: warm-up runs, then the median (and min/max) of measured runs, in milliseconds.</summary>
internal static class Measure
{
    public sealed record Result(string Name, double MedianMs, double MinMs, double MaxMs, int Runs);

    public static Result Run(string name, Action action, int runs, int warmups = 2)
    {
        for (var i = 0; i < warmups; i++)
        {
            action();
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return new Result(name, times[runs / 2], times[0], times[^1], runs);
    }
}
