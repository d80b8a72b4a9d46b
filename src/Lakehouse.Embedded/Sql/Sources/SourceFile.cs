namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>One file a file source reads, with what Spark's <c>_metadata</c> column reports about it.</summary>
/// <param name="Path">Absolute path, as DuckDB's filename column reports it.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="ModifiedUtc">Last modification time.</param>
internal sealed record SourceFile(string Path, long Size, DateTime ModifiedUtc)
{
    /// <summary>The path as a URI the way Hadoop prints a local path (<c>file:/dir/a%20b.json</c>), as Spark reports it.</summary>
    public string Uri => "file:" + new Uri(Path).AbsolutePath;

    public static SourceFile Of(FileInfo f) => new(f.FullName, f.Length, f.LastWriteTimeUtc);
}
