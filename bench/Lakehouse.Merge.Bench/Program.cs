using System.Diagnostics;
using System.Globalization;
using Lakehouse.Embedded;
using Lakehouse.Spark;
using DeltaLog = Lakehouse.Delta.Snapshots.Snapshot;
using SparkDeltaTable = Lakehouse.Spark.Delta.DeltaTable;

// MERGE of a 1% change batch into a table clustered by key, against (a) rewriting the whole table with the
// change applied and (b) DuckDB reading only the files MERGE touched, joining and writing them back.
// With --deletion-vectors, also the same MERGE on a copy with delta.enableDeletionVectors=true (merge-on-read).
// With --change-data-feed, also each MERGE case on a copy with delta.enableChangeDataFeed=true (cdc files written too).
// Usage: dotnet run -c Release --project bench/Lakehouse.Merge.Bench -- [--rows N] [--files F] [--runs R] [--case merge|rewrite|duckdb] [--deletion-vectors] [--change-data-feed]
var rows = Option("--rows", 10_000_000);
var files = Option("--files", 20);
// 15 rounds: with 3, the ratio moved 0.75–1.37× between blocks of one run (docs/decisions.md, Session 6: MERGE speed).
var runs = Option("--runs", 15);
var only = args.SkipWhile(a => a != "--case").Skip(1).FirstOrDefault();
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

    // The table is built once through the engine; every run works on a fresh file copy of it.
    var template = Path.Combine(root, "template");
    await Build(template);

    var cases = new List<Case>
    {
        new("MERGE (copy-on-write, pruned)", async path =>
        {
            var batch = (await spark.SqlAsync(source)).Alias("s");
            await SparkDeltaTable.ForPath(spark, path).As("t").Merge(batch, "t.id = s.id").WhenMatched().UpdateAll().WhenNotMatched().InsertAll().ExecuteAsync();
        }),
        // Nine small appends first (keys no change touches), so the MERGE commits version 30 and writes the checkpoint
        // that Delta's default delta.checkpointInterval (10) asks of one commit in ten.
        new("MERGE landing on a checkpoint version", async path =>
        {
            var batch = (await spark.SqlAsync(source)).Alias("s");
            await SparkDeltaTable.ForPath(spark, path).As("t").Merge(batch, "t.id = s.id").WhenMatched().UpdateAll().WhenNotMatched().InsertAll().ExecuteAsync();
        })
        {
            Prepare = async path =>
            {
                for (var k = 0; k < 9; k++)
                {
                    var one = await spark.SqlAsync($"SELECT CAST({3L * rows + k} AS BIGINT) AS id, 'extra' AS name, CAST(0 AS BIGINT) AS amount");
                    await one.Write.Format("delta").Mode("append").SaveAsync(path);
                }
            },
        },
        new("rewrite whole table", async path =>
        {
            var all = await spark.SqlAsync(
                $"SELECT coalesce(s.id, t.id) AS id, coalesce(s.name, t.name) AS name, coalesce(s.amount, t.amount) AS amount "
                + $"FROM delta.`{path}` AS t FULL OUTER JOIN ({source}) AS s ON t.id = s.id");
            await all.Write.Format("delta").Mode("overwrite").SaveAsync(path);
        }),
        new("DuckDB: touched files + join + write", async path =>
        {
            // The files MERGE rewrote: the ones whose id range holds a changed key (same statistics MERGE uses).
            var touched = DeltaLog.Load(path).Files.Where(f => Overlaps(f.Stats!, updateFrom, updateFrom + changes / 2 - 1))
                .Select(f => Path.Combine(path, f.Path)).ToList();
            await spark.Read.Parquet([.. touched]).CreateOrReplaceTempViewAsync("touched");
            var joined = await spark.SqlAsync(
                $"SELECT coalesce(s.id, t.id) AS id, coalesce(s.name, t.name) AS name, coalesce(s.amount, t.amount) AS amount "
                + $"FROM touched AS t FULL OUTER JOIN ({source}) AS s ON t.id = s.id");
            await joined.Write.Format("parquet").Mode("overwrite").SaveAsync(Path.Combine(root, "duck-out-" + Guid.NewGuid().ToString("N")));
        }),
    };
    var deletionVectors = args.Contains("--deletion-vectors");
    if (deletionVectors)
    {
        // The property is set on the copy before the clock starts (one commit, so the MERGE commits a plain version too).
        cases.Add(new("MERGE (deletion vectors, pruned)", cases[0].Run)
        {
            Prepare = path =>
            {
                Lakehouse.Delta.DeltaTable.ForPath(path).SetProperties(new Dictionary<string, string> { ["delta.enableDeletionVectors"] = "true" });
                return Task.CompletedTask;
            },
        });
    }

    var feedPairs = new List<(Case Plain, Case Feed)>();
    if (args.Contains("--change-data-feed"))
    {
        foreach (var plain in cases.Where(c => c.Name.StartsWith("MERGE (", StringComparison.Ordinal)).ToList())
        {
            var feed = new Case(plain.Name.Replace(", pruned)", " + change data feed)", StringComparison.Ordinal), plain.Run)
            {
                Prepare = async path =>
                {
                    if (plain.Prepare is not null)
                    {
                        await plain.Prepare(path);
                    }

                    Lakehouse.Delta.DeltaTable.ForPath(path).SetProperties(new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "true" });
                },
            };
            cases.Add(feed);
            feedPairs.Add((plain, feed));
        }
    }

    cases.RemoveAll(c => only is not null && !c.Name.StartsWith(only, StringComparison.OrdinalIgnoreCase));

    // One warm-up round (JIT, DuckDB caches), then --runs rounds. The cases take turns within a round, so a change in
    // the machine's load hits all of them alike; each run works on a fresh copy of the table.
    var process = Process.GetCurrentProcess();
    for (var round = 0; round <= runs; round++)
    {
        foreach (var c in cases)
        {
            var path = Path.Combine(root, c.Name.Split(' ')[0].ToLowerInvariant().Trim(':') + "-" + Guid.NewGuid().ToString("N")[..6]);
            Copy(template, path);
            if (c.Prepare is not null)
            {
                await c.Prepare(path);
            }

            var before = DeltaLog.Load(path);
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await c.Run(path);
            var ms = clock.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            var after = DeltaLog.Load(path);
            c.Written = after.Files.Where(f => !before.Files.Any(b => b.Path == f.Path)).Sum(f => f.Size);
            c.Amplification = c.Written / ((double)before.Files.Sum(f => f.Size) / rows * changes);
            c.Summary = $"files {before.Files.Count} → {after.Files.Count}" + (after.Version > before.Version ? "   " + Metrics(path, after.Version) : "");
            if (round > 0)
            {
                c.Times.Add(ms);
                c.CpuTimes.Add(cpuMs);
            }

            Directory.Delete(path, recursive: true);
        }
    }

    foreach (var c in cases)
    {
        Console.WriteLine($"{c.Name,-40} median {Median(c.Times),6:F0} ms (min {c.Times.Min():F0}, max {c.Times.Max():F0}), process CPU median {Median(c.CpuTimes):F0} ms   {c.Summary}, {c.Written:N0} bytes written");
    }

    foreach (var (plain, feed) in feedPairs.Where(p => cases.Contains(p.Plain) && cases.Contains(p.Feed)))
    {
        Console.WriteLine($"{feed.Name} / {plain.Name}: {Median(feed.Times) / Median(plain.Times):F2}× wall, {Median(feed.CpuTimes) / Median(plain.CpuTimes):F2}× process CPU");
    }

    cases.RemoveAll(c => feedPairs.Any(p => p.Feed == c));
    if (deletionVectors && cases.Count >= 2 && cases[0].Name.StartsWith("MERGE (copy", StringComparison.Ordinal) && cases[^1].Name.StartsWith("MERGE (deletion", StringComparison.Ordinal))
    {
        Console.WriteLine($"MERGE with deletion vectors / copy-on-write: {Median(cases[^1].Times) / Median(cases[0].Times):F2}× wall, {Median(cases[^1].CpuTimes) / Median(cases[0].CpuTimes):F2}× process CPU");
        cases.RemoveAt(cases.Count - 1);
    }

    if (cases.Count == 4)
    {
        var (merge, checkpointed, rewrite, duck) = (cases[0], cases[1], cases[2], cases[3]);
        // Nine commits in ten are plain, the tenth also writes the checkpoint.
        var amortized = (9 * Median(merge.Times) + Median(checkpointed.Times)) / 10;
        Console.WriteLine();
        Console.WriteLine("| target (issue 4) | measured (wall) | measured (process CPU) | met (wall) |");
        Console.WriteLine("| --- | ---: | ---: | --- |");
        Console.WriteLine($"| MERGE ≤ 0.15× whole-table rewrite | {Median(merge.Times) / Median(rewrite.Times):F2}× | {Median(merge.CpuTimes) / Median(rewrite.CpuTimes):F2}× | {(Median(merge.Times) <= 0.15 * Median(rewrite.Times) ? "yes" : "no")} |");
        Console.WriteLine($"| MERGE ≤ 1.3× DuckDB touched files + join + write | {Median(merge.Times) / Median(duck.Times):F2}× | {Median(merge.CpuTimes) / Median(duck.CpuTimes):F2}× | {(Median(merge.Times) <= 1.3 * Median(duck.Times) ? "yes" : "no")} |");
        Console.WriteLine($"| MERGE amortized over ten commits (one writes the checkpoint) ≤ 1.3× DuckDB | {amortized / Median(duck.Times):F2}× | | {(amortized <= 1.3 * Median(duck.Times) ? "yes" : "no")} |");
        Console.WriteLine($"| write amplification of MERGE (bytes written per changed byte) | {merge.Amplification:F1} | | – |");
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
        // Version 0 creates the empty table and versions 1-20 append the files, so a MERGE commits version 21: a plain
        // commit, as nine in ten are (the checkpoint case is measured separately).
        var empty = await spark.SqlAsync("SELECT CAST(id AS BIGINT) AS id, CAST(id AS VARCHAR) AS name, CAST(id AS BIGINT) AS amount FROM range(0, 0) AS r(id)");
        await empty.Write.Format("delta").Mode("errorifexists").SaveAsync(path);
        var per = rows / files;
        for (var i = 0; i < files; i++)
        {
            var df = await spark.SqlAsync($"SELECT CAST(id AS BIGINT) AS id, 'name-' || CAST(id AS VARCHAR) AS name, CAST(id * 2 AS BIGINT) AS amount FROM range({i * per}, {(i == files - 1 ? rows : (i + 1) * per)}) AS r(id)");
            await df.Write.Format("delta").Mode("append").SaveAsync(path);
        }
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static void Copy(string from, string to)
{
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(to, Path.GetRelativePath(from, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
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

sealed class Case(string name, Func<string, Task> run)
{
    public string Name { get; } = name;

    public Func<string, Task> Run { get; } = run;

    /// <summary>Work on the table copy before the clock starts.</summary>
    public Func<string, Task>? Prepare { get; init; }

    public List<double> Times { get; } = [];

    public List<double> CpuTimes { get; } = [];

    public long Written { get; set; }

    public double Amplification { get; set; }

    public string Summary { get; set; } = "";
}
