using System.Globalization;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Expressions;

/// <summary>
/// Compares CLR values the way Spark compares SQL values of compatible types: integers, decimals and floats
/// numerically across widths, strings by Unicode code point (the order of their UTF-8 bytes), dates, timestamps,
/// booleans (false &lt; true) and binary (unsigned bytes).
/// </summary>
public static class ValueComparer
{
    /// <summary>Compares two non-null values; null when they are not comparable (say a string and a date).</summary>
    public static int? Compare(object a, object b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        switch (a, b)
        {
            case (string x, string y):
                return CompareCodePoints(x, y);
            case (bool x, bool y):
                return x.CompareTo(y);
            case (DateOnly x, DateOnly y):
                return x.CompareTo(y);
            case (DateTimeOffset x, DateTimeOffset y):
                return x.UtcTicks.CompareTo(y.UtcTicks);
            case (DateTime x, DateTime y):
                return x.Ticks.CompareTo(y.Ticks);
            case (DateOnly x, DateTimeOffset y):
                return new DateTimeOffset(x.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).CompareTo(y);
            case (DateTimeOffset x, DateOnly y):
                return x.CompareTo(new DateTimeOffset(y.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            case (byte[] x, byte[] y):
                return x.AsSpan().SequenceCompareTo(y);
        }

        if (IsNumber(a) && IsNumber(b))
        {
            if (a is float or double || b is float or double)
            {
                // Spark orders NaN above every other value, and NaN = NaN.
                var x = Convert.ToDouble(a, CultureInfo.InvariantCulture);
                var y = Convert.ToDouble(b, CultureInfo.InvariantCulture);
                return double.IsNaN(x) ? (double.IsNaN(y) ? 0 : 1) : double.IsNaN(y) ? -1 : x.CompareTo(y);
            }

            return Convert.ToDecimal(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, CultureInfo.InvariantCulture));
        }

        return null;
    }

    /// <summary>
    /// Converts a literal to the CLR representation of <paramref name="type"/> (as <see cref="Data.PartitionValues"/> returns it),
    /// the way Spark casts a literal compared with a column: <c>'2024-01-01'</c> against a date column becomes a date.
    /// Returns the value unchanged when no conversion applies.
    /// </summary>
    public static object? Coerce(object? value, DeltaType type)
    {
        if (value is null)
        {
            return null;
        }

        if (value is string s && type is not PrimitiveType { Name: "string" })
        {
            return Data.PartitionValues.Parse(s, type) ?? value;
        }

        if (!IsNumber(value))
        {
            return value;
        }

        try
        {
            return type switch
            {
                PrimitiveType { Name: "integer" } when IsIntegral(value) => Convert.ToInt32(value, CultureInfo.InvariantCulture),
                PrimitiveType { Name: "long" } when IsIntegral(value) => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                PrimitiveType { Name: "short" } when IsIntegral(value) => Convert.ToInt16(value, CultureInfo.InvariantCulture),
                PrimitiveType { Name: "byte" } when IsIntegral(value) => Convert.ToSByte(value, CultureInfo.InvariantCulture),
                PrimitiveType { Name: "double" } => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                PrimitiveType { Name: "float" } => Convert.ToSingle(value, CultureInfo.InvariantCulture),
                DecimalType => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                _ => value,
            };
        }
        catch (OverflowException)
        {
            // Out of the column's range: keep the wide value so comparisons stay numeric and correct.
            return value;
        }
    }

    private static bool IsIntegral(object v) => v is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static bool IsNumber(object v) => IsIntegral(v) || v is float or double or decimal;

    private static int CompareCodePoints(string x, string y)
    {
        // UTF-16 ordinal order differs from code point (and UTF-8 byte) order only around surrogates.
        var ex = x.EnumerateRunes();
        var ey = y.EnumerateRunes();
        while (true)
        {
            var hx = ex.MoveNext();
            var hy = ey.MoveNext();
            if (!hx || !hy)
            {
                return hx.CompareTo(hy);
            }

            var c = ex.Current.Value.CompareTo(ey.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }
}
