namespace Lakehouse.Embedded.Sql.Text;

internal static partial class SparkSqlSemantics
{
    private static void Operators(List<SqlNode> seq, SqlTextContext context)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            var node = seq[i];
            if (node.IsSymbol("<=>"))
            {
                // Spark's null-safe equality; DuckDB has no <=> operator.
                seq[i] = SqlNode.Raw("IS NOT DISTINCT FROM");
            }
            else if (node.IsWord("LIKE") || node.IsWord("ILIKE"))
            {
                Like(seq, i);
            }
            else if (node.IsWord("RLIKE") || node.IsWord("REGEXP"))
            {
                i = Rlike(seq, i);
            }
        }
    }

    /// <summary>Spark's LIKE escapes with a backslash unless ESCAPE says otherwise; DuckDB's LIKE has no default escape.</summary>
    private static void Like(List<SqlNode> seq, int like)
    {
        if (Next(seq, like) is { } n && (seq[n].IsWord("ANY") || seq[n].IsWord("ALL") || seq[n].IsWord("SOME")))
        {
            throw Errors.Unsupported("LIKE ANY/ALL", $"LIKE {seq[n].Text.ToUpperInvariant()} (…) inside SQL text; combine LIKE conditions with OR/AND");
        }

        var last = ComparisonOperandEnd(seq, like);
        if (last == like || (Next(seq, last) is { } after && seq[after].IsWord("ESCAPE")))
        {
            return;
        }

        seq.Insert(last + 1, SqlNode.Raw(" ESCAPE '\\'"));
    }

    /// <summary><c>a [NOT] RLIKE b</c> (a regex search) as DuckDB's regexp_matches; returns where to continue.</summary>
    private static int Rlike(List<SqlNode> seq, int op)
    {
        var before = Previous(seq, op);
        var negated = before is { } p && seq[p].IsWord("NOT");
        var leftEnd = (negated ? Previous(seq, before!.Value) : before) ?? -1;
        var leftStart = leftEnd;
        while (leftStart >= 0 && Previous(seq, leftStart) is { } q && !EndsComparisonOperand(seq, q))
        {
            leftStart = q;
        }

        var rightEnd = ComparisonOperandEnd(seq, op);
        if (leftEnd < 0 || rightEnd == op)
        {
            throw Errors.Unsupported("rlike syntax", "An RLIKE without two operands inside SQL text");
        }

        var left = SqlEmitter.Trimmed(seq.GetRange(leftStart, leftEnd - leftStart + 1));
        var right = SqlEmitter.Trimmed(seq.GetRange(op + 1, rightEnd - op));
        seq.RemoveRange(leftStart, rightEnd - leftStart + 1);
        seq.Insert(leftStart, SqlNode.Raw($"{(negated ? "NOT " : "")}regexp_matches({left}, {right})"));
        return leftStart;
    }

    /// <summary>The last node of the operand after the comparison-level operator at <paramref name="op"/> (or <paramref name="op"/> when there is none).</summary>
    private static int ComparisonOperandEnd(List<SqlNode> seq, int op)
    {
        var last = op;
        while (Next(seq, last) is { } n && !EndsComparisonOperand(seq, n))
        {
            last = n;
        }

        return last;
    }

    private static bool EndsComparisonOperand(List<SqlNode> seq, int i)
    {
        var node = seq[i];
        return node.Kind switch
        {
            SqlNodeKind.Symbol => node.Text is "," or ";" || Comparisons.Contains(node.Text),
            SqlNodeKind.Word => IsBoundaryWord(seq, i),
            SqlNodeKind.Raw => node.Text == "IS NOT DISTINCT FROM",
            _ => false,
        };
    }

    private static bool IsBoundaryWord(List<SqlNode> seq, int i) =>
        seq[i].Kind == SqlNodeKind.Word && Boundaries.Contains(seq[i].Text) && !(Next(seq, i) is { } g && seq[g].IsGroup('(') && IsCallName(seq, i));

    /// <summary>
    /// Spark's <c>/</c> (double division, NULL or DIVIDE_BY_ZERO for a zero divisor), <c>%</c> (same zero rule) and
    /// <c>div</c> (truncating bigint division): each chain of <c>* / % div</c> is folded left to right.
    /// </summary>
    private static void Chains(List<SqlNode> seq, SqlTextContext context)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            if (!IsRewrittenOperator(seq, i))
            {
                continue;
            }

            var start = i;
            while (Previous(seq, start) is { } p && (IsOperand(seq, p) || IsMultiplicative(seq, p)))
            {
                start = p;
            }

            var end = i;
            while (Next(seq, end) is { } n && (IsOperand(seq, n) || IsMultiplicative(seq, n)))
            {
                end = n;
            }

            var sql = Fold(seq.GetRange(start, end - start + 1), context.Settings.Ansi);
            seq.RemoveRange(start, end - start + 1);
            seq.Insert(start, SqlNode.Raw(sql));
            i = start;
        }
    }

    private static string Fold(List<SqlNode> chain, bool ansi)
    {
        string? acc = null;
        string? op = null;
        var operand = new List<SqlNode>();
        void Apply()
        {
            var text = SqlEmitter.Trimmed(operand);
            acc = acc is null ? text : op switch
            {
                "*" => $"{acc} * {text}",
                "/" => Divide($"({acc})", $"({text})", ansi),
                "%" => Functions.NonZero(ansi, $"({text})", $"(({acc}) % ({text}))"),
                _ => IntegralDivide($"({acc})", $"({text})", ansi),
            };
            operand.Clear();
        }

        for (var i = 0; i < chain.Count; i++)
        {
            if (IsMultiplicative(chain, i) && operand.Any(n => !n.IsSpace))
            {
                Apply();
                op = chain[i].Kind == SqlNodeKind.Word ? "div" : chain[i].Text;
            }
            else
            {
                operand.Add(chain[i]);
            }
        }

        Apply();
        return acc!;
    }

    private static string Divide(string left, string right, bool ansi) =>
        $"(CASE WHEN {DecimalOperand(left, right)} THEN {RefuseDecimal("/")} ELSE {Functions.NonZero(ansi, right, $"(CAST({left} AS DOUBLE) / CAST({right} AS DOUBLE))")} END)";

    private static string IntegralDivide(string left, string right, bool ansi) =>
        $"(CASE WHEN {DecimalOperand(left, right)} THEN {RefuseDecimal("div")} ELSE {Functions.NonZero(ansi, right, $"(CAST(trunc({left}) AS BIGINT) // CAST(trunc({right}) AS BIGINT))")} END)";

    private static string DecimalOperand(string left, string right) => $"(typeof({left}) LIKE 'DECIMAL%' OR typeof({right}) LIKE 'DECIMAL%')";

    /// <summary>Spark types a decimal quotient by DecimalPrecision from the operands' types, which the text does not give: refused when the query runs.</summary>
    private static string RefuseDecimal(string op) => RuntimeErrors.Raise("LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", "0A000", SqlText.Str(
        $"The operator {op} with a decimal operand inside SQL text is not supported by the embedded engine (Spark's decimal result type and rounding depend on the operand types, which the text does not give). "
        + "Use the DataFrame operator, cast an operand to DOUBLE, or run this job on Apache Spark."));

    /// <summary>Whether the node at <paramref name="i"/> is a <c>/</c>, <c>%</c> or <c>div</c> with an operand before it.</summary>
    private static bool IsRewrittenOperator(List<SqlNode> seq, int i) =>
        (seq[i].IsSymbol("/") || seq[i].IsSymbol("%") || seq[i].IsWord("DIV")) && Previous(seq, i) is { } p && IsOperand(seq, p) && Next(seq, i) is not null;

    private static bool IsMultiplicative(List<SqlNode> seq, int i) =>
        (seq[i].IsSymbol("*") || seq[i].IsSymbol("/") || seq[i].IsSymbol("%") || seq[i].IsWord("DIV")) && Previous(seq, i) is { } p && IsOperand(seq, p);

    /// <summary>Whether the node at <paramref name="i"/> is part of an operand of a multiplicative operator (a unary sign included).</summary>
    private static bool IsOperand(List<SqlNode> seq, int i)
    {
        var node = seq[i];
        switch (node.Kind)
        {
            case SqlNodeKind.Ident or SqlNodeKind.String or SqlNodeKind.Number or SqlNodeKind.Group or SqlNodeKind.Raw:
                return true;
            case SqlNodeKind.Word:
                return !IsBoundaryWord(seq, i) && !node.IsWord("DIV");
            case SqlNodeKind.Symbol when node.Text is "." or "::":
                return true;
            case SqlNodeKind.Symbol when node.Text is "-" or "+" or "~":
                // A sign is unary (part of the operand) unless an operand precedes it.
                return Previous(seq, i) is not { } p || !IsOperand(seq, p) || IsMultiplicative(seq, p);
            case SqlNodeKind.Symbol when node.Text == "*":
                // SELECT *, t.*: a star that does not multiply.
                return Previous(seq, i) is not { } q || !IsOperand(seq, q) || seq[q].IsSymbol(".");
            default:
                return false;
        }
    }
}
