using System.Globalization;

namespace Lakehouse.Spark;

/// <summary>
/// One result row. Values are .NET values converted from Arrow: bool, sbyte, short, int, long, float,
/// double, decimal, string, byte[], DateOnly (date), DateTimeOffset in UTC (timestamp), DateTime of
/// unspecified kind (timestamp_ntz), object?[] (array), <see cref="Row"/> (struct), or null.
/// </summary>
public sealed class Row
{
    private readonly object?[] _values;
    private readonly IReadOnlyList<string> _columns;

    /// <summary>Creates a row.</summary>
    /// <param name="columns">Column names, in order.</param>
    /// <param name="values">Values, one per column.</param>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public Row(IReadOnlyList<string> columns, object?[] values)
    {
        if (columns.Count != values.Length)
        {
            throw new ArgumentException($"The row has {values.Length} values for {columns.Count} columns.", nameof(values));
        }

        _columns = columns;
        _values = values;
    }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Number of values.</summary>
    public int Length => _values.Length;

    /// <summary>The value at a position.</summary>
    /// <param name="index">0-based position.</param>
    public object? this[int index] => _values[index];

    /// <summary>The value of a column by name (exact match first, then case-insensitive as Spark resolves names).</summary>
    /// <param name="name">Column name.</param>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public object? this[string name] => _values[IndexOf(name)];

    /// <summary>The value at a position, converted to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="index">0-based position.</param>
    public T? Get<T>(int index) => Convert<T>(_values[index]);

    /// <summary>The value of a named column, converted to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="name">Column name.</param>
    public T? Get<T>(string name) => Convert<T>(this[name]);

    /// <summary>All values, in column order.</summary>
    public IReadOnlyList<object?> Values => _values;

    /// <inheritdoc />
    public override string ToString() =>
        "Row(" + string.Join(", ", _columns.Select((c, i) => $"{c}={Format(_values[i])}")) + ")";

    private int IndexOf(string name)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (_columns[i] == name)
            {
                return i;
            }
        }

        for (var i = 0; i < _columns.Count; i++)
        {
            if (string.Equals(_columns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"The row has no column '{name}'; it has {string.Join(", ", _columns)}.");
    }

    private static T? Convert<T>(object? value)
    {
        if (value is null)
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        object?[] items => "[" + string.Join(", ", items.Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
