using System.Globalization;
using System.Text;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark string literals, whose DuckDB meaning differs: Spark reads backslash escapes and accepts double quotes; DuckDB
/// does neither.
/// </summary>
internal static class SparkSqlText
{
    /// <summary>A Spark string literal (with its quotes) as a DuckDB literal, per Spark's unescapeSQLString.</summary>
    public static string Literal(string spark) => SqlText.Str(Value(spark));

    /// <summary>The value of a Spark string literal (with its quotes), per Spark's unescapeSQLString.</summary>
    public static string Value(string spark)
    {
        var quote = spark[0];
        var body = spark.Length >= 2 && spark[^1] == quote ? spark[1..^1] : spark[1..];
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == quote && i + 1 < body.Length && body[i + 1] == quote)
            {
                sb.Append(quote);
                i++;
            }
            else if (c == '\\' && i + 1 < body.Length)
            {
                var n = body[++i];
                switch (n)
                {
                    case '0' when !(i + 2 < body.Length && IsOctal(body[i + 1]) && IsOctal(body[i + 2])): sb.Append('\0'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'Z': sb.Append('\u001A'); break;
                    // Spark keeps \% and \_ escaped, for LIKE patterns.
                    case '%' or '_': sb.Append('\\').Append(n); break;
                    case 'u' when i + 4 < body.Length && int.TryParse(body.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        sb.Append((char)code);
                        i += 4;
                        break;
                    case >= '0' and <= '3' when i + 2 < body.Length && IsOctal(body[i + 1]) && IsOctal(body[i + 2]):
                        sb.Append((char)Convert.ToInt32(body.Substring(i, 3), 8));
                        i += 2;
                        break;
                    default: sb.Append(n); break;
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
