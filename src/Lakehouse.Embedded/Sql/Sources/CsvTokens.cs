using System.Text;
using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// Spark's CSV tokenizing for one line (<c>multiLine=false</c>, Spark's default): fields split at the separator
/// (default <c>,</c>); a field starting with the quote character (default <c>"</c>) runs to the closing quote, inside
/// which the escape character (default <c>\</c>) escapes a quote or itself; the quotes are removed. As SQL (DuckDB's
/// RE2 regexes for lines with quotes, a plain split for the others), and in .NET for the header line.
/// </summary>
internal sealed class CsvTokens
{
    private readonly string _pattern;

    public CsvTokens(IReadOnlyDictionary<string, string> options)
    {
        Separator = Char(options, "sep", null) ?? Char(options, "delimiter", ",")!;
        Quote = Char(options, "quote", "\"")!;
        Escape = Char(options, "escape", "\\")!;
        if (Separator.Length != 1 || Quote.Length > 1 || Escape.Length > 1)
        {
            throw Errors.Unsupported("csv option", "A CSV separator, quote or escape of more than one character");
        }

        var s = Class(Separator);
        var field = $"[^{s}]*";
        var q = Class(Quote);
        var quotedChar = Escape.Length == 0 ? $"[^{q}]" : $"[^{q}{Class(Escape)}]|{Class(Escape)}.";
        _pattern = Quote.Length == 0
            ? $"{s}({field})"
            : $"{s}({q}(?:{quotedChar})*{q}{field}|{field})";
    }

    public string Separator { get; }

    public string Quote { get; }

    public string Escape { get; }

    /// <summary>
    /// SQL: the raw fields of the line <paramref name="line"/> as a VARCHAR list. A line without the quote character
    /// (most lines) has no quoted field, so its fields are exactly the text between separators: it is split without a
    /// regex; only lines with a quote take the tokenizing regex.
    /// </summary>
    public string FieldsSql(string line)
    {
        var split = $"string_split({line}, {SqlText.Str(Separator)})";
        return Quote.Length == 0
            ? split
            : $"CASE WHEN contains({line}, {SqlText.Str(Quote)}) THEN regexp_extract_all({SqlText.Str(Separator)} || {line}, {SqlText.Str(_pattern)}, 1) ELSE {split} END";
    }

    /// <summary>SQL: one raw field without its quotes and escapes.</summary>
    public string UnquoteSql(string field)
    {
        if (Quote.Length == 0)
        {
            return field;
        }

        var q = SqlText.Str(Quote);
        var inner = $"{field}[2:-2]";
        var unescaped = Escape.Length == 0 ? inner : $"regexp_replace({inner}, {SqlText.Str(Class(Escape) + "([" + Class(Quote) + Class(Escape) + "])")}, '\\1', 'g')";
        return $"CASE WHEN length({field}) >= 2 AND starts_with({field}, {q}) AND ends_with({field}, {q}) THEN {unescaped} ELSE {field} END";
    }

    /// <summary>The unquoted fields of one line, in .NET (for the header).</summary>
    public IReadOnlyList<string> Fields(string line) =>
        Regex.Matches(Separator + line, _pattern).Select(m =>
        {
            var f = m.Groups[1].Value;
            if (Quote.Length == 0 || f.Length < 2 || !f.StartsWith(Quote, StringComparison.Ordinal) || !f.EndsWith(Quote, StringComparison.Ordinal))
            {
                return f;
            }

            var inner = f[1..^1];
            return Escape.Length == 0 ? inner : Regex.Replace(inner, Class(Escape) + "([" + Class(Quote) + Class(Escape) + "])", "$1");
        }).ToList();

    // Spark reads "\t" and "\u0001"-style escapes in these options as the character they name.
    private static string? Char(IReadOnlyDictionary<string, string> options, string key, string? fallback)
    {
        if (!options.TryGetValue(key, out var v))
        {
            return fallback;
        }

        return v switch
        {
            "\\t" => "\t",
            "\\r" => "\r",
            "\\n" => "\n",
            "\\\\" => "\\",
            "\\\"" => "\"",
            "\\'" => "'",
            _ when v.StartsWith("\\u", StringComparison.Ordinal) && v.Length == 6 => ((char)Convert.ToInt32(v[2..], 16)).ToString(),
            _ when v == "\u0000" => "",
            _ => v,
        };
    }

    private static string Class(string c)
    {
        var sb = new StringBuilder();
        foreach (var ch in c)
        {
            // Valid in both RE2 and .NET regexes: letters and digits as is, punctuation escaped, others by code.
            sb.Append(char.IsLetterOrDigit(ch) ? ch.ToString()
                : char.IsPunctuation(ch) || char.IsSymbol(ch) ? "\\" + ch
                : ch < 256 ? $"\\x{(int)ch:X2}"
                : throw Errors.Unsupported("csv option", $"The CSV control character U+{(int)ch:X4}"));
        }

        return sb.ToString();
    }
}
