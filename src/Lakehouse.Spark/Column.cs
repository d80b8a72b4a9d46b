using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>
/// A column expression. Immutable: every method returns a new column wrapping a new
/// <c>spark.connect.Expression</c>; nothing is evaluated until a DataFrame action runs.
/// Operators delegate to the named methods (<c>==</c> → <see cref="EqualTo"/>, <c>&amp;</c> → <see cref="And"/>, …).
/// </summary>
public sealed partial class Column
{
    internal Column(Expression expression) => Expression = expression;

    /// <summary>The protobuf expression this column sends.</summary>
    internal Expression Expression { get; }

    /// <summary>Renames the column (SQL <c>AS</c>).</summary>
    /// <param name="name">The new name.</param>
    public Column Alias(string name) =>
        new(new Expression { Alias = new Expression.Types.Alias { Expr = Expression, Name = { name } } });

    /// <summary>Same as <see cref="Alias"/>.</summary>
    /// <param name="name">The new name.</param>
    public Column As(string name) => Alias(name);

    /// <summary>Casts to a type given in DDL form, e.g. <c>"int"</c>, <c>"decimal(18,2)"</c>, <c>"timestamp"</c>.</summary>
    /// <param name="type">The DDL type string.</param>
    public Column Cast(string type) =>
        new(new Expression { Cast = new Expression.Types.Cast { Expr = Expression, TypeStr = type } });

    /// <summary>Casts like <see cref="Cast"/>, but a value that does not convert becomes null instead of failing the
    /// query (Spark's <c>try_cast</c>, cast eval mode TRY).</summary>
    /// <param name="type">The DDL type string.</param>
    public Column TryCast(string type) =>
        new(new Expression
        {
            Cast = new Expression.Types.Cast { Expr = Expression, TypeStr = type, EvalMode = Expression.Types.Cast.Types.EvalMode.Try },
        });

    /// <summary>Ascending sort key, nulls first (Spark's default for ascending).</summary>
    public Column Asc() => Sort(Expression.Types.SortOrder.Types.SortDirection.Ascending, Expression.Types.SortOrder.Types.NullOrdering.SortNullsFirst);

    /// <summary>Ascending sort key, nulls first.</summary>
    public Column AscNullsFirst() => Asc();

    /// <summary>Ascending sort key, nulls last.</summary>
    public Column AscNullsLast() => Sort(Expression.Types.SortOrder.Types.SortDirection.Ascending, Expression.Types.SortOrder.Types.NullOrdering.SortNullsLast);

    /// <summary>Descending sort key, nulls last (Spark's default for descending).</summary>
    public Column Desc() => Sort(Expression.Types.SortOrder.Types.SortDirection.Descending, Expression.Types.SortOrder.Types.NullOrdering.SortNullsLast);

    /// <summary>Descending sort key, nulls first.</summary>
    public Column DescNullsFirst() => Sort(Expression.Types.SortOrder.Types.SortDirection.Descending, Expression.Types.SortOrder.Types.NullOrdering.SortNullsFirst);

    /// <summary>Descending sort key, nulls last.</summary>
    public Column DescNullsLast() => Desc();

    /// <summary>True where the value is null.</summary>
    public Column IsNull() => Fn("isnull");

    /// <summary>True where the value is not null.</summary>
    public Column IsNotNull() => Fn("isnotnull");

    /// <summary>True where the value equals one of <paramref name="values"/> (SQL <c>IN</c>).</summary>
    /// <param name="values">Literal values or columns; a single collection is expanded, as PySpark's isin does.</param>
    public Column IsIn(params object?[] values)
    {
        var items = values is [System.Collections.IEnumerable list and not string and not byte[]] ? list.Cast<object?>() : values;
        return Fn("in", [.. items.Select(Functions.ToColumn)]);
    }

    /// <summary>SQL <c>LIKE</c> with <c>%</c> and <c>_</c> wildcards.</summary>
    /// <param name="pattern">The pattern.</param>
    public Column Like(string pattern) => Fn("like", Functions.Lit(pattern));

