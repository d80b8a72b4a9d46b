using DuckDB.NET.Data;

namespace Lakehouse.Embedded.Execution;

/// <summary>Maps DuckDB's errors to Spark error classes, so clients see the same classes as from Spark.</summary>
internal static class DuckDbErrors
{
    public static EmbeddedException Map(DuckDBException e, string sql)
    {
        var message = e.Message;
        if (Sql.RuntimeErrors.Parse(message) is { } raised)
        {
            return raised;
        }

        var malformed = message.IndexOf(Sql.Sources.ReadMode.MalformedMarker, StringComparison.Ordinal);
        if (malformed >= 0)
        {
            return Sql.Sources.ReadMode.Malformed(message[(malformed + Sql.Sources.ReadMode.MalformedMarker.Length)..].Trim());
        }

        if (message.Contains("Maximum line size of", StringComparison.Ordinal))
        {
            return new EmbeddedException("LAKEHOUSE_EMBEDDED_LINE_TOO_LONG", "54000",
                $"A line of an input file is longer than the embedded engine reads ({Sql.Sources.TextLines.MaxLineBytes >> 20} MiB): {message}. "
                + "Split the record over several lines (multiLine=true reads a whole file as one JSON document), or run the read on Apache Spark.",
                new Dictionary<string, string> { ["message"] = message }, e);
        }

        if (message.Contains("Out of Range Error: Overflow in", StringComparison.Ordinal))
        {
            // Spark under ANSI (its default) fails the same way; without ANSI Spark wraps around, which DuckDB cannot.
            return new EmbeddedException("ARITHMETIC_OVERFLOW", "22003",
                $"{message}. Integer arithmetic overflowed; widen the type (e.g. CAST to BIGINT or DECIMAL). With spark.sql.ansi.enabled=false Spark wraps "
                + "around instead, which the embedded engine does not do: run that job on Apache Spark.",
                new Dictionary<string, string> { ["message"] = message, ["alternative"] = "", ["config"] = "\"spark.sql.ansi.enabled\"" }, e);
        }

        if (message.Contains("Parser Error", StringComparison.Ordinal))
        {
            return new EmbeddedException("PARSE_SYNTAX_ERROR", "42601",
                $"Syntax error: {message}. Fix the SQL text (the embedded engine accepts the dialect described in docs/embedded-engine.md).",
                new Dictionary<string, string> { ["error"] = message, ["hint"] = "" }, e);
        }

        if (message.Contains("Catalog Error", StringComparison.Ordinal) && message.Contains("Table", StringComparison.Ordinal))
        {
            return new EmbeddedException("TABLE_OR_VIEW_NOT_FOUND", "42P01",
                $"{message}. Check the table name; named tables are Delta tables under the warehouse directory, views come from createOrReplaceTempView.",
                new Dictionary<string, string> { ["relationName"] = message }, e);
        }

        if (message.Contains("Catalog Error", StringComparison.Ordinal) && message.Contains("Function", StringComparison.Ordinal))
        {
            return new EmbeddedException("UNRESOLVED_ROUTINE", "42883",
                $"{message}. The embedded engine does not know this function; use a supported one or run on Apache Spark.",
                new Dictionary<string, string> { ["routineName"] = message }, e);
        }

        if (message.Contains("Binder Error", StringComparison.Ordinal) && message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddedException("UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
                $"{message}. Check the column name.", new Dictionary<string, string> { ["objectName"] = message, ["proposal"] = "" }, e);
        }

        if (message.Contains("Conversion Error", StringComparison.Ordinal))
        {
            return new EmbeddedException("CAST_INVALID_INPUT", "22018",
                $"{message}. Use try_cast, or fix the data.", new Dictionary<string, string> { ["expression"] = message }, e);
        }

        if (message.Contains("IO Error", StringComparison.Ordinal) && message.Contains("No files found", StringComparison.Ordinal))
        {
            return new EmbeddedException("PATH_NOT_FOUND", "42K03", $"{message}. Check the path.", new Dictionary<string, string> { ["path"] = message }, e);
        }

        var analysis = message.Contains("Binder Error", StringComparison.Ordinal) || message.Contains("Catalog Error", StringComparison.Ordinal);
        return new EmbeddedException(analysis ? "LAKEHOUSE_EMBEDDED_ANALYSIS_ERROR" : "LAKEHOUSE_EMBEDDED_EXECUTION_ERROR", analysis ? "42000" : "XX000",
            $"DuckDB failed: {message}. If the query is valid Spark, run it on Apache Spark and report the difference.",
            new Dictionary<string, string> { ["message"] = message, ["sql"] = sql.Length > 1000 ? sql[..1000] : sql }, e);
    }
}
