using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Delta;

/// <summary>Just enough reading of a SQL condition string to find its equality keys: top-level AND conjuncts and <c>ident = ident</c>.</summary>
internal static partial class ConditionText
{
    /// <summary>Splits at AND outside quotes, backquotes and parentheses.</summary>
    public static List<string> Conjuncts(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"' or '`':
                    quote = c;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                default:
                    if (depth == 0 && IsAndAt(text, i))
                    {
                        parts.Add(text[start..i]);
                        start = i + 3;
                        i += 2;
                    }

                    break;
            }
        }

        parts.Add(text[start..]);
        return parts.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
    }

    /// <summary>The two identifiers of <c>a.b = c.d</c>, or null when the conjunct is anything else.</summary>
    public static (string Left, string Right)? Equality(string conjunct)
    {
        var m = EqualityPattern().Match(conjunct.Trim());
        return m.Success ? (m.Groups[1].Value, m.Groups[2].Value) : null;
    }

    private static bool IsAndAt(string text, int i) =>
        i > 0 && char.IsWhiteSpace(text[i - 1]) && i + 3 < text.Length && char.IsWhiteSpace(text[i + 3])
        && string.Compare(text, i, "AND", 0, 3, StringComparison.OrdinalIgnoreCase) == 0;

    [GeneratedRegex(@"^\(?\s*((?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))*)\s*==?\s*((?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))*)\s*\)?$")]
    private static partial Regex EqualityPattern();
}
