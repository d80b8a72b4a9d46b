using System.Globalization;
using DuckDB.NET.Data;
using Lakehouse.Delta.Actions;
using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// Test tables with the change data feed on, and the change data files of a commit read back with DuckDB straight from
/// the Parquet files the <c>cdc</c> actions name (not through any change-feed reader of ours).
/// </summary>
internal static class ChangeDataFiles
{
    /// <summary>As <see cref="DeltaTables.CreateAsync(SparkSession, string, string[], bool, string[])"/>, with <c>delta.enableChangeDataFeed=true</c>
    /// set by the first write's options (unless <paramref name="feed"/> is false).</summary>
    public static async Task CreateAsync(SparkSession spark, string path, string[]? partitionBy, bool deletionVectors, bool feed, params string[] valueLists)
    {
        for (var i = 0; i < valueLists.Length; i++)
        {
            var df = await spark.SqlAsync($"SELECT CAST(id AS BIGINT) AS id, CAST(name AS VARCHAR) AS name, CAST(amount AS BIGINT) AS amount FROM (VALUES {valueLists[i]}) AS v(id, name, amount)");
            var writer = df.Write.Format("delta").Mode(i == 0 ? "errorifexists" : "append");
            if (partitionBy is not null)
            {
                writer = writer.PartitionBy(partitionBy);
            }

            if (i == 0 && deletionVectors)
            {
                writer = writer.Option("delta.enableDeletionVectors", "true");
            }

            if (i == 0 && feed)
            {
                writer = writer.Option("delta.enableChangeDataFeed", "true");
            }

            await writer.SaveAsync(path);
        }
    }

    /// <summary>The cdc actions of one commit.</summary>
    public static List<Cdc> Actions(string path, long version) =>
        DeltaTables.Commit(path, version).Where(a => a.Cdc is not null).Select(a => a.Cdc!).ToList();

    /// <summary>
    /// The rows of the commit's change data files as "id|name|amount|_change_type" (NULL for nulls), sorted. A partition
    /// column is not in the files: its value comes from the cdc action's partitionValues, and the test asserts the file
    /// lacks the column.
    /// </summary>
    public static List<string> Rows(string path, long version, string? partitionColumn = null)
    {
        var rows = new List<string>();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var cdc in Actions(path, version))
        {
            var file = Path.Combine(path, Uri.UnescapeDataString(cdc.Path));
            Xunit.Assert.True(File.Exists(file), $"{cdc.Path} is named by a cdc action but does not exist");
            Xunit.Assert.Equal(new FileInfo(file).Length, cdc.Size);
            Xunit.Assert.False(cdc.DataChange);
            var columns = Query(connection, $"SELECT name FROM parquet_schema('{file.Replace("'", "''", StringComparison.Ordinal)}') WHERE num_children IS NULL")
                .Select(r => (string)r[0]!).ToList();
            var expected = new[] { "id", "name", "amount", "_change_type" }.Where(c => c != partitionColumn);
            Xunit.Assert.Equal(expected, columns);
            var select = string.Join(", ", new[] { "id", "name", "amount" }.Select(c => c == partitionColumn ? "NULL" : $"CAST({c} AS VARCHAR)"));
            foreach (var row in Query(connection, $"SELECT {select}, _change_type FROM read_parquet('{file.Replace("'", "''", StringComparison.Ordinal)}')"))
            {
                var values = row.Select(v => v as string ?? "NULL").ToArray();
                if (partitionColumn is not null)
                {
                    var index = Array.IndexOf(["id", "name", "amount"], partitionColumn);
                    values[index] = cdc.PartitionValues[partitionColumn] ?? "NULL";
                }

                rows.Add(string.Join("|", values));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>Asserts the change data rows of a commit, in any order.</summary>
    public static void AssertRows(string path, long version, params string[] expected) =>
        Xunit.Assert.Equal(expected.Order(StringComparer.Ordinal), Rows(path, version));

    /// <summary>Asserts that a commit names no change data file and that no change data file exists at all.</summary>
    public static void AssertNone(string path, long version)
    {
        Xunit.Assert.Empty(Actions(path, version));
        var directory = Path.Combine(path, "_change_data");
        Xunit.Assert.True(!Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any());
    }

    public static long Metric(string path, long version, string name) =>
        long.Parse(DeltaTables.Info(path, version).OperationMetrics![name], CultureInfo.InvariantCulture);

    private static List<object?[]> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
