using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Transactions;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Bench;

/// <summary>
/// Two copies of one Delta table of orders (<c>rows</c> rows in <c>files</c> files, as the MERGE bench's table): one
/// as written, one with a deletion vector on every file that deletes about 0.1 % of its rows at random positions.
/// </summary>
internal static class DeletionVectorData
{
    /// <summary>Writes both tables under <paramref name="dir"/>; returns their paths and the rows the vectors delete.</summary>
    public static async Task<(string Plain, string WithVectors, long Deleted)> WriteAsync(SparkSession spark, string dir, long rows, int files)
    {
        var plain = Path.Combine(dir, "orders-plain");
        var per = rows / files;
        for (var i = 0; i < files; i++)
        {
            var from = i * per;
            var to = i == files - 1 ? rows : (i + 1) * per;
            var df = await spark.SqlAsync(
                // Pseudo-random values by multiplicative hashing (DuckDB's hash() is refused in SQL text: it is not Spark's).
                "SELECT CAST(r AS BIGINT) AS order_id, CAST((r * 7919) % 200000 AS BIGINT) AS customer_id, " +
                "CAST(concat('2026-', lpad(CAST(1 + (r * 7) % 12 AS STRING), 2, '0'), '-', lpad(CAST(1 + (r * 11) % 28 AS STRING), 2, '0'), ' ', " +
                "lpad(CAST((r * 5) % 24 AS STRING), 2, '0'), ':00:00') AS TIMESTAMP) AS order_ts, " +
                "CAST(CAST((r * 31) % 100000 AS DOUBLE) / 100 AS DECIMAL(12, 2)) AS amount, " +
                "CASE (r * 13) % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'pending' ELSE 'paid' END AS status, " +
                $"'note-' || CAST(r % 1000 AS VARCHAR) AS note FROM range({from}, {to}) AS t(r)");
            await df.Write.Format("delta").Mode(i == 0 ? "errorifexists" : "append").SaveAsync(plain);
        }

        var withVectors = Path.Combine(dir, "orders-dv");
        foreach (var file in Directory.EnumerateFiles(plain, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(withVectors, Path.GetRelativePath(plain, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var table = Lakehouse.Delta.DeltaTable.ForPath(withVectors);
        table.SetProperties(new Dictionary<string, string> { ["delta.enableDeletionVectors"] = "true" });
        var snapshot = table.Snapshot();
        var random = new Random(42);
        var txn = Transaction.Start(snapshot, "DELETE");
        long deleted = 0;
        foreach (var file in snapshot.Files)
        {
            var count = System.Text.Json.JsonDocument.Parse(file.Stats!).RootElement.GetProperty("numRecords").GetInt64();
            var positions = Enumerable.Range(0, (int)Math.Max(1, count / 1000)).Select(_ => random.NextInt64(count)).Distinct().ToList();
            DeletionVectorWriter.MarkDeleted(withVectors, file, positions, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())!.ApplyTo(txn);
            deleted += positions.Count;
        }

        txn.Commit();
        return (plain, withVectors, deleted);
    }

    /// <summary>A gold-like query (as gold.daily_revenue): scan, filter, group by day with sums, a count and a count distinct.</summary>
    public static DataFrame DailyRevenue(SparkSession spark, string path) =>
        spark.Read.Format("delta").Load(path)
            .Filter(Col("status") != "cancelled")
            .GroupBy(ToDate(Col("order_ts")).Alias("order_date"))
            .Agg(Sum(Col("amount")).Alias("revenue"), Count(Lit(1)).Alias("orders"), CountDistinct(Col("customer_id")).Alias("customers"));
}
