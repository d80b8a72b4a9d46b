using System.Collections.Frozen;

namespace Lakehouse.Embedded.Sql.Text;

/// <summary>
/// The names of DuckDB's functions, read once from <c>duckdb_functions()</c>: a call in SQL text of a name DuckDB knows
/// would run DuckDB's function, so only names whose semantics are Spark's may pass (<see cref="SparkSqlCalls"/>).
/// </summary>
internal static class DuckDbCatalog
{
    private static FrozenSet<string>? _functions;

    /// <summary>The lower-case function names; empty until <see cref="Load"/> ran.</summary>
    public static FrozenSet<string> Functions => _functions ?? FrozenSet<string>.Empty;

    /// <summary>Reads the names with <paramref name="scalar"/> (a query returning one text value) unless already read.</summary>
    public static void Load(Func<string, string?> scalar)
    {
        if (_functions is not null)
        {
            return;
        }

        var names = scalar("SELECT string_agg(DISTINCT lower(function_name), ',') FROM duckdb_functions()") ?? "";
        _functions = names.Split(',', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
    }
}
