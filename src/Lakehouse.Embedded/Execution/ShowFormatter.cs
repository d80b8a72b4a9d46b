using System.Globalization;
using System.Text;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// Spark's <c>Dataset.showString</c> layout: a boxed table (cells right-aligned when truncating, left-aligned
/// otherwise), NULL for nulls, strings longer than <c>truncate</c> cut with "...", and "only showing top n rows".
/// </summary>
internal static class ShowFormatter
{
    public static string Format(IReadOnlyList<string> names, IReadOnlyList<object?[]> rows, int numRows, int truncate, bool vertical, string timeZone)
    {
        var hasMore = rows.Count > numRows;
        var shown = rows.Take(numRows).Select(r => r.Select(v => Cut(Cell(v, timeZone), truncate)).ToArray()).ToList();
        var header = names.Select(n => Cut(n, truncate)).ToArray();
        var sb = new StringBuilder();
        if (vertical)
        {
            var keyWidth = header.Select(Width).DefaultIfEmpty(0).Max();
            var valueWidth = shown.SelectMany(r => r).Select(Width).DefaultIfEmpty(0).Max();
            for (var i = 0; i < shown.Count; i++)
            {
                var title = $"-RECORD {i}";
                sb.Append(title).Append(new string('-', Math.Max(0, keyWidth + valueWidth + 3 - title.Length))).Append('\n');
                for (var c = 0; c < header.Length; c++)
                {
                    sb.Append(header[c].PadRight(keyWidth)).Append(" | ").Append(shown[i][c].PadRight(valueWidth)).Append(" \n");
                }
            }

            if (shown.Count == 0)
            {
                sb.Append("(0 rows)\n");
            }
        }
        else
        {
            var widths = header.Select((h, c) => Math.Max(3, Math.Max(Width(h), shown.Select(r => Width(r[c])).DefaultIfEmpty(0).Max()))).ToArray();
            var line = "+" + string.Join("+", widths.Select(w => new string('-', w))) + "+\n";
            string Row(string[] cells) => "|" + string.Join("|", cells.Select((v, c) => truncate > 0 ? v.PadLeft(widths[c]) : v.PadRight(widths[c]))) + "|\n";
            sb.Append(line).Append(Row(header)).Append(line);
            foreach (var r in shown)
            {
                sb.Append(Row(r));
            }

            sb.Append(line);
        }

        if (hasMore)
        {
            sb.Append(CultureInfo.InvariantCulture, $"only showing top {numRows} {(numRows == 1 ? "row" : "rows")}\n");
        }

        return sb.ToString();
    }

    /// <summary>A value as Spark's show prints it.</summary>
    public static string Cell(object? value, string timeZone) => value switch
    {
        null => "NULL",
        bool b => b ? "true" : "false",
        double d => JavaNumberText.Double(d),
        float f => JavaNumberText.Float(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => Timestamp(TimeZoneInfo.ConvertTime(t, Zone(timeZone)).DateTime),
        DateTime t => Timestamp(t),
        byte[] bytes => "[" + string.Join(" ", bytes.Select(x => x.ToString("X2", CultureInfo.InvariantCulture))) + "]",
        object?[] list => "[" + string.Join(", ", list.Select(v => Cell(v, timeZone))) + "]",
        Dictionary<string, object?> s => "{" + string.Join(", ", s.Values.Select(v => Cell(v, timeZone))) + "}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Timestamp(DateTime t)
    {
        var s = t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = t.Ticks % TimeSpan.TicksPerSecond / 10;
        return fraction == 0 ? s : s + "." + fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var z) ? z : TimeZoneInfo.Utc;

    private static string Cut(string s, int truncate) =>
        truncate > 0 && s.Length > truncate ? (truncate < 4 ? s[..truncate] : s[..(truncate - 3)] + "...") : s;

    private static int Width(string s) => s.Length;
}
