using System.Globalization;
using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>Test tables of (id BIGINT, name STRING, amount BIGINT), written through the engine, read back with Lakehouse.Delta's own reader.</summary>
internal static class DeltaTables
{
    /// <summary>Writes one data file per VALUES list: the first creates the table, the others append.</summary>
    public static Task CreateAsync(SparkSession spark, string path, string[]? partitionBy, params string[] valueLists) =>
        CreateAsync(spark, path, partitionBy, false, valueLists);

    /// <summary>As <see cref="CreateAsync(SparkSession, string, string[], string[])"/>; with <paramref name="deletionVectors"/> the
    /// first write creates the table with <c>delta.enableDeletionVectors=true</c> (a writer option, as Delta takes <c>delta.*</c> options).</summary>
    public static async Task CreateAsync(SparkSession spark, string path, string[]? partitionBy, bool deletionVectors, params string[] valueLists)
    {
        for (var i = 0; i < valueLists.Length; i++)
        {
            var df = await spark.SqlAsync($"SELECT CAST(id AS BIGINT) AS id, CAST(name AS VARCHAR) AS name, CAST(amount AS BIGINT) AS amount FROM (VALUES {valueLists[i]}) AS v(id, name, amount)");
            var writer = df.Write.Format("delta").Mode(i == 0 ? "errorifexists" : "append");
            if (partitionBy is not null)
            {
                writer = writer.PartitionBy(partitionBy);
            }

            if (deletionVectors)
            {
                writer = writer.Option("delta.enableDeletionVectors", "true");
            }

            await writer.SaveAsync(path);
        }
    }

    /// <summary>Rewrites one commit with its add actions' stats removed, as a writer that collects none would leave it.</summary>
    public static void StripStatistics(string path, long version)
    {
        var file = Path.Combine(path, "_delta_log", $"{version:D20}.json");
        var lines = File.ReadAllLines(file).Select(line =>
        {
            var action = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
            (action["add"] as System.Text.Json.Nodes.JsonObject)?.Remove("stats");
            return action.ToJsonString();
        });
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
    }

    /// <summary>The rows of the latest version as "col|col|…" (NULL for nulls), sorted, read by Lakehouse.Delta (not DuckDB).</summary>
    public static List<string> Rows(string path)
    {
        var scan = new DeltaScan(Snapshot.Load(path));
        var rows = new List<string>();
        foreach (var batch in scan.ReadBatches())
        {
            var names = scan.ReadSchema.Fields.Select(f => f.Name).ToList();
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(string.Join("|", names.Select(n => Text(batch.Column(batch.Schema.GetFieldIndex(n)), i))));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>Asserts the table's rows, in any order.</summary>
    public static void AssertRows(string path, params string[] expected) =>
        Xunit.Assert.Equal(expected.Order(StringComparer.Ordinal), Rows(path));

    /// <summary>The actions of one commit.</summary>
    public static List<DeltaAction> Commit(string path, long version) =>
        ActionJson.ParseCommit(File.ReadAllBytes(Path.Combine(path, "_delta_log", $"{version:D20}.json")), $"{version:D20}.json");

    public static CommitInfo Info(string path, long version) => Commit(path, version).Select(a => a.CommitInfo).Single(c => c is not null)!;

    public static List<string> Removed(string path, long version) => Commit(path, version).Where(a => a.Remove is not null).Select(a => a.Remove!.Path).Order(StringComparer.Ordinal).ToList();

    public static List<string> Added(string path, long version) => Commit(path, version).Where(a => a.Add is not null).Select(a => a.Add!.Path).ToList();

    /// <summary>The file of the latest snapshot whose rows include <paramref name="id"/> (by the file's statistics).</summary>
    public static string FileWithId(string path, long id) => Snapshot.Load(path).Files
        .Single(f => Between(f.Stats!, id)).Path;

    private static bool Between(string stats, long id)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(stats);
        var root = doc.RootElement;
        return root.GetProperty("minValues").GetProperty("id").GetInt64() <= id && id <= root.GetProperty("maxValues").GetProperty("id").GetInt64();
    }

    private static string Text(IArrowArray array, int i) => array switch
    {
        _ when array.IsNull(i) => "NULL",
        Int64Array a => a.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
        Int32Array a => a.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
        StringArray a => a.GetString(i),
        DoubleArray a => a.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
        _ => array.GetType().Name,
    };
}
