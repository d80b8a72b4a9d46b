using System.Globalization;
using System.Runtime.InteropServices;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Bench;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Transactions;

// Delta log benchmarks (issue 2): snapshot load against log length and file count, and the log work of one append.
// Usage: dotnet run -c Release --project bench/Lakehouse.Delta.Bench [-- --runs N] [-- --quick]
var quick = args.Contains("--quick");
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(quick ? 3 : 9);
var root = Path.Combine(Path.GetTempPath(), $"lakehouse-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
var ci = CultureInfo.InvariantCulture;
var results = new List<Measure.Result>();

try
{
    Console.WriteLine($"# Lakehouse.Delta log benchmarks — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && c}.");
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; {runs} measured runs each, median reported.");
    Console.WriteLine();

    // 1. Snapshot load against the number of commits, with and without checkpoints, at a fixed 100 active files.
    int[] commitCounts = quick ? [10, 100, 1000] : [10, 100, 1000, 10000];
    foreach (var checkpoints in new[] { false, true })
    {
        foreach (var n in commitCounts)
        {
            var path = SyntheticLog.Create(root, n, files: 100, checkpoints);
            results.Add(Measure.Run($"load {n} commits ({(checkpoints ? "checkpoints" : "JSON only")})", () => Snapshot.Load(path), runs));
        }
    }

    // 2. Snapshot load against the number of files (all in a checkpoint, as any table with many files has).
    foreach (var files in quick ? new[] { 1000, 10000 } : [1000, 100_000])
    {
        var path = SyntheticLog.Create(root, commits: 1, files, checkpoints: true);
        results.Add(Measure.Run($"load {files} files (checkpoint)", () => Snapshot.Load(path), runs));
    }

    // 3. The log work of one append commit on a 1k-file table: load the snapshot, start a transaction,
    //    add one file, commit (conflict check, JSON write, and the periodic checkpoint when one falls due).
    var appendTable = SyntheticLog.Create(root, commits: 1, files: 1000, checkpoints: true);
    var next = 1_000_000L;
    results.Add(Measure.Run("append commit log work at 1k files", () =>
    {
        var tx = Transaction.Start(Snapshot.Load(appendTable), "WRITE");
        tx.Add(SyntheticLog.File(next++));
        tx.Commit();
    }, runs: Math.Max(runs, 20)));

    Console.WriteLine("| case | median ms | min ms | max ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var r in results)
    {
        Console.WriteLine(string.Create(ci, $"| {r.Name} | {r.MedianMs:F2} | {r.MinMs:F2} | {r.MaxMs:F2} |"));
    }

    double Median(string name) => results.Single(r => r.Name == name).MedianMs;
    Console.WriteLine();
    Console.WriteLine("| target | measured | met |");
    Console.WriteLine("| --- | ---: | --- |");
    var top = commitCounts[^1];
    var ratio = Median($"load {top} commits (checkpoints)") / Median("load 100 commits (checkpoints)");
    Console.WriteLine(string.Create(ci, $"| with checkpoints, load at {top} commits ≤ 2× load at 100 commits | {ratio:F2}× | {(ratio <= 2 ? "yes" : "no")} |"));
    var bigFiles = results.Where(r => r.Name.EndsWith("files (checkpoint)", StringComparison.Ordinal)).Last();
    Console.WriteLine(string.Create(ci, $"| {bigFiles.Name} < 250 ms | {bigFiles.MedianMs:F1} ms | {(bigFiles.MedianMs < 250 ? "yes" : "no")} |"));
    var append = Median("append commit log work at 1k files");
    Console.WriteLine(string.Create(ci, $"| append commit log work at 1k files ≤ 50 ms | {append:F1} ms | {(append <= 50 ? "yes" : "no")} |"));
}
finally
{
    Directory.Delete(root, recursive: true);
}
