using DuckDB.NET.Data;

namespace Lakehouse.Embedded.Bench;

/// <summary>
/// The data and the reference query: a Parquet file of <c>rows</c> rows (a key of 1,000 values, an integer, a
/// double, a short string), and the scan + filter + group-by run straight on DuckDB.
/// </summary>
internal static class BenchData
{
    public const string Filter = "v > 100";

    public static string Write(string dir, long rows)
    {
        var path = Path.Combine(dir, "data.parquet");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"COPY (SELECT range % 1000 AS k, CAST(range % 997 AS INTEGER) AS v, range * 0.5 AS x, 'name-' || (range % 100) AS s FROM range({rows})) " +
            $"TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 122880)";
        command.ExecuteNonQuery();
        return path;
    }

    /// <summary>The same query directly on DuckDB, every result row read.</summary>
    public static long DirectQuery(DuckDBConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT k, count(*) AS n, sum(x) AS total FROM read_parquet('{path}') WHERE {Filter} GROUP BY k";
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }
}
