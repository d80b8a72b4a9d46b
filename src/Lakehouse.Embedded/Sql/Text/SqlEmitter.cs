using System.Text;

namespace Lakehouse.Embedded.Sql.Text;

/// <summary>Writes nodes as DuckDB SQL: string literals converted from Spark's syntax, backquoted identifiers double-quoted.</summary>
internal static class SqlEmitter
{
    public static string Emit(IEnumerable<SqlNode> nodes)
    {
        var sb = new StringBuilder();
        foreach (var node in nodes)
        {
            Append(sb, node);
        }

        return sb.ToString();
    }

    /// <summary>The nodes as DuckDB SQL without leading and trailing spaces.</summary>
    public static string Trimmed(IEnumerable<SqlNode> nodes) => Emit(nodes).Trim();

    private static void Append(StringBuilder sb, SqlNode node)
    {
        switch (node.Kind)
        {
            case SqlNodeKind.String:
                sb.Append(SparkSqlText.Literal(node.Text));
                break;
            case SqlNodeKind.Ident:
                sb.Append(SqlText.Ident(node.Text));
                break;
            case SqlNodeKind.Group:
                sb.Append(node.Text);
                foreach (var child in node.Children)
                {
                    Append(sb, child);
                }

                if (node.Closed)
                {
                    sb.Append(node.Text == "(" ? ')' : ']');
                }

                break;
            default:
                sb.Append(node.Text);
                break;
        }
    }
}
