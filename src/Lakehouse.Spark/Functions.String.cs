namespace Lakehouse.Spark;

public static partial class Functions
{
    /// <summary>Removes leading and trailing spaces.</summary>
    /// <param name="column">A string column.</param>
    public static Column Trim(Column column) => Call("trim", column);

    /// <summary>Removes leading spaces.</summary>
    /// <param name="column">A string column.</param>
    public static Column LTrim(Column column) => Call("ltrim", column);

    /// <summary>Removes trailing spaces.</summary>
    /// <param name="column">A string column.</param>
    public static Column RTrim(Column column) => Call("rtrim", column);

    /// <summary>Lower case.</summary>
    /// <param name="column">A string column.</param>
    public static Column Lower(Column column) => Call("lower", column);

    /// <summary>Upper case.</summary>
    /// <param name="column">A string column.</param>
    public static Column Upper(Column column) => Call("upper", column);

    /// <summary>Concatenates; null if any input is null.</summary>
    /// <param name="columns">The inputs.</param>
    public static Column Concat(params Column[] columns) => Call("concat", columns);

    /// <summary>Concatenates with a separator, skipping nulls.</summary>
    /// <param name="separator">The separator.</param>
    /// <param name="columns">The inputs.</param>
    public static Column ConcatWs(string separator, params Column[] columns) => Call("concat_ws", [Lit(separator), .. columns]);

    /// <summary>Substring starting at 1-based <paramref name="position"/> with <paramref name="length"/> characters.</summary>
    /// <param name="column">A string column.</param>
    /// <param name="position">1-based start (negative counts from the end).</param>
    /// <param name="length">Number of characters.</param>
    public static Column Substring(Column column, int position, int length) => Call("substring", column, Lit(position), Lit(length));

    /// <summary>Replaces every match of a Java regular expression.</summary>
    /// <param name="column">A string column.</param>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="replacement">The replacement (<c>$1</c> refers to groups).</param>
    public static Column RegexpReplace(Column column, string pattern, string replacement) =>
        Call("regexp_replace", column, Lit(pattern), Lit(replacement));

    /// <summary>Extracts a group of the first match of a Java regular expression ("" when none).</summary>
    /// <param name="column">A string column.</param>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="group">The group index (0 = whole match).</param>
    public static Column RegexpExtract(Column column, string pattern, int group) => Call("regexp_extract", column, Lit(pattern), Lit(group));

    /// <summary>Splits around matches of a Java regular expression.</summary>
    /// <param name="column">A string column.</param>
    /// <param name="pattern">The regular expression.</param>
    /// <param name="limit">Maximum number of parts; -1 for no limit.</param>
    public static Column Split(Column column, string pattern, int limit = -1) => Call("split", column, Lit(pattern), Lit(limit));

    /// <summary>Character length of a string (byte length of binary).</summary>
    /// <param name="column">The column.</param>
    public static Column Length(Column column) => Call("length", column);
}
