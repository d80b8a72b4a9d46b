using System.Globalization;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using Lakehouse.Embedded;
using Lakehouse.Embedded.Bench;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

// Embedded engine benchmarks (issue 3): overhead against DuckDB alone on a Parquet scan + filter + group-by and the
// fixed cost of one action, both through Remote("local") (the engine in process), and the Arrow result throughput of
// the engine's gRPC server (ConnectServer on loopback), and a Delta table read with deletion vectors on every file
// against the same table without them.
// Usage: dotnet run -c Release --project bench/Lakehouse.Embedded.Bench [-- --rows N] [-- --runs R] [-- --dv-files F]
var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(long.Parse).FirstOrDefault(10_000_000);
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(5);
var dvFiles = args.SkipWhile(a => a != "--dv-files").Skip(1).Select(int.Parse).FirstOrDefault(20);
var root = Path.Combine(Path.GetTempPath(), $"lakehouse-embedded-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
var ci = CultureInfo.InvariantCulture;
var results = new List<Measure.Result>();

try
{
    Console.WriteLine($"# Lakehouse.Embedded benchmarks — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; {rows:N0} rows, {runs} measured runs each, median reported.");
    Console.WriteLine();

    var parquet = BenchData.Write(root, rows);
    EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = Path.Combine(root, "warehouse") });
    await using var spark = await SparkSession.Builder().Remote("local").CreateAsync();

    // 1. Scan + filter + group-by: DuckDB alone and the same through the engine (plan → SQL → Arrow batches → rows),
    // run alternately so that both see the same machine.
    using (var duck = new DuckDBConnection("DataSource=:memory:"))
    {
        duck.Open();
        var grouped = spark.Read.Parquet(parquet).Filter(Col("v") > 100).GroupBy("k").Agg(Count(Lit(1)).Alias("n"), Sum(Col("x")).Alias("total"));
        results.AddRange(await Measure.RunInterleavedAsync(
        [
            ("scan+filter+group-by, DuckDB directly", () => Task.FromResult(BenchData.DirectQuery(duck, parquet))),
            ("scan+filter+group-by, embedded engine", () => grouped.CollectAsync()),
        ], runs, settleJit: true, onSettled: (rounds, quiet) => Console.WriteLine(quiet
            ? $"Warm-up: {rounds} rounds of both cases, until two in a row left the JIT quiet.\n"
            : $"Warm-up: {rounds} rounds of both cases; the JIT was still compiling (timings include its background work).\n")));
    }

    // 2. The fixed cost of one action: a one-row query, in process.
    var tiny = spark.Range(0, 1);
    results.Add(await Measure.RunAsync("one-row action (fixed cost)", () => tiny.CollectAsync(), Math.Max(runs, 20), warmups: 3));

    // 3. Arrow result throughput of the gRPC server: every row of the file streamed to a client over loopback.
    await using var server = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = Path.Combine(root, "warehouse") } });
    await using var remote = await SparkSession.Builder().Remote(server.ConnectionString).CreateAsync();
    var all = remote.Read.Parquet(parquet);
    var streamed = await Measure.RunAsync("stream all rows as Arrow", async () =>
    {
        long n = 0;
        await foreach (var batch in all.ToArrowAsync())
        {
            n += batch.Length;
            batch.Dispose();
        }

        if (n != rows)
        {
            throw new InvalidOperationException($"streamed {n} rows, expected {rows}");
        }
    }, runs);
    results.Add(streamed);

    // 4. A Delta table with a deletion vector on every file (0.1 % of rows deleted) against the same table without,
    // the gold-like query on both, alternating, after the JIT went quiet.
    var (plainTable, dvTable, deletedRows) = await DeletionVectorData.WriteAsync(spark, root, rows, dvFiles);
    var plainQuery = DeletionVectorData.DailyRevenue(spark, plainTable);
    var dvQuery = DeletionVectorData.DailyRevenue(spark, dvTable);
    results.AddRange(await Measure.RunInterleavedAsync(
    [
        ($"Delta scan+filter+group-by (count distinct), {dvFiles} files, no deletion vectors", () => plainQuery.CollectAsync()),
        ($"Delta scan+filter+group-by (count distinct), {dvFiles} files, deletion vectors on every file ({deletedRows:N0} rows deleted)", () => dvQuery.CollectAsync()),
    ], runs, settleJit: true, onSettled: (rounds, quiet) => Console.WriteLine(quiet
        ? $"Deletion-vector warm-up: {rounds} rounds of both cases, until two in a row left the JIT quiet.\n"
        : $"Deletion-vector warm-up: {rounds} rounds of both cases; the JIT was still compiling.\n")));

    Console.WriteLine("| case | median ms | min ms | max ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var r in results)
    {
        Console.WriteLine(string.Create(ci, $"| {r.Name} | {r.MedianMs:F2} | {r.MinMs:F2} | {r.MaxMs:F2} |"));
    }

    double Median(string prefix) => results.Single(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).MedianMs;
    var ratio = Median("scan+filter+group-by, embedded") / Median("scan+filter+group-by, DuckDB");
    var fixedCost = Median("one-row action");
    var throughput = rows / (streamed.MedianMs / 1000.0);
    var dvRatio = Median("Delta scan+filter+group-by (count distinct), " + dvFiles + " files, deletion") / Median("Delta scan+filter+group-by (count distinct), " + dvFiles + " files, no");
    Console.WriteLine();
    Console.WriteLine("| target (issue 3) | measured | met |");
    Console.WriteLine("| --- | ---: | --- |");
    Console.WriteLine(string.Create(ci, $"| engine / DuckDB on {rows:N0}-row scan + filter + group-by ≤ 1.10 | {ratio:F2} | {(ratio <= 1.10 ? "yes" : "no")} |"));
    Console.WriteLine(string.Create(ci, $"| fixed cost per action ≤ 50 ms | {fixedCost:F1} ms | {(fixedCost <= 50 ? "yes" : "no")} |"));
    Console.WriteLine(string.Create(ci, $"| Arrow result throughput over gRPC (reported) | {throughput:N0} rows/s | — |"));
    Console.WriteLine(string.Create(ci, $"| Delta read with deletion vectors / without, {rows:N0} rows in {dvFiles} files ≤ 1.15 (issue 5) | {dvRatio:F2} | {(dvRatio <= 1.15 ? "yes" : "no")} |"));
}
finally
{
    Directory.Delete(root, recursive: true);
}
