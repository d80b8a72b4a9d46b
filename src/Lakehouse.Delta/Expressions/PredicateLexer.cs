using System.Text;

namespace Lakehouse.Delta.Expressions;

/// <summary>Splits predicate text into tokens for <see cref="PredicateParser"/>: identifiers (plain or back-quoted), numbers, quoted strings, symbols.</summary>
internal static class PredicateLexer
{
    internal enum TokenKind { Identifier, QuotedIdentifier, Number, String, Symbol, End }

    internal readonly record struct Token(TokenKind Kind, string Text, int Position);

    internal static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'
                    || ((text[i] == 'e' || text[i] == 'E') && i + 1 < text.Length && (char.IsDigit(text[i + 1]) || text[i + 1] is '-' or '+'))
                    || ((text[i] == '-' || text[i] == '+') && (text[i - 1] == 'e' || text[i - 1] == 'E'))))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i], start));
            }
            else if (c is '\'' or '"' or '`')
            {
                var start = i;
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw PredicateParser.Fail(text, start, $"the quote {c} is not closed");
                    }

                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            sb.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\\' && c != '`' && i + 1 < text.Length)
                    {
                        sb.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    sb.Append(text[i++]);
                }

                tokens.Add(new Token(c == '`' ? TokenKind.QuotedIdentifier : TokenKind.String, sb.ToString(), start));
            }
            else
            {
                var start = i;
                var three = i + 3 <= text.Length ? text.Substring(i, 3) : "";
                var two = i + 2 <= text.Length ? text.Substring(i, 2) : "";
                var symbol = three == "<=>" ? three : two is "<=" or ">=" or "<>" or "!=" or "==" ? two : c.ToString();
                if (symbol.Length == 1 && "=<>(),.-".IndexOf(c, StringComparison.Ordinal) < 0)
                {
                    throw PredicateParser.Fail(text, start, $"unexpected character '{c}'");
                }

                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start));
            }
        }

        tokens.Add(new Token(TokenKind.End, "end of text", text.Length));
        return tokens;
    }
}
