namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// Files read as lines of text (column <c>raw</c>, and the file in <see cref="FileMetadata.FileColumn"/>), the input the
/// JSON and CSV sources parse in SQL. DuckDB's CSV reader splits the lines, in parallel and streaming, with every
/// separator, quote and escape turned off.
/// </summary>
internal static class TextLines
{
    /// <summary>
    /// The longest line read: 16 MiB. DuckDB's default (2 MiB) is too short for wide JSON records; the reader buffer is
    /// kept at DuckDB's default 32 MiB, so memory does not grow with the limit (it would be 16 × the limit).
    /// </summary>
    public const int MaxLineBytes = 16 << 20;

    /// <summary>The options every reader that uses DuckDB's CSV reader passes, so all file sources share one line limit.</summary>
    public static readonly string ReaderLimits = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"max_line_size = {MaxLineBytes}, buffer_size = {2 * MaxLineBytes}");

    /// <summary>The lines of the files in <paramref name="list"/> (a DuckDB list literal), skipping each file's first <paramref name="skip"/>.</summary>
    public static string Sql(string list, int skip = 0) =>
        $"SELECT column0 AS raw, {SqlText.Ident(FileMetadata.FileColumn)} FROM read_csv({list}, header = false, columns = {{'column0': 'VARCHAR'}}, " +
        $"delim = '\\0', quote = '', escape = '', auto_detect = false, strict_mode = false, new_line = '\\n', skip = {skip}, {ReaderLimits}, hive_partitioning = false, " +
        $"filename = {SqlText.Str(FileMetadata.FileColumn)})";
}
