namespace Lakehouse.Spark;

public sealed partial class Column
{
    /// <summary>Equality (<c>=</c>); null if either side is null.</summary>
    /// <param name="other">A column or literal.</param>
    public Column EqualTo(object? other) => Fn("==", Functions.ToColumn(other));

    /// <summary>Null-safe equality (<c>&lt;=&gt;</c>).</summary>
    /// <param name="other">A column or literal.</param>
    public Column EqNullSafe(object? other) => Fn("<=>", Functions.ToColumn(other));

    /// <summary>Inequality, sent as <c>not(a == b)</c> as PySpark's connect Column does.</summary>
    /// <param name="other">A column or literal.</param>
    public Column NotEqual(object? other) => EqualTo(other).Not();

    /// <summary>Greater than.</summary>
    /// <param name="other">A column or literal.</param>
    public Column GreaterThan(object? other) => Fn(">", Functions.ToColumn(other));

    /// <summary>Greater than or equal.</summary>
    /// <param name="other">A column or literal.</param>
    public Column GreaterThanOrEqual(object? other) => Fn(">=", Functions.ToColumn(other));

    /// <summary>Less than.</summary>
    /// <param name="other">A column or literal.</param>
    public Column LessThan(object? other) => Fn("<", Functions.ToColumn(other));

    /// <summary>Less than or equal.</summary>
    /// <param name="other">A column or literal.</param>
    public Column LessThanOrEqual(object? other) => Fn("<=", Functions.ToColumn(other));

    /// <summary>Addition.</summary>
    /// <param name="other">A column or literal.</param>
    public Column Plus(object? other) => Fn("+", Functions.ToColumn(other));

    /// <summary>Subtraction.</summary>
    /// <param name="other">A column or literal.</param>
    public Column Minus(object? other) => Fn("-", Functions.ToColumn(other));

    /// <summary>Multiplication.</summary>
    /// <param name="other">A column or literal.</param>
    public Column Multiply(object? other) => Fn("*", Functions.ToColumn(other));

    /// <summary>Division; always fractional in Spark (<c>7 / 2 = 3.5</c>).</summary>
    /// <param name="other">A column or literal.</param>
    public Column Divide(object? other) => Fn("/", Functions.ToColumn(other));

    /// <summary>Remainder.</summary>
    /// <param name="other">A column or literal.</param>
    public Column Mod(object? other) => Fn("%", Functions.ToColumn(other));

    /// <summary>Logical and.</summary>
    /// <param name="other">A boolean column or literal.</param>
    public Column And(object? other) => Fn("and", Functions.ToColumn(other));

    /// <summary>Logical or.</summary>
    /// <param name="other">A boolean column or literal.</param>
    public Column Or(object? other) => Fn("or", Functions.ToColumn(other));

    /// <summary>Logical not.</summary>
    public Column Not() => Fn("not");

    /// <summary>Arithmetic negation.</summary>
    public Column Negate() => Fn("negative");

    /// <summary>See <see cref="EqualTo"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator ==(Column left, object? right) => left.EqualTo(right);

    /// <summary>See <see cref="NotEqual"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator !=(Column left, object? right) => left.NotEqual(right);

    /// <summary>See <see cref="GreaterThan"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator >(Column left, object? right) => left.GreaterThan(right);

    /// <summary>See <see cref="GreaterThanOrEqual"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator >=(Column left, object? right) => left.GreaterThanOrEqual(right);

    /// <summary>See <see cref="LessThan"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator <(Column left, object? right) => left.LessThan(right);

    /// <summary>See <see cref="LessThanOrEqual"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator <=(Column left, object? right) => left.LessThanOrEqual(right);

    /// <summary>See <see cref="Plus"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator +(Column left, object? right) => left.Plus(right);

    /// <summary>See <see cref="Minus"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator -(Column left, object? right) => left.Minus(right);

    /// <summary>See <see cref="Multiply"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator *(Column left, object? right) => left.Multiply(right);

    /// <summary>See <see cref="Divide"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator /(Column left, object? right) => left.Divide(right);

    /// <summary>See <see cref="Mod"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator %(Column left, object? right) => left.Mod(right);

    /// <summary>See <see cref="And"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator &(Column left, Column right) => left.And(right);

    /// <summary>See <see cref="Or"/>.</summary>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    public static Column operator |(Column left, Column right) => left.Or(right);

    /// <summary>See <see cref="Not"/>.</summary>
    /// <param name="column">The operand.</param>
    public static Column operator !(Column column) => column.Not();

    /// <summary>See <see cref="Negate"/>.</summary>
    /// <param name="column">The operand.</param>
    public static Column operator -(Column column) => column.Negate();
}
