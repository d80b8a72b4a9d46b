namespace Lakehouse.Embedded.Sql.Text;

/// <summary>
/// Table references in Spark SQL text (after FROM, JOIN and between FROM's commas: <c>delta.`/path`</c>, <c>db.table</c>,
/// session views, with <c>VERSION AS OF n</c> / <c>TIMESTAMP AS OF 'ts'</c>), Spark's <c>range()</c> table function, and
/// the file metadata of expression strings (<c>input_file_name()</c>, <c>_metadata[.field]</c>).
/// </summary>
internal static class SparkSqlTables
{
    private static readonly HashSet<string> MetadataFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "file_path", "file_name", "file_size", "file_block_start", "file_block_length", "file_modification_time",
    };

    private static readonly HashSet<string> ClauseEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "MINUS", "WINDOW", "QUALIFY",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "SEMI", "ANTI", "ON", "USING", "LATERAL", "PIVOT", "UNPIVOT",
        "CLUSTER", "DISTRIBUTE", "SORT", "SELECT", "FROM",
    };

    public static void Rewrite(List<SqlNode> seq, SqlTextContext context)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            if (!(seq[i].IsWord("FROM") || seq[i].IsWord("JOIN")))
            {
                continue;
            }

            var item = SparkSqlSemantics.Next(seq, i);
            while (item is { } at)
            {
                Reference(seq, at, context);
                item = seq[i].IsWord("FROM") ? NextFromItem(seq, at) : null;
            }
        }
    }

    public static void FileMetadata(List<SqlNode> seq, Scope scope)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            var prev = SparkSqlSemantics.Previous(seq, i);
            if (prev is { } p && seq[p].IsSymbol("."))
            {
                continue;
            }

            if (seq[i].IsWord("input_file_name") && SparkSqlSemantics.Next(seq, i) is { } g && seq[g].IsGroup('(') && seq[g].Children.All(n => n.IsSpace))
            {
                seq.RemoveRange(i, g - i + 1);
                seq.Insert(i, SqlNode.Raw(scope.InputFileName()));
            }
            else if (seq[i].IsWord("_metadata") && scope.MetadataSql() is { } metadata)
            {
                var end = i;
                var sql = metadata;
                while (end + 2 < seq.Count && seq[end + 1].IsSymbol(".") && seq[end + 2].Kind == SqlNodeKind.Word && MetadataFields.Contains(seq[end + 2].Text))
                {
                    sql += $"['{seq[end + 2].Text.ToLowerInvariant()}']";
                    end += 2;
                }

                seq.RemoveRange(i, end - i + 1);
                seq.Insert(i, SqlNode.Raw(sql));
            }
        }
    }

    /// <summary>Rewrites the table reference starting at <paramref name="at"/>, if it names a table the engine reads.</summary>
    private static void Reference(List<SqlNode> seq, int at, SqlTextContext context)
    {
        if (seq[at].IsWord("range") && SparkSqlSemantics.Next(seq, at) is { } g && seq[g].IsGroup('('))
        {
            // Spark's range() table function names its column id; DuckDB's names it range.
            var args = SqlEmitter.Trimmed(seq[g].Children);
            if (SparkSqlSemantics.SplitTopLevel(seq[g].Children, ",").Count > 3)
            {
                throw Errors.Unsupported("range numPartitions", "range() with a number of partitions inside SQL text");
            }

            seq.RemoveRange(at, g - at + 1);
            seq.Insert(at, SqlNode.Raw($"(SELECT range AS id FROM range({args}))"));
            return;
        }

        if (seq[at].Kind is not (SqlNodeKind.Word or SqlNodeKind.Ident) || (seq[at].Kind == SqlNodeKind.Word && (ClauseEnds.Contains(seq[at].Text) || seq[at].IsWord("VALUES") || seq[at].IsWord("TABLE"))))
        {
            return;
        }

        var parts = new List<string> { seq[at].Text };
        var end = at;
        while (end + 2 < seq.Count && seq[end + 1].IsSymbol(".") && seq[end + 2].Kind is SqlNodeKind.Word or SqlNodeKind.Ident)
        {
            parts.Add(seq[end + 2].Text);
            end += 2;
        }

        if (SparkSqlSemantics.Next(seq, end) is { } afterName && seq[afterName].IsGroup('('))
        {
            // A table function: left to DuckDB, which reports the ones it does not know.
            return;
        }

        string? version = null;
        string? timestamp = null;
        if (AsOf(seq, end, "VERSION") is { } v && seq[v].Kind == SqlNodeKind.Number)
        {
            version = seq[v].Text;
            end = v;
        }
        else if (AsOf(seq, end, "TIMESTAMP") is { } t && seq[t].Kind == SqlNodeKind.String)
        {
            timestamp = SparkSqlText.Value(seq[t].Text);
            end = t;
        }

        if (context.Table!(parts, version, timestamp) is { } sql)
        {
            seq.RemoveRange(at, end - at + 1);
            seq.Insert(at, SqlNode.Raw($"({sql})"));
        }
    }

    /// <summary>The value node of <c>&lt;keyword&gt; AS OF value</c> after <paramref name="end"/>, or null.</summary>
    private static int? AsOf(List<SqlNode> seq, int end, string keyword)
    {
        var k = SparkSqlSemantics.Next(seq, end);
        var a = k is { } ki ? SparkSqlSemantics.Next(seq, ki) : null;
        var o = a is { } ai ? SparkSqlSemantics.Next(seq, ai) : null;
        return k is { } kk && seq[kk].IsWord(keyword) && a is { } aa && seq[aa].IsWord("AS") && o is { } oo && seq[oo].IsWord("OF")
            ? SparkSqlSemantics.Next(seq, oo)
            : null;
    }

    /// <summary>The start of the next item of a FROM list after the item at <paramref name="at"/> (after a comma), or null at the clause's end.</summary>
    private static int? NextFromItem(List<SqlNode> seq, int at)
    {
        for (var j = at + 1; j < seq.Count; j++)
        {
            if (seq[j].IsSymbol(","))
            {
                return SparkSqlSemantics.Next(seq, j);
            }

            if ((seq[j].Kind == SqlNodeKind.Word && ClauseEnds.Contains(seq[j].Text)) || seq[j].IsSymbol(";"))
            {
                return null;
            }
        }

        return null;
    }
}
