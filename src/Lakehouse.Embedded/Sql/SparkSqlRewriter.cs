using Lakehouse.Embedded.Sql.Text;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Rewrites Spark SQL text into DuckDB SQL with Spark's semantics where they differ, token by token (never inside
/// string literals, backquoted identifiers or comments): literals and identifiers in DuckDB's syntax, table references
/// as Delta scans, and the operators, casts, subscripts and functions of <see cref="SparkSqlSemantics"/>. What cannot be
/// rewritten reliably is refused with an error naming it.
/// </summary>
internal static class SparkSqlRewriter
{
    /// <summary>Rewrites a query; <paramref name="table"/> maps (identifier parts, version, timestamp) to SQL, or null to leave it.</summary>
    /// <exception cref="EmbeddedException">The text uses something the engine cannot give Spark's answer for.</exception>
    public static string RewriteQuery(string sql, SqlSettings settings, Func<IReadOnlyList<string>, string?, string?, string?> table)
    {
        RefuseCaseSensitive(settings);
        return SqlEmitter.Emit(SparkSqlSemantics.Rewrite(SqlTokenizer.Parse(sql), new SqlTextContext(settings, table, null), tableReferences: true));
    }

    /// <summary>
    /// Rewrites an expression fragment (selectExpr / expr / filter strings); <c>input_file_name()</c> and
    /// <c>_metadata</c> become the file metadata of the <paramref name="scope"/> when it reads files.
    /// </summary>
    /// <exception cref="EmbeddedException">The text uses something the engine cannot give Spark's answer for.</exception>
    public static string RewriteExpression(string sql, SqlSettings settings, Scope? scope = null)
    {
        RefuseCaseSensitive(settings);
        return SqlEmitter.Emit(SparkSqlSemantics.Rewrite(SqlTokenizer.Parse(sql), new SqlTextContext(settings, null, scope), tableReferences: false));
    }

    private static void RefuseCaseSensitive(SqlSettings settings)
    {
        if (settings.CaseSensitive)
        {
            // DuckDB resolves the names in the text case-insensitively: `A` would find column `a` where Spark fails.
            throw Errors.Unsupported("case-sensitive SQL text",
                "SQL text (spark.sql, expr, selectExpr, filter strings) with spark.sql.caseSensitive=true (names in the text are resolved case-insensitively here); use column objects, or run on Apache Spark");
        }
    }
}
