using System.Text;
using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Rewrites Spark SQL text into DuckDB SQL: backquoted identifiers become double-quoted, and table references after
/// FROM/JOIN (<c>delta.`/path`</c>, <c>db.table</c>, session views) become subqueries reading the Delta table,
/// including <c>VERSION AS OF n</c> and <c>TIMESTAMP AS OF 'ts'</c>.
/// </summary>
internal static partial class SparkSqlRewriter
{
    /// <summary>Rewrites a query; <paramref name="table"/> maps (identifier parts, version, timestamp) to SQL, or null to leave it.</summary>
    public static string RewriteQuery(string sql, Func<IReadOnlyList<string>, string?, string?, string?> table)
    {
        var masked = MaskStrings(sql, out var strings);
        var result = TableReference().Replace(masked, m =>
        {
            var parts = Scope.SplitIdentifier(m.Groups["id"].Value);
            var version = m.Groups["ver"].Success ? m.Groups["ver"].Value : null;
            var ts = m.Groups["ts"].Success ? Unmask(m.Groups["ts"].Value, strings).Trim('\'') : null;
            var replacement = table(parts, version, ts);
            return replacement is null ? m.Value : $"{m.Groups["kw"].Value} ({replacement})";
        });
        return Unmask(Backquotes(Div().Replace(result, "//")), strings);
    }

    /// <summary>
    /// Rewrites an expression fragment (selectExpr / expr / filter strings); <c>input_file_name()</c> and
    /// <c>_metadata</c> become the file metadata of the <paramref name="scope"/> when it reads files.
    /// </summary>
    public static string RewriteExpression(string sql, Scope? scope = null)
    {
        var masked = MaskStrings(sql, out var strings);
        if (scope is not null)
        {
            masked = InputFileName().Replace(masked, _ => scope.InputFileName());
            if (scope.MetadataSql() is { } metadata)
            {
                masked = MetadataColumn().Replace(masked, m => metadata + string.Concat(m.Groups["f"].Captures.Select(c => $"['{c.Value.ToLowerInvariant()}']")));
            }
        }

        return Unmask(Backquotes(Div().Replace(masked, "//")), strings);
    }

    [GeneratedRegex(@"\binput_file_name\s*\(\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex InputFileName();

    [GeneratedRegex(@"(?<![\w.""`])_metadata\b(?:\.(?<f>file_path|file_name|file_size|file_block_start|file_block_length|file_modification_time)\b)*", RegexOptions.IgnoreCase)]
    private static partial Regex MetadataColumn();

    [GeneratedRegex(@"\bdiv\b", RegexOptions.IgnoreCase)]
    private static partial Regex Div();

    private static string Backquotes(string s) => BackquotedIdent().Replace(s, m => SqlText.Ident(m.Groups[1].Value.Replace("``", "`", StringComparison.Ordinal)));

    private static string MaskStrings(string sql, out List<string> strings)
    {
        var found = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\'')
            {
                var j = i + 1;
                while (j < sql.Length && !(sql[j] == '\'' && (j + 1 >= sql.Length || sql[j + 1] != '\'')))
                {
                    j += sql[j] == '\'' ? 2 : 1;
                }

                found.Add(sql[i..Math.Min(j + 1, sql.Length)]);
                sb.Append('\u0001').Append(found.Count - 1).Append('\u0002');
                i = j;
            }
            else
            {
                sb.Append(sql[i]);
            }
        }

        strings = found;
        return sb.ToString();
    }

    private static string Unmask(string s, List<string> strings) =>
        MaskRef().Replace(s, m => strings[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);

    [GeneratedRegex(@"(?<kw>\b(?:FROM|JOIN))\s+(?<id>(?:`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*))*)(?:\s+(?:VERSION\s+AS\s+OF\s+(?<ver>\d+)|TIMESTAMP\s+AS\s+OF\s+(?<ts>\u0001\d+\u0002)))?", RegexOptions.IgnoreCase)]
    private static partial Regex TableReference();

    [GeneratedRegex(@"`((?:[^`]|``)+)`")]
    private static partial Regex BackquotedIdent();

    [GeneratedRegex("\u0001(\\d+)\u0002")]
    private static partial Regex MaskRef();
}
