using System.Globalization;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Quality;

/// <summary>Turns result values into the invariant text examples and thresholds are written in.</summary>
internal static class CheckValues
{
    public static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static long Long(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>A whole row, cut to a readable length, for checks whose failures are rows rather than values.</summary>
    public static string Row(Row row)
    {
        var text = string.Join(", ", row.Columns.Select((c, i) => $"{c}={Text(row[i])}"));
        return text.Length <= 200 ? text : text[..197] + "...";
    }
}
