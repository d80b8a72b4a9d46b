using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark SQL text pieces whose DuckDB meaning differs: string literals (Spark reads backslash escapes and accepts
/// double quotes; DuckDB does neither) and calls of functions with other semantics (<c>concat</c> is NULL when an
/// argument is; <c>split</c> splits at a regex; <c>round</c> rounds doubles in decimal, which text cannot know the
/// type to do, so it is refused).
/// </summary>
internal static partial class SparkSqlText
{
    /// <summary>A Spark string literal (with its quotes) as a DuckDB literal, per Spark's unescapeSQLString.</summary>
    public static string Literal(string spark)
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

        return SqlText.Str(sb.ToString());
    }

    /// <summary>Rewrites the calls of <c>concat</c>, <c>split</c> and <c>round</c> in SQL text whose literals are masked.</summary>
    public static string RewriteCalls(string masked)
    {
        masked = Calls(masked, "round", _ => throw Errors.Unsupported("round in SQL text",
            "round() inside SQL text (DuckDB rounds doubles in binary: round(1.005, 2) is 1.0 there and 1.01 in Spark; use the DataFrame function round())"));
        masked = Calls(masked, "concat", args => "(" + string.Join(" || ", args) + ")");
        return Calls(masked, "split", args => args.Count switch
        {
            2 => $"regexp_split_to_array({args[0]}, {args[1]})",
            3 when long.TryParse(args[2].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && limit <= 0 => $"regexp_split_to_array({args[0]}, {args[1]})",
            _ => throw Errors.Unsupported("split limit", "split() with a positive limit"),
        });
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    /// <summary>Replaces each call of <paramref name="name"/> (innermost first) by what <paramref name="replace"/> makes of its arguments.</summary>
    private static string Calls(string text, string name, Func<List<string>, string> replace)
    {
        var regex = new Regex($@"(?<![\w.""]){name}\s*\(", RegexOptions.IgnoreCase | RegexOptions.RightToLeft);
        for (var m = regex.Match(text); m.Success; m = regex.Match(text, m.Index))
        {
            var open = m.Index + m.Length - 1;
            var (args, close) = Arguments(text, open);
            if (close < 0)
            {
                break;
            }

            text = text[..m.Index] + replace(args) + text[(close + 1)..];
        }

        return text;
    }

    private static (List<string> Args, int Close) Arguments(string text, int open)
    {
        var args = new List<string>();
        var depth = 0;
        var start = open + 1;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        args.Add(text[start..i]);
                        return (args.Where(a => a.Trim().Length > 0).ToList(), i);
                    }

                    break;
                case ',' when depth == 1:
                    args.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        return (args, -1);
    }
}