    /// <summary>Java-regex match (SQL <c>RLIKE</c>).</summary>
    /// <param name="pattern">The regular expression.</param>
    public Column RLike(string pattern) => Fn("rlike", Functions.Lit(pattern));

    /// <summary>True where the value lies between the bounds, inclusive.</summary>
    /// <param name="lower">Lower bound.</param>
    /// <param name="upper">Upper bound.</param>
    public Column Between(object lower, object upper) => GreaterThanOrEqual(lower).And(LessThanOrEqual(upper));

    /// <summary>Starts-with test.</summary>
    /// <param name="prefix">The prefix.</param>
    public Column StartsWith(string prefix) => Fn("startswith", Functions.Lit(prefix));

    /// <summary>Ends-with test.</summary>
    /// <param name="suffix">The suffix.</param>
    public Column EndsWith(string suffix) => Fn("endswith", Functions.Lit(suffix));

    /// <summary>Substring test.</summary>
    /// <param name="value">The substring.</param>
    public Column Contains(string value) => Fn("contains", Functions.Lit(value));

    /// <summary>Adds a branch to a <see cref="Functions.When"/> chain.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="value">The value where it holds.</param>
    /// <exception cref="InvalidOperationException">This column is not a When chain, or Otherwise was already applied.</exception>
    public Column When(Column condition, object? value)
    {
        var f = WhenChain();
        var copy = f.Clone();
        copy.Arguments.Add(condition.Expression);
        copy.Arguments.Add(Functions.ToColumn(value).Expression);
        return new(new Expression { UnresolvedFunction = copy });
    }

    /// <summary>Ends a <see cref="Functions.When"/> chain with the value for all other rows.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">This column is not a When chain, or Otherwise was already applied.</exception>
    public Column Otherwise(object? value)
    {
        var copy = WhenChain().Clone();
        copy.Arguments.Add(Functions.ToColumn(value).Expression);
        return new(new Expression { UnresolvedFunction = copy });
    }

    /// <summary>Applies the window function or aggregate over a window.</summary>
    /// <param name="window">The window specification.</param>
    public Column Over(WindowSpec window) => new(window.Apply(Expression));

    /// <summary>Struct field, map value or array element (<c>col[key]</c>).</summary>
    /// <param name="key">Field name, map key or 0-based array index.</param>
    public Column GetItem(object key) =>
        new(new Expression { UnresolvedExtractValue = new() { Child = Expression, Extraction = Functions.Lit(key).Expression } });

    /// <inheritdoc />
    public override string ToString() => Expression.ToString();

    /// <summary>Columns compare by reference; <c>==</c> builds an equality expression instead.</summary>
    /// <param name="obj">The other object.</param>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    internal Column Fn(string name, params Column[] others)
    {
        var f = new Expression.Types.UnresolvedFunction { FunctionName = name, Arguments = { Expression } };
        f.Arguments.AddRange(others.Select(o => o.Expression));
        return new(new Expression { UnresolvedFunction = f });
    }

    private Column Sort(Expression.Types.SortOrder.Types.SortDirection direction, Expression.Types.SortOrder.Types.NullOrdering nulls)
    {
        // A key already turned into a sort order keeps its child; the new direction replaces the old one.
        var child = Expression.ExprTypeCase == Expression.ExprTypeOneofCase.SortOrder ? Expression.SortOrder.Child : Expression;
        return new(new Expression { SortOrder = new() { Child = child, Direction = direction, NullOrdering = nulls } });
    }

    private Expression.Types.UnresolvedFunction WhenChain()
    {
        if (Expression.ExprTypeCase != Expression.ExprTypeOneofCase.UnresolvedFunction
            || Expression.UnresolvedFunction.FunctionName != "when")
        {
            throw new InvalidOperationException("When/Otherwise can only follow Functions.When(…).");
        }

        if (Expression.UnresolvedFunction.Arguments.Count % 2 == 1)
        {
            throw new InvalidOperationException("Otherwise was already applied to this When chain.");
        }

        return Expression.UnresolvedFunction;
    }
}
