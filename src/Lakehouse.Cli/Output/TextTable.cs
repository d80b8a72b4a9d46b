namespace Lakehouse.Cli.Output;

/// <summary>Plain text columns, padded to the widest cell, for human output.</summary>
internal static class TextTable
{
    /// <summary>Writes a header row, a rule and the rows; cells longer than <paramref name="maxWidth"/> are cut with '…'.</summary>
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int maxWidth = 60)
    {
        var cells = rows.Select(r => r.Select(c => Cut(c, maxWidth)).ToArray()).ToList();
        var widths = header.Select((h, i) => cells.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();

    private static string Cut(string text, int maxWidth)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= maxWidth ? flat : string.Concat(flat.AsSpan(0, maxWidth - 1), "…");
    }
}
