namespace Lakehouse.Embedded.Sql.Text;

/// <summary>What a <see cref="SqlNode"/> of Spark SQL text is.</summary>
internal enum SqlNodeKind
{
    /// <summary>Spaces and line breaks (comments become one space).</summary>
    Space,

    /// <summary>An unquoted word: keyword, name or function name.</summary>
    Word,

    /// <summary>A backquoted identifier; <see cref="SqlNode.Text"/> is the name without quotes.</summary>
    Ident,

    /// <summary>A string literal as Spark wrote it (single or double quotes, backslash escapes).</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>An operator or punctuation.</summary>
    Symbol,

    /// <summary>Parentheses or brackets and what they enclose.</summary>
    Group,

    /// <summary>DuckDB SQL produced by a rewrite, emitted as it is.</summary>
    Raw,
}

/// <summary>A token of Spark SQL text, a bracketed group of nodes, or rewritten DuckDB SQL.</summary>
internal sealed class SqlNode(SqlNodeKind kind, string text, List<SqlNode>? children = null)
{
    public SqlNodeKind Kind { get; } = kind;

    /// <summary>The token text; for a group its opening bracket; for raw nodes the DuckDB SQL.</summary>
    public string Text { get; } = text;

    /// <summary>The nodes inside a group (empty for tokens).</summary>
    public List<SqlNode> Children { get; } = children ?? [];

    /// <summary>Whether the group's closing bracket was present.</summary>
    public bool Closed { get; init; } = true;

    public bool IsSpace => Kind == SqlNodeKind.Space;

    public bool IsGroup(char open) => Kind == SqlNodeKind.Group && Text[0] == open;

    public bool IsWord(string word) => Kind == SqlNodeKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlNodeKind.Symbol && Text == symbol;

    public static SqlNode Raw(string sql) => new(SqlNodeKind.Raw, sql);

    public override string ToString() => SqlEmitter.Emit([this]);
}
