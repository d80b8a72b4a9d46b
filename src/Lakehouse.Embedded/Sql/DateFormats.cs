using System.Text;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark's datetime patterns (Java DateTimeFormatter letters, https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html)
/// to DuckDB strftime/strptime specifiers. A letter run it cannot translate is an error, never a silent mismatch.
/// </summary>
internal static class DateFormats
{
    /// <summary>Whether the pattern has a two-letter year (<c>yy</c>), which Spark parses into 2000–2099.</summary>
    public static bool HasTwoDigitYear(string pattern)
    {
        var unquoted = System.Text.RegularExpressions.Regex.Replace(pattern, "'[^']*'", "");
        return System.Text.RegularExpressions.Regex.IsMatch(unquoted, "(?<!y)yy(?!y)");
    }

    public static string ToDuckDb(string pattern)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw Errors.InvalidArgument("datetime pattern", $"unterminated quote in '{pattern}'");
                }

                sb.Append(end == i + 1 ? "'" : pattern[(i + 1)..end].Replace("%", "%%", StringComparison.Ordinal));
                i = end + 1;
                continue;
            }

            if (!char.IsLetter(c))
            {
                sb.Append(c == '%' ? "%%" : c.ToString());
                i++;
                continue;
            }

            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c) { run++; }
            sb.Append((c, run) switch
            {
                ('y', 2) => "%y",
                ('y', _) => "%Y",
                ('M', 1) => "%-m",
                ('M', 2) => "%m",
                ('M', 3) => "%b",
                ('M', _) => "%B",
                ('L', 1) => "%-m",
                ('L', 2) => "%m",
                ('d', 1) => "%-d",
                ('d', 2) => "%d",
                // Spark's D is the day of year without padding, DDD padded to 3 digits.
                ('D', 1) => "%-j",
                ('D', 3) => "%j",
                ('H', 1) => "%-H",
                ('H', 2) => "%H",
                ('h', 1) => "%-I",
                ('h', 2) => "%I",
                ('m', 1) => "%-M",
                ('m', 2) => "%M",
                ('s', 1) => "%-S",
                ('s', 2) => "%S",
                ('S', 3) => "%g",
                ('S', 6) => "%f",
                ('S', 9) => "%n",
                ('a', _) => "%p",
                ('E', <= 3) => "%a",
                ('E', _) => "%A",
                // Zone ids print as DuckDB's %Z does; offsets and short zone names (X, x, Z, O, z) print
                // differently in DuckDB ("+00" vs Spark's "Z"/"+0000", "Asia/Kolkata" vs "IST"), so they are refused.
                ('V', 2) => "%Z",
                _ => throw Errors.Unsupported("datetime pattern", $"The datetime pattern letters '{new string(c, run)}' in '{pattern}'"),
            });
            i += run;
        }

        return sb.ToString();
    }
}
