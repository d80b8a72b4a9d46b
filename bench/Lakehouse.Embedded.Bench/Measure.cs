using System.Diagnostics;
using System.Runtime;

namespace Lakehouse.Embedded.Bench;

/// <summary>Times async actions: warm-up runs, then the median (and min/max) of measured runs, in milliseconds.</summary>
internal static class Measure
{
    /// <summary>A warm-up round in which the JIT (all threads) compiled for less than this counts as quiet.</summary>
    private static readonly TimeSpan QuietJit = TimeSpan.FromMilliseconds(1);

    public sealed record Result(string Name, double MedianMs, double MinMs, double MaxMs, int Runs);

    public static async Task<Result> RunAsync(string name, Func<Task> action, int runs, int warmups = 1) =>
        (await RunInterleavedAsync([(name, action)], runs, warmups))[0];

    /// <summary>
    /// Times several actions whose ratio is reported: run i of every action happens before run i + 1 of any, so a
    /// machine that slows down or speeds up during the benchmark affects all of them alike.
    /// </summary>
    /// <param name="settleJit">
    /// After the <paramref name="warmups"/>, keep running warm-up rounds (at most <paramref name="maxSettleRounds"/>)
    /// until two rounds in a row leave the JIT quiet. Tiered compilation recompiles a method only after about 30 calls
    /// and only once no new code has been compiled for 100 ms, so a managed stack that runs each method a few times per
    /// action (the engine, its gRPC client and server) is still being recompiled in the background many actions later,
    /// on cores the timed query needs, in whichever case happens to run then.
    /// </param>
    /// <param name="maxSettleRounds">The most extra warm-up rounds <paramref name="settleJit"/> may add.</param>
    /// <param name="onSettled">Told how many warm-up rounds ran in all and whether the JIT went quiet.</param>
    public static async Task<IReadOnlyList<Result>> RunInterleavedAsync(
        IReadOnlyList<(string Name, Func<Task> Action)> cases,
        int runs,
        int warmups = 1,
        bool settleJit = false,
        int maxSettleRounds = 100,
        Action<int, bool>? onSettled = null)
    {
        var rounds = 0;
        var quietRounds = 0;
        while (rounds < warmups || (settleJit && quietRounds < 2 && rounds < warmups + maxSettleRounds))
        {
            var jit = JitInfo.GetCompilationTime();
            foreach (var (_, action) in cases)
            {
                await action();
            }

            quietRounds = JitInfo.GetCompilationTime() - jit < QuietJit ? quietRounds + 1 : 0;
            rounds++;
        }

        onSettled?.Invoke(rounds, quietRounds >= 2);
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
