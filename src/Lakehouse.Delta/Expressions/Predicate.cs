namespace Lakehouse.Delta.Expressions;

/// <summary>
/// A boolean condition over a table's columns, used to prune files (partition values, statistics),
/// to choose the partitions of a <c>replaceWhere</c>, and to select the rows of a delete.
/// Build one in code or parse SQL-like text with <see cref="PredicateParser"/>.
/// </summary>
public abstract record Predicate
{
    /// <summary>Both conditions.</summary>
    public static Predicate operator &(Predicate left, Predicate right) => new And(left, right);

    /// <summary>Either condition.</summary>
    public static Predicate operator |(Predicate left, Predicate right) => new Or(left, right);

    /// <summary>The negation.</summary>
    public static Predicate operator !(Predicate p) => new Not(p);

    /// <summary>The columns the predicate refers to.</summary>
    public IEnumerable<ColumnRef> Columns() => this switch
    {
        Comparison c => [c.Column],
        IsNull n => [n.Column],
        In i => [i.Column],
        And a => a.Left.Columns().Concat(a.Right.Columns()),
        Or o => o.Left.Columns().Concat(o.Right.Columns()),
        Not n => n.Inner.Columns(),
        _ => [],
    };
}

/// <summary>A column, possibly nested (<c>a.b.c</c> is the path [a, b, c]).</summary>
public sealed record ColumnRef(IReadOnlyList<string> Path)
{
    /// <summary>A top-level or dotted column name.</summary>
    public ColumnRef(string name) : this(name.Split('.')) { }

    /// <summary>The top-level column name.</summary>
    public string Name => Path[0];

    /// <inheritdoc />
    public bool Equals(ColumnRef? other) => other is not null && Path.SequenceEqual(other.Path, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => Path.Aggregate(0, (h, p) => HashCode.Combine(h, StringComparer.OrdinalIgnoreCase.GetHashCode(p)));

    /// <inheritdoc />
    public override string ToString() => string.Join('.', Path.Select(p => p.All(c => char.IsLetterOrDigit(c) || c == '_') ? p : $"`{p.Replace("`", "``", StringComparison.Ordinal)}`"));
}

/// <summary>
/// A constant. <see cref="Value"/> is null, <see cref="bool"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/> (timestamp) or <see cref="DateTime"/> (timestamp without time zone).
/// </summary>
public sealed record Literal(object? Value)
{
    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        null => "NULL",
        string s => $"'{s.Replace("'", "''", StringComparison.Ordinal)}'",
        bool b => b ? "true" : "false",
        DateOnly d => $"DATE'{d:yyyy-MM-dd}'",
        DateTimeOffset t => $"TIMESTAMP'{t.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}Z'",
        DateTime t => $"TIMESTAMP_NTZ'{t:yyyy-MM-dd HH:mm:ss.ffffff}'",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };
}

/// <summary>The comparison operators.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c>; NULL on either side gives NULL (no match).</summary>
    Equal,
    /// <summary><c>&lt;&gt;</c> or <c>!=</c>.</summary>
    NotEqual,
    /// <summary><c>&lt;</c></summary>
    LessThan,
    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,
    /// <summary><c>&gt;</c></summary>
    GreaterThan,
    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,
    /// <summary><c>&lt;=&gt;</c>: equal, with NULL equal to NULL.</summary>
    NullSafeEqual,
}

/// <summary><c>column op literal</c>.</summary>
public sealed record Comparison(ColumnRef Column, ComparisonOperator Operator, Literal Value) : Predicate
{
    /// <inheritdoc />
    public override string ToString() => $"{Column} {Operator switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        _ => "<=>",
    }} {Value}";
}

/// <summary><c>column IS NULL</c>, or <c>IS NOT NULL</c> when <see cref="Negated"/>.</summary>
public sealed record IsNull(ColumnRef Column, bool Negated = false) : Predicate
{
    /// <inheritdoc />
    public override string ToString() => $"{Column} IS {(Negated ? "NOT " : "")}NULL";
}

/// <summary><c>column IN (v1, v2, …)</c>.</summary>
public sealed record In(ColumnRef Column, IReadOnlyList<Literal> Values) : Predicate
{
    /// <inheritdoc />
    public bool Equals(In? other) => other is not null && Column.Equals(other.Column) && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Column, Values.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Column} IN ({string.Join(", ", Values)})";
}

/// <summary>Both conditions hold.</summary>
public sealed record And(Predicate Left, Predicate Right) : Predicate
{
    /// <inheritdoc />
    public override string ToString() => $"({Left} AND {Right})";
}

/// <summary>Either condition holds.</summary>
public sealed record Or(Predicate Left, Predicate Right) : Predicate
{
    /// <inheritdoc />
    public override string ToString() => $"({Left} OR {Right})";
}

/// <summary>The condition does not hold.</summary>
public sealed record Not(Predicate Inner) : Predicate
{
    /// <inheritdoc />
    public override string ToString() => $"NOT ({Inner})";
}
