using System.Text;

namespace Lakehouse.Spark.Delta.Sql;

/// <summary>
/// Spark SQL identifiers: splitting a multi-part name the way Spark's <c>parseAttributeName</c> does
/// (dots separate parts, backquotes quote a part, a doubled backquote inside quotes is one backquote)
/// and writing parts back with every part backquoted, so any name survives the SQL parser.
/// </summary>
internal static class SqlIdentifiers
{
    /// <summary>One part, backquoted, inner backquotes doubled: <c>a`b</c> → <c>`a``b`</c>.</summary>
    internal static string Quote(string part) => "`" + part.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>A multi-part name (<c>silver.orders</c>, <c>`my db`.t</c>) with every part quoted.</summary>
    /// <exception cref="ArgumentException">The name is empty, has an empty part or an unbalanced backquote.</exception>
    internal static string QuoteMultipart(string name) => string.Join('.', Parse(name).Select(Quote));

    /// <summary>A Delta path identifier: <c>delta.`/data/orders`</c>.</summary>
    internal static string DeltaPath(string path) => "delta." + Quote(path);

    /// <summary>The parts of a multi-part name.</summary>
    /// <exception cref="ArgumentException">The name is empty, has an empty part or an unbalanced backquote.</exception>
    internal static IReadOnlyList<string> Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var parts = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        var quotedPart = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (inQuotes)
            {
                if (c == '`' && i + 1 < name.Length && name[i + 1] == '`')
                {
                    current.Append('`');
                    i++;
                }
                else if (c == '`')
                {
                    inQuotes = false;
                    if (i + 1 < name.Length && name[i + 1] != '.')
                    {
                        throw Malformed(name, "a quoted part must be followed by a dot or the end");
                    }
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '`')
            {
                if (current.Length > 0)
                {
                    throw Malformed(name, "a backquote can only open a part");
                }

                inQuotes = true;
                quotedPart = true;
            }
            else if (c == '.')
            {
                parts.Add(Finish(name, current, quotedPart));
                quotedPart = false;
            }
            else
            {
                current.Append(c);
            }
        }

        if (inQuotes)
        {
            throw Malformed(name, "a backquote is not closed");
        }

        parts.Add(Finish(name, current, quotedPart));
        return parts;
    }

    private static string Finish(string name, StringBuilder current, bool quoted)
    {
        if (current.Length == 0 && !quoted)
        {
            throw Malformed(name, "it has an empty part");
        }

        var part = current.ToString();
        current.Clear();
        return part;
    }

    private static ArgumentException Malformed(string name, string why) =>
        new($"'{name}' is not a valid Spark identifier: {why}. Quote parts containing dots or spaces with backquotes, e.g. `my db`.`my table`.", nameof(name));
}
