namespace Lakehouse.Spark;

public static partial class Functions
{
    /// <summary>The current timestamp (fixed for the whole query).</summary>
    public static Column CurrentTimestamp() => Call("current_timestamp");

    /// <summary>The current date in the session time zone.</summary>
    public static Column CurrentDate() => Call("current_date");

    /// <summary>Parses to a timestamp, with Spark's default format or a datetime pattern.</summary>
    /// <param name="column">The input.</param>
    /// <param name="format">A Spark datetime pattern, e.g. <c>yyyy-MM-dd HH:mm:ss</c>; null for the default.</param>
    public static Column ToTimestamp(Column column, string? format = null) =>
        format is null ? Call("to_timestamp", column) : Call("to_timestamp", column, Lit(format));

    /// <summary>Parses to a date, with Spark's default format or a datetime pattern.</summary>
    /// <param name="column">The input.</param>
    /// <param name="format">A Spark datetime pattern; null for the default.</param>
    public static Column ToDate(Column column, string? format = null) =>
        format is null ? Call("to_date", column) : Call("to_date", column, Lit(format));

    /// <summary>Formats a date or timestamp with a Spark datetime pattern.</summary>
    /// <param name="column">The date or timestamp.</param>
    /// <param name="format">The pattern.</param>
    public static Column DateFormat(Column column, string format) => Call("date_format", column, Lit(format));

    /// <summary>Days from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <param name="end">The later date.</param>
    /// <param name="start">The earlier date.</param>
    public static Column DateDiff(Column end, Column start) => Call("datediff", end, start);

    /// <summary>Adds days to a date.</summary>
    /// <param name="start">The date.</param>
    /// <param name="days">Days to add.</param>
    public static Column DateAdd(Column start, int days) => Call("date_add", start, Lit(days));

    /// <summary>Truncates a timestamp to a unit: year, month, week, day, hour, minute, second, …</summary>
    /// <param name="unit">The unit.</param>
    /// <param name="timestamp">The timestamp.</param>
    public static Column DateTrunc(string unit, Column timestamp) => Call("date_trunc", Lit(unit), timestamp);

    /// <summary>The year.</summary>
    /// <param name="column">A date or timestamp.</param>
    public static Column Year(Column column) => Call("year", column);

    /// <summary>The month (1–12).</summary>
    /// <param name="column">A date or timestamp.</param>
    public static Column Month(Column column) => Call("month", column);

    /// <summary>The day of the month (1–31).</summary>
    /// <param name="column">A date or timestamp.</param>
    public static Column DayOfMonth(Column column) => Call("dayofmonth", column);

    /// <summary>The hour (0–23).</summary>
    /// <param name="column">A timestamp.</param>
    public static Column Hour(Column column) => Call("hour", column);
}
