using System.Diagnostics;
using System.Globalization;
using Lakehouse.Embedded;
using Lakehouse.Spark;
using DeltaLog = Lakehouse.Delta.Snapshots.Snapshot;
using SparkDeltaTable = Lakehouse.Spark.Delta.DeltaTable;

// MERGE of a 1% change batch into a table clustered by key, against (a) rewriting the whole table with the
// change applied and (b) DuckDB reading only the files MERGE touched, joining and writing them back.
// Usage: dotnet run -c Release --project bench/Lakehouse.Merge.Bench -- [--rows N] [--files F]
var rows = Option("--rows", 10_000_000);
var files = Option("--files", 20);
var root = Path.Combine(Path.GetTempPath(), $"lakehouse-merge-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
try
{
    await using var server = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = root } });
    await using var spark = await SparkSession.Builder().Remote(server.ConnectionString).CreateAsync();
    Console.WriteLine($"rows {rows:N0}, files {files}, change batch {rows / 100:N0} rows (half updates of one key range, half new keys); {Environment.ProcessorCount} cores, .NET {Environment.Version}");

    // The change batch: updates of a contiguous key range (clustered: it falls in one file) and inserts of new keys.
    var changes = rows / 100;
    var updateFrom = rows / 2;
    var source = $"SELECT CAST(id AS BIGINT) AS id, 'changed-' || CAST(id AS VARCHAR) AS name, CAST(id * 3 AS BIGINT) AS amount FROM range({updateFrom}, {updateFrom + changes / 2}) AS r(id) "
               + $"UNION ALL SELECT CAST(id AS BIGINT), 'new-' || CAST(id AS VARCHAR), CAST(id AS BIGINT) FROM range({rows}, {rows + changes - changes / 2}) AS r(id)";

    var merge = await Measure("MERGE (copy-on-write, pruned)", async path =>
    {
        var batch = (await spark.SqlAsync(source)).Alias("s");
        await SparkDeltaTable.ForPath(spark, path).As("t").Merge(batch, "t.id = s.id").WhenMatched().UpdateAll().WhenNotMatched().InsertAll().ExecuteAsync();
    });

    var rewrite = await Measure("rewrite whole table", async path =>
    {
        var all = await spark.SqlAsync(
            $"SELECT coalesce(s.id, t.id) AS id, coalesce(s.name, t.name) AS name, coalesce(s.amount, t.amount) AS amount "
            + $"FROM delta.`{path}` AS t FULL OUTER JOIN ({source}) AS s ON t.id = s.id");
        await all.Write.Format("delta").Mode("overwrite").SaveAsync(path);
    });

    var duck = await Measure("DuckDB: touched files + join + write", async path =>
    {
        // The files MERGE rewrote: the ones whose id range holds a changed key (same statistics MERGE uses).
        var touched = DeltaLog.Load(path).Files.Where(f => Overlaps(f.Stats!, updateFrom, updateFrom + changes / 2 - 1))
            .Select(f => Path.Combine(path, f.Path)).ToList();
        var joined = await spark.SqlAsync(
            $"SELECT coalesce(s.id, t.id) AS id, coalesce(s.name, t.name) AS name, coalesce(s.amount, t.amount) AS amount "
            + $"FROM read_parquet([{string.Join(", ", touched.Select(p => $"'{p}'"))}]) AS t FULL OUTER JOIN ({source}) AS s ON t.id = s.id");
        await joined.Write.Format("parquet").Mode("overwrite").SaveAsync(Path.Combine(root, "duck-out-" + Guid.NewGuid().ToString("N")));
    });

    Console.WriteLine();
    Console.WriteLine("| target (issue 4) | measured | met |");
    Console.WriteLine("| --- | ---: | --- |");
    Console.WriteLine($"| MERGE ≤ 0.15× whole-table rewrite | {merge.Ms / rewrite.Ms:F2}× | {(merge.Ms <= 0.15 * rewrite.Ms ? "yes" : "no")} |");
    Console.WriteLine($"| MERGE ≤ 1.3× DuckDB touched files + join + write | {merge.Ms / duck.Ms:F2}× | {(merge.Ms <= 1.3 * duck.Ms ? "yes" : "no")} |");
    Console.WriteLine($"| write amplification of MERGE (bytes written per changed byte) | {merge.Amplification:F1} | – |");

    // Each case runs on a fresh copy of the table: one warm-up run (JIT, DuckDB caches), then the median of 3.
    async Task<(double Ms, double Amplification)> Measure(string name, Func<string, Task> run)
    {
        var times = new List<double>();
        double amplification = 0;
        for (var i = 0; i < 4; i++)
        {
            var path = Path.Combine(root, name.Split(' ')[0].ToLowerInvariant().Trim(':') + "-" + Guid.NewGuid().ToString("N")[..6]);
            await Build(path);
            var before = DeltaLog.Load(path);
            var bytesPerRow = (double)before.Files.Sum(f => f.Size) / rows;
            var clock = Stopwatch.StartNew();
            await run(path);
            var ms = clock.Elapsed.TotalMilliseconds;
            var after = DeltaLog.Load(path);
            var written = after.Files.Where(f => !before.Files.Any(b => b.Path == f.Path)).Sum(f => f.Size);
            amplification = written / (bytesPerRow * changes);
            if (i > 0)
            {
                times.Add(ms);
            }

            if (i == 3)
            {
                Console.WriteLine($"{name,-40} median {times.Order().ElementAt(1),8:F0} ms (min {times.Min():F0}, max {times.Max():F0})   files {before.Files.Count} → {after.Files.Count}, {written:N0} bytes written"
                    + (after.Version > before.Version ? "   " + Metrics(path, after.Version) : ""));
            }

            Directory.Delete(path, recursive: true);
        }

        return (times.Order().ElementAt(1), amplification);
    }

    static string Metrics(string path, long version)
    {
        var info = Lakehouse.Delta.Maintenance.TableHistory.Read(path, 1)[0];
        return info.Operation == "MERGE"
            ? $"[scan {info.OperationMetrics["scanTimeMs"]} ms, rewrite {info.OperationMetrics["rewriteTimeMs"]} ms, total {info.OperationMetrics["executionTimeMs"]} ms]"
            : "";
    }

    async Task Build(string path)
    {
        var per = rows / files;
        for (var i = 0; i < files; i++)
        {
            var df = await spark.SqlAsync($"SELECT CAST(id AS BIGINT) AS id, 'name-' || CAST(id AS VARCHAR) AS name, CAST(id * 2 AS BIGINT) AS amount FROM range({i * per}, {(i == files - 1 ? rows : (i + 1) * per)}) AS r(id)");
            await df.Write.Format("delta").Mode(i == 0 ? "errorifexists" : "append").SaveAsync(path);
        }
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static bool Overlaps(string stats, long from, long to)
{
    using var doc = System.Text.Json.JsonDocument.Parse(stats);
    var min = doc.RootElement.GetProperty("minValues").GetProperty("id").GetInt64();
    var max = doc.RootElement.GetProperty("maxValues").GetProperty("id").GetInt64();
    return min <= to && from <= max;
}
