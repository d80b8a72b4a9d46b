using System.Diagnostics;
using System.Globalization;
using Lakehouse.Embedded;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Serilog;

// Silver tasks on a small batch (issue 5's incremental run), one task at a time, in process on the embedded engine.
//
//   prepare STATE ROWS    the demo pipeline's full run at ROWS orders, then batch 2 (1 % of batch 1's order lines,
//                         as in the pipeline bench) landed and taken by the bronze jobs: silver has a batch to merge.
//                         STATE is kept, so builds of two commits can measure the same tables.
//   measure STATE WORK ROUNDS TASK[,TASK...]
//                         for each source TASK (orders, customers, products): WARM warm-up runs (environment, default
//                         2), then ROUNDS runs, each on a fresh copy of STATE under WORK; prints the median and minimum
//                         wall and process CPU time of the silver job (its ops.job_runs append included).
//
// Usage: dotnet run -c Release --project bench/Lakehouse.Silver.Bench -- prepare /tmp/silver-1m 1000000
//        dotnet run -c Release --project bench/Lakehouse.Silver.Bench -- measure /tmp/silver-1m /tmp/silver-work 7 products,orders,customers
// With LAKEHOUSE_EMBEDDED_TRACE=<file> the engine traces every statement (docs/embedded-engine.md); stderr marks when
// each run starts.
if (args is ["prepare", var stateRoot, var rowText])
{
    var rows = int.Parse(rowText, CultureInfo.InvariantCulture);
    Directory.CreateDirectory(stateRoot);
    var file = Path.Combine(stateRoot, PipelineConfigLoader.DefaultFileName);
    await File.WriteAllTextAsync(file, DemoData.PipelineFile);
    var config = PipelineConfigLoader.Load(file);
    var anchor = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    DemoData.Generate(config.Landing, new DemoOptions { Rows = rows, Batch = 1, Anchor = anchor });
    EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = config.Warehouse });
    using var log = new LoggerConfiguration().CreateLogger();
    var outcomes = await new GraphRunner(config, ct => SparkSession.Builder().Remote("local").CreateAsync(ct), new RunSettings { RunId = "prepare-1" }, log).RunAsync(2);
    Console.WriteLine($"full run: exit code {GraphRunner.ExitCode(outcomes)}");
    DemoData.Generate(config.Landing, new DemoOptions { Rows = rows, Batch = 2, NewOrders = Math.Max(5, rows / 170), Anchor = anchor });
    await using var spark = await SparkSession.Builder().Remote("local").CreateAsync();
    foreach (var source in config.Sources)
    {
        var report = await new PipelineRunner(config, spark, new RunSettings { RunId = "prepare-2" }, log).RunAsync(new JobRequest(JobKind.Bronze, source.Name));
        Console.WriteLine($"bronze {source.Name} (batch 2): {report.Status}, {report.RecordsWritten:N0} rows");
    }

    return 0;
}

if (args is not ["measure", var state, var work, var roundText, var taskList])
{
    Console.Error.WriteLine("usage: prepare STATE ROWS | measure STATE WORK ROUNDS TASK[,TASK...]");
    return 2;
}

var rounds = int.Parse(roundText, CultureInfo.InvariantCulture);
var warm = int.Parse(Environment.GetEnvironmentVariable("WARM") ?? "2", CultureInfo.InvariantCulture);
var tasks = taskList.Split(',');
// Tables are addressed by path; the warehouse option only names tables, which the jobs do not use.
EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = Path.Combine(work, "unused") });
using var quiet = new LoggerConfiguration().CreateLogger();
var n = 0;

foreach (var task in tasks)
{
    for (var w = 0; w < warm; w++)
    {
        await RunOnce(task);
    }
}

foreach (var task in tasks)
{
    var runs = new List<(double Wall, double Cpu, long Written)>();
    for (var i = 0; i < rounds; i++)
    {
        runs.Add(await RunOnce(task));
    }

    var walls = runs.Select(r => r.Wall).Order().ToList();
    var cpus = runs.Select(r => r.Cpu).Order().ToList();
    Console.WriteLine($"silver {task,-10} median {walls[rounds / 2],7:F0} ms wall {cpus[rounds / 2],7:F0} ms CPU   min {walls[0],7:F0} / {cpus[0],7:F0}   {runs[^1].Written:N0} written, {rounds} runs");
}

return 0;

// A fresh copy of the state per run, so every run merges the same batch into the same tables. A copy gets a new path:
// nothing the engine keeps by path from an earlier run applies to it.
async Task<(double Wall, double Cpu, long Written)> RunOnce(string task)
{
    var dir = Path.Combine(work, $"run-{++n}");
    Copy(state, dir);
    var config = PipelineConfigLoader.Load(Path.Combine(dir, PipelineConfigLoader.DefaultFileName));
    await using var spark = await SparkSession.Builder().Remote("local").CreateAsync();
    var runner = new PipelineRunner(config, spark, new RunSettings { RunId = $"measure-{n}" }, quiet);
    GC.Collect();
    Console.Error.WriteLine($"start {task} {DateTime.UtcNow:HH:mm:ss.fff}");
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var report = await runner.RunAsync(new JobRequest(JobKind.Silver, task));
    var wall = clock.Elapsed.TotalMilliseconds;
    var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
    if (report.Status != JobStatus.Succeeded)
    {
        throw new InvalidOperationException($"silver {task}: {report.Status}: {report.Error}");
    }

    Directory.Delete(dir, recursive: true);
    return (wall, used, report.RecordsWritten);
}

static void Copy(string from, string to)
{
    Directory.CreateDirectory(to);
    foreach (var d in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
    {
        Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
    }

    foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
    }
}
