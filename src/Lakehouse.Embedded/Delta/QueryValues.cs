using System.Globalization;
using Lakehouse.Embedded.Execution;

namespace Lakehouse.Embedded.Delta;

/// <summary>Small result sets of DuckDB queries (counts, ids) read into .NET values.</summary>
internal static class QueryValues
{
    /// <summary>The single number a query returns.</summary>
    public static long Count(EngineSession session, string sql) => Longs(session, sql)[0];

    /// <summary>The numbers of the first row a query returns (NULL as 0).</summary>
    public static long[] Longs(EngineSession session, string sql)
    {
        foreach (var batch in session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable())
        {
            if (batch.Length > 0)
            {
                return Enumerable.Range(0, batch.ColumnCount).Select(i => Convert.ToInt64(ArrowResults.Value(batch.Column(i), 0) ?? 0L, CultureInfo.InvariantCulture)).ToArray();
            }
        }

        throw new InvalidOperationException("A count query returned no row: " + sql);
    }

    /// <summary>The strings of the first column of every row.</summary>
    public static List<string> Strings(EngineSession session, string sql)
    {
        var result = new List<string>();
        foreach (var batch in session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable())
        {
            for (var i = 0; i < batch.Length; i++)
            {
                result.Add((string)ArrowResults.Value(batch.Column(0), i)!);
            }
        }

        return result;
    }
}
