using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>
/// Column functions, named as in PySpark (PascalCase) and sent as <c>UnresolvedFunction</c> calls with
/// Spark's SQL function names. Meant for <c>using static Lakehouse.Spark.Functions;</c>. Split by family
/// into partial files (string, date/time, aggregate, window, null handling and hashing).
/// </summary>
public static partial class Functions
{
    /// <summary>A column by name; <c>"*"</c> and <c>"t.*"</c> are stars.</summary>
    /// <param name="name">Column name, possibly qualified (<c>o.amount</c>) or backticked.</param>
    public static Column Col(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "*")
        {
            return new(new Expression { UnresolvedStar = new() });
        }

        if (name.EndsWith(".*", StringComparison.Ordinal))
        {
            return new(new Expression { UnresolvedStar = new() { UnparsedTarget = name } });
        }

        return new(new Expression { UnresolvedAttribute = new() { UnparsedIdentifier = name } });
    }

    /// <summary>Same as <see cref="Col"/>.</summary>
    /// <param name="name">Column name.</param>
    public static Column Column(string name) => Col(name);

    /// <summary>
    /// A literal. Supports null, bool, integers, float, double, decimal, string, byte[], DateOnly (date),
    /// DateTimeOffset and UTC/local DateTime (timestamp), unspecified-kind DateTime (timestamp_ntz),
    /// TimeSpan (day-time interval), arrays of those and dictionaries (maps). A <see cref="Spark.Column"/> is returned as is.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The value's type has no Spark literal form.</exception>
    public static Column Lit(object? value) =>
        value as Column ?? new Column(new Expression { Literal = Literals.From(value) });

    /// <summary>A SQL expression parsed by the server, e.g. <c>Expr("amount * 2")</c>.</summary>
    /// <param name="sql">The expression text.</param>
    public static Column Expr(string sql) => new(new Expression { ExpressionString = new() { Expression = sql } });

    /// <summary>Starts a CASE WHEN chain; continue with <see cref="Spark.Column.When"/> and <see cref="Spark.Column.Otherwise"/>.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="value">The value where it holds (column or literal).</param>
    public static Column When(Column condition, object? value) => Call("when", condition, ToColumn(value));

    /// <summary>Ascending sort key of a column by name.</summary>
    /// <param name="name">Column name.</param>
    public static Column Asc(string name) => Col(name).Asc();

    /// <summary>Descending sort key of a column by name.</summary>
    /// <param name="name">Column name.</param>
    public static Column Desc(string name) => Col(name).Desc();

    /// <summary>Absolute value.</summary>
    /// <param name="column">The column.</param>
    public static Column Abs(Column column) => Call("abs", column);

    /// <summary>Rounds half up to <paramref name="scale"/> decimal places.</summary>
    /// <param name="column">The column.</param>
    /// <param name="scale">Decimal places.</param>
    public static Column Round(Column column, int scale = 0) => Call("round", column, Lit(scale));

    /// <summary>Calls any Spark SQL function by name.</summary>
    /// <param name="name">The function's SQL name.</param>
    /// <param name="arguments">Its arguments.</param>
    public static Column CallFunction(string name, params Column[] arguments) => Call(name, arguments);

    internal static Column Call(string name, params Column[] arguments) => Call(name, false, arguments);

    internal static Column Call(string name, bool distinct, params Column[] arguments)
    {
        var f = new Expression.Types.UnresolvedFunction { FunctionName = name, IsDistinct = distinct };
        f.Arguments.AddRange(arguments.Select(a => a.Expression));
        return new(new Expression { UnresolvedFunction = f });
    }

    internal static Column ToColumn(object? value) => value as Column ?? Lit(value);
}
