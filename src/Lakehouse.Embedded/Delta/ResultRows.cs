using System.Globalization;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>Small command results (metrics rows, history, detail) as a DuckDB SELECT of typed literals.</summary>
internal static class ResultRows
{
    /// <summary>A column: its name and DuckDB type.</summary>
    public sealed record Column(string Name, string DuckType);

    /// <summary>The SELECT of <paramref name="rows"/>, each value already a SQL literal (or NULL).</summary>
    public static string Sql(IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return "SELECT " + string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.DuckType}) AS {SqlText.Ident(c.Name)}")) + " WHERE FALSE";
        }

        if (list.Count == 1)
        {
            return "SELECT " + string.Join(", ", columns.Select((c, i) => $"CAST({list[0][i]} AS {c.DuckType}) AS {SqlText.Ident(c.Name)}"));
        }

        // One VALUES list, cast once outside: DuckDB plans a UNION ALL of one SELECT per row several times slower (a
        // history of a few hundred commits took tens of ms per statement). The first row's values are cast to the
        // column types, so the list's types do not depend on which row has a non-null value.
        var first = "(" + string.Join(", ", columns.Select((c, i) => $"CAST({list[0][i]} AS {c.DuckType})")) + ")";
        var rest = list.Skip(1).Select(r => "(" + string.Join(", ", r) + ")");
        var names = string.Join(", ", columns.Select((_, i) => $"c{i}"));
        return "SELECT " + string.Join(", ", columns.Select((c, i) => $"CAST(c{i} AS {c.DuckType}) AS {SqlText.Ident(c.Name)}"))
            + $" FROM (VALUES {string.Join(", ", rest.Prepend(first))}) AS v({names})";
    }

    /// <summary>The row MERGE returns (MergeIntoCommand's output).</summary>
    public static string Merge(long updated, long deleted, long inserted) => Longs(
        ("num_affected_rows", updated + deleted + inserted), ("num_updated_rows", updated), ("num_deleted_rows", deleted), ("num_inserted_rows", inserted));

    /// <summary>One row of BIGINT columns.</summary>
    public static string Longs(params (string Name, long Value)[] values) =>
        Sql(values.Select(v => new Column(v.Name, "BIGINT")).ToList(), [values.Select(v => v.Value.ToString(CultureInfo.InvariantCulture)).ToList()]);

    /// <summary>A string literal, or NULL.</summary>
    public static string Str(string? value) => value is null ? "NULL" : SqlText.Str(value);

    /// <summary>A MAP(VARCHAR, VARCHAR) literal.</summary>
    public static string Map(IReadOnlyDictionary<string, string>? map) => map is null || map.Count == 0
        ? "MAP([]::VARCHAR[], []::VARCHAR[])"
        : $"MAP([{string.Join(", ", map.Keys.Select(SqlText.Str))}], [{string.Join(", ", map.Values.Select(SqlText.Str))}])";
}
