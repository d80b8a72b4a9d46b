using System.Globalization;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// Spark's hidden <c>_metadata</c> column of file sources (and <c>input_file_name()</c>), built from the file each
/// row came from: every file source carries DuckDB's filename column as <see cref="Column"/>, and the struct is
/// computed from it only where a query references it.
/// </summary>
internal sealed record FileMetadata(string Column, IReadOnlyList<SourceFile> Files)
{
    /// <summary>The physical name of the filename column a file source's SQL carries last.</summary>
    public const string FileColumn = "__lakehouse_file";

    /// <summary>The <c>_metadata</c> struct for the row whose filename is <paramref name="fileSql"/>, with Spark's fields in Spark's order.</summary>
    public string StructSql(string fileSql)
    {
        if (Files.Count == 0)
        {
            return "CAST(NULL AS STRUCT(file_path VARCHAR, file_name VARCHAR, file_size BIGINT, file_block_start BIGINT, file_block_length BIGINT, file_modification_time TIMESTAMPTZ))";
        }

        var cases = Files.Select(f =>
            $"WHEN {SqlText.Str(f.Path)} THEN {{'file_path': {SqlText.Str(f.Uri)}, 'file_name': {SqlText.Str(Path.GetFileName(f.Path))}, " +
            $"'file_size': CAST({SqlText.Int(f.Size)} AS BIGINT), 'file_block_start': CAST(0 AS BIGINT), 'file_block_length': CAST({SqlText.Int(f.Size)} AS BIGINT), " +
            $"'file_modification_time': CAST({SqlText.Str(f.ModifiedUtc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")} AS TIMESTAMPTZ)}}");
        return $"(CASE {fileSql} {string.Join(" ", cases)} END)";
    }

    /// <summary><c>input_file_name()</c>: the file's URI.</summary>
    public string InputFileNameSql(string fileSql) => $"struct_extract({StructSql(fileSql)}, 'file_path')";
}
