using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark errors raised while a query runs (ANSI casts, division by zero, array indexes): SQL that calls DuckDB's
/// <c>error()</c> with a marked message, and the mapping of that message back to the Spark error class.
/// </summary>
internal static partial class RuntimeErrors
{
    /// <summary>SQL raising <paramref name="errorClass"/> with the message computed by <paramref name="messageSql"/>.</summary>
    public static string Raise(string errorClass, string sqlState, string messageSql) =>
        $"error({SqlText.Str($"LAKEHOUSE_SPARK_ERROR[{errorClass}|{sqlState}] ")} || {messageSql})";

    /// <summary>Spark's DIVIDE_BY_ZERO.</summary>
    public static string DivideByZero => Raise("DIVIDE_BY_ZERO", "22012",
        SqlText.Str("Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."));

    /// <summary>The error a DuckDB message carries, when it was raised by <see cref="Raise"/>.</summary>
    public static EmbeddedException? Parse(string duckMessage)
    {
        var m = Marked().Match(duckMessage);
        return m.Success
            ? new EmbeddedException(m.Groups["class"].Value, m.Groups["state"].Value, m.Groups["message"].Value.Trim())
            : null;
    }

    [GeneratedRegex(@"LAKEHOUSE_SPARK_ERROR\[(?<class>[A-Z_.]+)\|(?<state>[0-9A-Z]{5})\] (?<message>.*)", RegexOptions.Singleline)]
    private static partial Regex Marked();
}
