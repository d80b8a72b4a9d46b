using System.Text;
using System.Text.Json;

namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>One record of a landing file as written: its text, and its fields when it parses.</summary>
/// <param name="File">The file name (batch order sorts by it).</param>
/// <param name="Line">1-based line (JSON) or record number (CSV, header excluded).</param>
/// <param name="Text">The raw text of the line.</param>
/// <param name="Fields">Field name → raw value (JSON scalars as their text, JSON null and empty CSV fields as null); null when the line is malformed.</param>
/// <param name="Kinds">For JSON lines, each field's JSON kind (to tell <c>"abc"</c> from <c>3</c>).</param>
internal sealed record RawRecord(string File, int Line, string Text, IReadOnlyDictionary<string, string?>? Fields, IReadOnlyDictionary<string, JsonValueKind>? Kinds)
{
    public bool Malformed => Fields is null;

    public string? this[string field] => Fields is not null && Fields.TryGetValue(field, out var v) ? v : null;
}

/// <summary>
/// Reads the landing zone with nothing but System.Text.Json and a small RFC 4180 parser: the independent side of
/// the end-to-end comparison. Files are taken in ordinal name order (the demo's names sort by batch, then part),
/// lines in file order: that is the arrival order.
/// </summary>
internal static class RawLanding
{
    public static List<RawRecord> JsonLines(string directory)
    {
        var records = new List<RawRecord>();
        foreach (var file in Files(directory, "*.json"))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                records.Add(ParseJson(Path.GetFileName(file), number, line));
            }
        }

        return records;
    }

    public static List<RawRecord> Csv(string directory)
    {
        var records = new List<RawRecord>();
        foreach (var file in Files(directory, "*.csv"))
        {
            var rows = ParseCsv(File.ReadAllText(file));
            if (rows.Count == 0)
            {
                continue;
            }

            var header = rows[0].Select(h => h.Value ?? "").ToList();
            for (var i = 1; i < rows.Count; i++)
            {
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var c = 0; c < header.Count; c++)
                {
                    fields[header[c]] = c < rows[i].Count ? rows[i][c].Value : null;
                }

                records.Add(new RawRecord(Path.GetFileName(file), i, string.Join(',', rows[i].Select(f => f.Raw)), fields, null));
            }
        }

        return records;
    }

    private static IEnumerable<string> Files(string directory, string pattern) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories).OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            : [];

    private static RawRecord ParseJson(string file, int number, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new RawRecord(file, number, line, null, null);
            }

            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            var kinds = new Dictionary<string, JsonValueKind>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                kinds[property.Name] = property.Value.ValueKind;
                fields[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => property.Value.GetString(),
                    _ => property.Value.GetRawText(),
                };
            }

            return new RawRecord(file, number, line, fields, kinds);
        }
        catch (JsonException)
        {
            return new RawRecord(file, number, line, null, null);
        }
    }

    /// <summary>RFC 4180: fields separated by commas, quoted fields may hold commas, quotes (doubled) and line breaks.
    /// An empty unquoted field is null (Spark's and DuckDB's CSV default); a quoted one keeps its text.</summary>
    private static List<List<(string? Value, string Raw)>> ParseCsv(string text)
    {
        var rows = new List<List<(string? Value, string Raw)>>();
        var row = new List<(string? Value, string Raw)>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            string? value;
            if (text[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        sb.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        sb.Append(text[i++]);
                    }
                }

                value = sb.ToString();
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                {
                    i++;
                }

                value = i == start ? null : text[start..i];
            }

            row.Add((value, text[start..i]));
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            if (i < text.Length && text[i] == '\r')
            {
                i++;
            }

            if (i < text.Length && text[i] == '\n')
            {
                i++;
            }

            rows.Add(row);
            row = [];
        }

        return rows;
    }
}
