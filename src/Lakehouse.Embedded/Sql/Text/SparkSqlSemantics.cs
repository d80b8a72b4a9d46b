namespace Lakehouse.Embedded.Sql.Text;

/// <summary>
/// Rewrites the nodes of Spark SQL text, level by level (innermost groups first), where DuckDB would compute something
/// else: function calls (<see cref="SparkSqlCalls"/>), <c>::</c> casts, array subscripts, <c>&lt;=&gt;</c>, LIKE's
/// default escape, the RLIKE operator, and the operands of <c>/</c>, <c>%</c> and <c>div</c> (found by Spark's
/// operator precedence: <c>* / % div</c> bind tighter than <c>+ - ||</c>, comparisons and keywords).
/// </summary>
internal static partial class SparkSqlSemantics
{
    /// <summary>Words that end an operand: clause keywords and lower-precedence operators.</summary>
    private static readonly HashSet<string> Boundaries = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "MINUS",
        "ALL", "DISTINCT", "AS", "ON", "USING", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "SEMI", "ANTI",
        "NATURAL", "LATERAL", "AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "BETWEEN", "EXISTS", "CASE",
        "WHEN", "THEN", "ELSE", "END", "ASC", "DESC", "NULLS", "FIRST", "LAST", "WITH", "VALUES", "TABLE", "PARTITION",
        "CLUSTER", "DISTRIBUTE", "SORT", "WINDOW", "QUALIFY", "ROWS", "RANGE", "ESCAPE", "PIVOT", "UNPIVOT", "TABLESAMPLE",
        "ANY", "SOME", "DIV", "FOR", "UNBOUNDED", "PRECEDING", "FOLLOWING", "CURRENT",
    };

    /// <summary>Words that are followed by parentheses without being function calls.</summary>
    private static readonly HashSet<string> NotCalls = new(StringComparer.OrdinalIgnoreCase)
    {
        "IN", "EXISTS", "AS", "VALUES", "USING", "ON", "OVER", "FILTER", "ANY", "ALL", "SOME", "WITHIN", "AND", "OR", "NOT",
        "WHEN", "THEN", "ELSE", "SELECT", "FROM", "JOIN", "WHERE", "BY", "HAVING", "TABLESAMPLE", "PIVOT", "UNPIVOT", "LATERAL",
        "SETS", "CUBE", "ROLLUP", "WITH", "QUALIFY", "WINDOW", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "DISTINCT", "IS", "LIKE",
        "ILIKE", "RLIKE", "BETWEEN", "CASE", "END", "ESCAPE", "INTERVAL", "TABLE", "PARTITION", "ROW",
    };

    private static readonly HashSet<string> Comparisons = ["=", "==", "<", ">", "<=", ">=", "<>", "!=", "<=>"];

    /// <summary>Rewrites a sequence of nodes (and the groups inside it); <paramref name="tableReferences"/> says whether FROM/JOIN here name tables.</summary>
    public static List<SqlNode> Rewrite(List<SqlNode> nodes, SqlTextContext context, bool tableReferences)
    {
        var seq = CollapseCase(nodes, context, tableReferences);
        for (var i = 0; i < seq.Count; i++)
        {
            if (seq[i].Kind == SqlNodeKind.Group)
            {
                var call = seq[i].IsGroup('(') && IsCallName(seq, Previous(seq, i));
                seq[i] = new SqlNode(SqlNodeKind.Group, seq[i].Text, Rewrite(seq[i].Children, context, !call)) { Closed = seq[i].Closed };
            }
        }

        if (tableReferences && context.Table is not null)
        {
            SparkSqlTables.Rewrite(seq, context);
        }

        if (context.Scope is not null)
        {
            SparkSqlTables.FileMetadata(seq, context.Scope);
        }

        Calls(seq, context);
        Subscripts(seq, context);
        ColonCasts(seq, context);
        Operators(seq, context);
        Chains(seq, context);
        return seq;
    }

    /// <summary>Splits nodes at top-level occurrences of a symbol (e.g. the commas between arguments).</summary>
    public static List<List<SqlNode>> SplitTopLevel(List<SqlNode> nodes, string symbol)
    {
        var parts = new List<List<SqlNode>> { new() };
        foreach (var node in nodes)
        {
            if (node.IsSymbol(symbol))
            {
                parts.Add([]);
            }
            else
            {
                parts[^1].Add(node);
            }
        }

        return parts;
    }

    private static List<SqlNode> CollapseCase(List<SqlNode> nodes, SqlTextContext context, bool tableReferences)
    {
        var seq = new List<SqlNode>(nodes);
        for (var i = seq.Count - 1; i >= 0; i--)
        {
            if (!seq[i].IsWord("CASE"))
            {
                continue;
            }

            // Innermost CASE first (from the right): its END is the first one after it.
            var end = seq.FindIndex(i + 1, n => n.IsWord("END"));
            if (end < 0)
            {
                continue;
            }

            var inner = Rewrite(seq.GetRange(i + 1, end - i - 1), context, tableReferences);
            seq.RemoveRange(i, end - i + 1);
            seq.Insert(i, SqlNode.Raw($"CASE{SqlEmitter.Emit(inner)}END"));
        }

        return seq;
    }

    private static void Calls(List<SqlNode> seq, SqlTextContext context)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            if (seq[i].Kind != SqlNodeKind.Word || NotCalls.Contains(seq[i].Text) || Next(seq, i) is not { } g || !seq[g].IsGroup('(')
                || !IsCallName(seq, i))
            {
                continue;
            }

            if (SparkSqlCalls.Rewrite(seq[i].Text, seq[g].Children, context) is { } sql)
            {
                seq.RemoveRange(i, g - i + 1);
                seq.Insert(i, SqlNode.Raw(sql));
            }
        }
    }

    private static void Subscripts(List<SqlNode> seq, SqlTextContext context)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            if (!seq[i].IsGroup('[') || PostfixBase(seq, i) is not { } start)
            {
                continue;
            }

            var index = seq[i].Children.Where(n => !n.IsSpace).ToList();
            // A string key reads a map or struct field, as in DuckDB; DuckDB's slices (a[1:2]) are not Spark SQL.
            if (index is [{ Kind: SqlNodeKind.String }] || index.Count == 0 || seq[i].Children.Any(n => n.IsSymbol(":")))
            {
                continue;
            }

            var sql = Functions.ArrayIndex($"({SqlEmitter.Trimmed(seq.GetRange(start, i - start))})", SqlEmitter.Trimmed(seq[i].Children), context.Settings.Ansi);
            seq.RemoveRange(start, i - start + 1);
            seq.Insert(start, SqlNode.Raw(sql));
            i = start;
        }
    }

    private static void ColonCasts(List<SqlNode> seq, SqlTextContext context)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            if (!seq[i].IsSymbol("::") || PostfixBase(seq, i) is not { } start || Next(seq, i) is not { } t || seq[t].Kind != SqlNodeKind.Word)
            {
                continue;
            }

            var end = Next(seq, t) is { } g && seq[g].IsGroup('(') ? g : t;
            if (Next(seq, end) is { } angle && seq[angle].IsSymbol("<"))
            {
                throw Errors.Unsupported("cast syntax", "A :: cast to a complex type inside SQL text; use CAST(… AS …)");
            }

            var sql = SparkSqlCalls.CastSql(SqlEmitter.Trimmed(seq.GetRange(start, i - start)), SqlEmitter.Trimmed(seq.GetRange(t, end - t + 1)), false, context.Settings.Ansi);
            seq.RemoveRange(start, end - start + 1);
            seq.Insert(start, SqlNode.Raw(sql));
            i = start;
        }
    }

    /// <summary>The index where the operand of a postfix operator at <paramref name="at"/> starts (a name chain, a call, a literal, a group), or null.</summary>
    private static int? PostfixBase(List<SqlNode> seq, int at)
    {
        if (Previous(seq, at) is not { } p)
        {
            return null;
        }

        var node = seq[p];
        switch (node.Kind)
        {
            case SqlNodeKind.Raw or SqlNodeKind.String or SqlNodeKind.Number:
                return p;
            case SqlNodeKind.Group when node.IsGroup('('):
                return Previous(seq, p) is { } w && seq[w].Kind == SqlNodeKind.Word && !NotCalls.Contains(seq[w].Text) && IsCallName(seq, w) ? NameChain(seq, w) : p;
            case SqlNodeKind.Ident:
                return NameChain(seq, p);
            case SqlNodeKind.Word when !Boundaries.Contains(node.Text) && !NotCalls.Contains(node.Text):
                return NameChain(seq, p);
            default:
                return null;
        }
    }

    /// <summary>The start of a dotted name ending at <paramref name="last"/> (<c>t.col</c>, <c>db.t.col</c>).</summary>
    private static int NameChain(List<SqlNode> seq, int last)
    {
        var start = last;
        while (Previous(seq, start) is { } dot && seq[dot].IsSymbol(".") && Previous(seq, dot) is { } name && seq[name].Kind is SqlNodeKind.Word or SqlNodeKind.Ident or SqlNodeKind.Raw)
        {
            start = name;
        }

        return start;
    }

    /// <summary>Whether the word at <paramref name="i"/>, followed by parentheses, is a function call (not a table or CTE alias with a column list).</summary>
    private static bool IsCallName(List<SqlNode> seq, int? i)
    {
        if (i is not { } w || seq[w].Kind != SqlNodeKind.Word || NotCalls.Contains(seq[w].Text))
        {
            return false;
        }

        if (Previous(seq, w) is not { } p)
        {
            return true;
        }

        var prev = seq[p];
        return prev.Kind switch
        {
            SqlNodeKind.Symbol => true,
            SqlNodeKind.Word => !prev.IsWord("AS") && (Boundaries.Contains(prev.Text) || NotCalls.Contains(prev.Text)),
            _ => false,
        };
    }

    internal static int? Previous(List<SqlNode> seq, int i)
    {
        for (var j = i - 1; j >= 0; j--)
        {
            if (!seq[j].IsSpace)
            {
                return j;
            }
        }

        return null;
    }

    internal static int? Next(List<SqlNode> seq, int i)
    {
        for (var j = i + 1; j < seq.Count; j++)
        {
            if (!seq[j].IsSpace)
            {
                return j;
            }
        }

        return null;
    }
}
