using System.Globalization;

namespace Lakehouse.Embedded.Sql;

/// <summary>Quoting for the DuckDB SQL the engine generates.</summary>
internal static class SqlText
{
    /// <summary>A double-quoted identifier.</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A single-quoted string literal.</summary>
    public static string Str(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A list literal of strings, e.g. for <c>read_parquet([...])</c>.</summary>
    public static string StrList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Str)) + "]";

    /// <summary>An integer in invariant culture.</summary>
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
