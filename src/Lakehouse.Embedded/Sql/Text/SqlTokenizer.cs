using System.Text;

namespace Lakehouse.Embedded.Sql.Text;

/// <summary>
/// Splits Spark SQL text into nodes as Spark's lexer does: string literals (single or double quotes, backslash escapes),
/// backquoted identifiers, comments (<c>--</c> to the end of the line, nested <c>/* */</c>), numbers, words and
/// operators; parentheses and brackets become groups. Rewrites never look inside literals, identifiers or comments.
/// </summary>
internal static class SqlTokenizer
{
    private static readonly string[] MultiCharSymbols = ["<=>", "<=", ">=", "<>", "!=", "==", "||", "::", "->", "=>", "<<", ">>"];

    public static List<SqlNode> Parse(string sql)
    {
        var position = 0;
        return Sequence(Tokens(sql), ref position, null);
    }

    private static List<SqlNode> Sequence(List<SqlNode> tokens, ref int position, char? close)
    {
        var result = new List<SqlNode>();
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            if (token.Kind == SqlNodeKind.Symbol && token.Text is "(" or "[")
            {
                var closing = token.Text == "(" ? ')' : ']';
                var children = Sequence(tokens, ref position, closing);
                var closed = position > 0 && tokens[position - 1].Kind == SqlNodeKind.Symbol && tokens[position - 1].Text == closing.ToString();
                result.Add(new SqlNode(SqlNodeKind.Group, token.Text, children) { Closed = closed });
            }
            else if (close is { } c && token.Kind == SqlNodeKind.Symbol && token.Text == c.ToString())
            {
                return result;
            }
            else
            {
                result.Add(token);
            }
        }

        return result;
    }

    private static List<SqlNode> Tokens(string sql)
    {
        var tokens = new List<SqlNode>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                tokens.Add(new SqlNode(SqlNodeKind.Space, sql[start..i]));
            }
            else if (c == '-' && At(sql, i + 1, '-'))
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                tokens.Add(new SqlNode(SqlNodeKind.Space, " "));
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = EndOfComment(sql, i);
                tokens.Add(new SqlNode(SqlNodeKind.Space, " "));
            }
            else if (c is '\'' or '"')
            {
                i = EndOfString(sql, i);
                tokens.Add(new SqlNode(SqlNodeKind.String, sql[start..i]));
            }
            else if (c == '`')
            {
                var name = new StringBuilder();
                i++;
                while (i < sql.Length && !(sql[i] == '`' && !At(sql, i + 1, '`')))
                {
                    name.Append(sql[i]);
                    i += sql[i] == '`' ? 2 : 1;
                }

                i = Math.Min(i + 1, sql.Length);
                tokens.Add(new SqlNode(SqlNodeKind.Ident, name.ToString()));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < sql.Length && char.IsAsciiDigit(sql[i + 1])))
            {
                i = EndOfNumber(sql, i);
                tokens.Add(new SqlNode(SqlNodeKind.Number, sql[start..i]));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                tokens.Add(new SqlNode(SqlNodeKind.Word, sql[start..i]));
            }
            else
            {
                var symbol = MultiCharSymbols.FirstOrDefault(s => string.CompareOrdinal(sql, i, s, 0, s.Length) == 0) ?? c.ToString();
                i += symbol.Length;
                tokens.Add(new SqlNode(SqlNodeKind.Symbol, symbol));
            }
        }

        return tokens;
    }

    private static bool At(string sql, int i, char c) => i < sql.Length && sql[i] == c;

    private static int EndOfComment(string sql, int i)
    {
        // Spark's bracketed comments nest.
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1, '*'))
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1, '/'))
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    private static int EndOfString(string sql, int i)
    {
        var quote = sql[i];
        var j = i + 1;
        while (j < sql.Length && !(sql[j] == quote && !At(sql, j + 1, quote)))
        {
            j += sql[j] == quote || sql[j] == '\\' ? 2 : 1;
        }

        return Math.Min(j + 1, sql.Length);
    }

    private static int EndOfNumber(string sql, int i)
    {
        while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.'))
        {
            i++;
        }

        if (i < sql.Length && sql[i] is 'e' or 'E' && (i + 1 < sql.Length && (char.IsAsciiDigit(sql[i + 1]) || (sql[i + 1] is '+' or '-' && i + 2 < sql.Length && char.IsAsciiDigit(sql[i + 2])))))
        {
            i += 2;
            while (i < sql.Length && char.IsAsciiDigit(sql[i]))
            {
                i++;
            }
        }

        // Spark's typed suffixes (10L, 1.5D, 2BD): kept, DuckDB reports them.
        while (i < sql.Length && char.IsAsciiLetter(sql[i]))
        {
            i++;
        }

        return i;
    }
}
