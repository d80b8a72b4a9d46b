using System.Globalization;

namespace Lakehouse.Delta.Expressions;

/// <summary>
/// Parses the SQL subset Delta users write in <c>replaceWhere</c>, delete conditions and partition filters:
/// comparisons (<c>= &lt;&gt; != &lt; &lt;= &gt; &gt;= &lt;=&gt;</c>) between a column and a literal, <c>IS [NOT] NULL</c>,
/// <c>[NOT] IN (…)</c>, <c>BETWEEN … AND …</c>, <c>AND</c>, <c>OR</c>, <c>NOT</c> and parentheses. Literals: numbers,
/// <c>'strings'</c>, <c>DATE'…'</c>, <c>TIMESTAMP'…'</c> (UTC unless an offset is given), <c>TIMESTAMP_NTZ'…'</c>, <c>true</c>,
/// <c>false</c>, <c>NULL</c>. Identifiers may be back-quoted and dotted for nested fields.
/// </summary>
public static class PredicateParser
{
    /// <summary>Parses <paramref name="text"/>; raises <see cref="DeltaException"/> (InvalidRequest) pointing at the position that failed.</summary>
    public static Predicate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = new Parser(text);
        var result = p.ParseOr();
        p.ExpectEnd();
        return result;
    }

    private sealed class Parser(string text)
    {
        private readonly List<PredicateLexer.Token> _tokens = PredicateLexer.Tokenize(text);
        private int _pos;

        private PredicateLexer.Token Peek => _tokens[_pos];

        public void ExpectEnd()
        {
            if (Peek.Kind != PredicateLexer.TokenKind.End)
            {
                throw Error($"unexpected '{Peek.Text}'");
            }
        }

        public Predicate ParseOr()
        {
            var left = ParseAnd();
            while (AcceptKeyword("OR"))
            {
                left = new Or(left, ParseAnd());
            }

            return left;
        }

        private Predicate ParseAnd()
        {
            var left = ParseNot();
            while (AcceptKeyword("AND"))
            {
                left = new And(left, ParseNot());
            }

            return left;
        }

        private Predicate ParseNot() => AcceptKeyword("NOT") ? new Not(ParseNot()) : ParsePrimary();

        private Predicate ParsePrimary()
        {
            if (Accept(PredicateLexer.TokenKind.Symbol, "("))
            {
                var inner = ParseOr();
                Expect(PredicateLexer.TokenKind.Symbol, ")");
                return inner;
            }

            if (IsLiteralStart())
            {
                // literal op column: flip it around so the column is on the left.
                var literal = ParseLiteral();
                var op = ParseOperator();
                var column = ParseColumn();
                return new Comparison(column, Flip(op), literal);
            }

            var col = ParseColumn();
            if (AcceptKeyword("IS"))
            {
                var negated = AcceptKeyword("NOT");
                ExpectKeyword("NULL");
                return new IsNull(col, negated);
            }

            var not = AcceptKeyword("NOT");
            if (AcceptKeyword("IN"))
            {
                Expect(PredicateLexer.TokenKind.Symbol, "(");
                var values = new List<Literal> { ParseLiteral() };
                while (Accept(PredicateLexer.TokenKind.Symbol, ","))
                {
                    values.Add(ParseLiteral());
                }

                Expect(PredicateLexer.TokenKind.Symbol, ")");
                Predicate @in = new In(col, values);
                return not ? new Not(@in) : @in;
            }

            if (AcceptKeyword("BETWEEN"))
            {
                var low = ParseLiteral();
                ExpectKeyword("AND");
                var high = ParseLiteral();
                Predicate between = new And(new Comparison(col, ComparisonOperator.GreaterThanOrEqual, low), new Comparison(col, ComparisonOperator.LessThanOrEqual, high));
                return not ? new Not(between) : between;
            }

            if (not)
            {
                throw Error("expected IN or BETWEEN after NOT");
            }

            var oper = ParseOperator();
            return new Comparison(col, oper, ParseLiteral());
        }

        private ColumnRef ParseColumn()
        {
            var parts = new List<string> { ExpectIdentifier() };
            while (Accept(PredicateLexer.TokenKind.Symbol, "."))
            {
                parts.Add(ExpectIdentifier());
            }

            return new ColumnRef(parts);
        }

        private string ExpectIdentifier()
        {
            var t = Peek;
            if (t.Kind is PredicateLexer.TokenKind.Identifier or PredicateLexer.TokenKind.QuotedIdentifier)
            {
                _pos++;
                return t.Text;
            }

            throw Error($"expected a column name but found '{t.Text}'");
        }

        private ComparisonOperator ParseOperator()
        {
            var t = Peek;
            if (t.Kind == PredicateLexer.TokenKind.Symbol)
            {
                var op = ComparisonOperators.FromSymbol(t.Text);
                if (op is { } o)
                {
                    _pos++;
                    return o;
                }
            }

            throw Error($"expected a comparison operator but found '{t.Text}'");
        }

        private bool IsLiteralStart()
        {
            var t = Peek;
            return t.Kind is PredicateLexer.TokenKind.Number or PredicateLexer.TokenKind.String
                || (t.Kind == PredicateLexer.TokenKind.Symbol && t.Text == "-")
                || (t.Kind == PredicateLexer.TokenKind.Identifier && t.Text.ToUpperInvariant() is "TRUE" or "FALSE" or "NULL"
                    || (t.Kind == PredicateLexer.TokenKind.Identifier && t.Text.ToUpperInvariant() is "DATE" or "TIMESTAMP" or "TIMESTAMP_NTZ" && _tokens[_pos + 1].Kind == PredicateLexer.TokenKind.String));
        }

        private Literal ParseLiteral()
        {
            var t = Peek;
            if (t.Kind == PredicateLexer.TokenKind.Symbol && t.Text == "-" && _tokens[_pos + 1].Kind == PredicateLexer.TokenKind.Number)
            {
                _pos++;
                return new Literal(Negate(ParseNumber(Next().Text)));
            }

            if (t.Kind == PredicateLexer.TokenKind.Number)
            {
                return new Literal(ParseNumber(Next().Text));
            }

            if (t.Kind == PredicateLexer.TokenKind.String)
            {
                return new Literal(Next().Text);
            }

            if (t.Kind == PredicateLexer.TokenKind.Identifier)
            {
                var word = t.Text.ToUpperInvariant();
                switch (word)
                {
                    case "TRUE": Next(); return new Literal(true);
                    case "FALSE": Next(); return new Literal(false);
                    case "NULL": Next(); return new Literal(null);
                    case "DATE" or "TIMESTAMP" or "TIMESTAMP_NTZ" when _tokens[_pos + 1].Kind == PredicateLexer.TokenKind.String:
                        Next();
                        var s = Next().Text;
                        return new Literal(word switch
                        {
                            "DATE" => ParseDate(s),
                            "TIMESTAMP" => ParseTimestamp(s),
                            _ => ParseTimestampNtz(s),
                        });
                }
            }

            throw Error($"expected a literal but found '{t.Text}'");
        }

        private object ParseDate(string s) =>
            DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Error($"'{s}' is not a date (yyyy-MM-dd)");

        private object ParseTimestamp(string s) =>
            DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t : throw Error($"'{s}' is not a timestamp (yyyy-MM-dd HH:mm:ss[.ffffff][offset])");

        private object ParseTimestampNtz(string s) =>
            DateTime.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : throw Error($"'{s}' is not a timestamp (yyyy-MM-dd HH:mm:ss[.ffffff])");

        private object ParseNumber(string s)
        {
            if (s.Contains('e', StringComparison.OrdinalIgnoreCase))
            {
                return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            if (s.Contains('.', StringComparison.Ordinal))
            {
                return decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture);
            }

            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            return decimal.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var big) ? big : throw Error($"'{s}' is not a number");
        }

        private static object Negate(object n) => n switch
        {
            long l => -l,
            decimal d => -d,
            double d => -d,
            _ => n,
        };

        private static ComparisonOperator Flip(ComparisonOperator op) => op switch
        {
            ComparisonOperator.LessThan => ComparisonOperator.GreaterThan,
            ComparisonOperator.LessThanOrEqual => ComparisonOperator.GreaterThanOrEqual,
            ComparisonOperator.GreaterThan => ComparisonOperator.LessThan,
            ComparisonOperator.GreaterThanOrEqual => ComparisonOperator.LessThanOrEqual,
            _ => op,
        };

        private PredicateLexer.Token Next() => _tokens[_pos++];

        private bool Accept(PredicateLexer.TokenKind kind, string text)
        {
            if (Peek.Kind == kind && Peek.Text == text)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void Expect(PredicateLexer.TokenKind kind, string text)
        {
            if (!Accept(kind, text))
            {
                throw Error($"expected '{text}' but found '{Peek.Text}'");
            }
        }

        private bool AcceptKeyword(string word)
        {
            if (Peek.Kind == PredicateLexer.TokenKind.Identifier && string.Equals(Peek.Text, word, StringComparison.OrdinalIgnoreCase))
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void ExpectKeyword(string word)
        {
            if (!AcceptKeyword(word))
            {
                throw Error($"expected {word} but found '{Peek.Text}'");
            }
        }

        private DeltaException Error(string what) => Fail(text, Peek.Position, what);
    }

    internal static DeltaException Fail(string text, int position, string what) =>
        new(DeltaErrorKind.InvalidRequest,
            $"Cannot parse the condition \"{text}\" at position {position + 1}: {what}. "
            + "Write comparisons of a column with a literal joined by AND/OR, e.g. \"date >= DATE'2024-01-01' AND region = 'EU'\".");
}
