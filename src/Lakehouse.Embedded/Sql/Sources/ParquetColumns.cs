using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>One Parquet file as the column cache knows it: a file with the same path, size and modification time is
/// taken to have the same footer.</summary>
/// <param name="Path">Absolute path, as it is passed to <c>read_parquet</c>.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Modified">Modification time in any fixed unit (ticks for listed files, the Delta log's milliseconds for table files).</param>
internal readonly record struct ParquetFileKey(string Path, long Size, long Modified);

/// <summary>The top-level columns of a set of Parquet files.</summary>
/// <param name="Columns">The columns in file order when every file has the same schema (names, types, nesting);
/// null when they differ and <c>read_parquet</c> needs <c>union_by_name</c>.</param>
/// <param name="All">Every top-level column name of any file (case-insensitive).</param>
internal sealed record ParquetFileSet(IReadOnlyList<string>? Columns, IReadOnlySet<string> All)
{
    /// <summary>The <c>read_parquet</c> option the set needs: <c>union_by_name</c> only when the files' schemas differ,
    /// as it makes DuckDB bind every file's schema, and <c>hive_partitioning = false</c> always (Spark's partition columns
    /// come from the engine, never from DuckDB's guess at a path's <c>key=value</c> directories).</summary>
    public string ReadOptions => Columns is null ? "hive_partitioning = false, union_by_name = true" : "hive_partitioning = false";
}

/// <summary>
/// Top-level columns of Parquet files read from their footers (<c>parquet_schema</c>), cached for the process by
/// path, size and modification time, so planning a read of files already seen reads no footer. Planning only needs the
/// names (DuckDB types the query later, in the one DESCRIBE of the plan's result) and whether the files agree.
/// </summary>
internal static class ParquetColumns
{
    // Bounded by clearing: a long-running server that has seen this many files re-reads footers, nothing breaks.
    private const int MaxEntries = 100_000;
    private static readonly ConcurrentDictionary<ParquetFileKey, FileSchema> Cache = new();

    /// <summary>The columns of <paramref name="files"/>; footers not cached yet are read with one query.</summary>
    /// <param name="files">The files (at least one).</param>
    /// <param name="query">Runs a query and returns its rows.</param>
    public static ParquetFileSet Of(IReadOnlyList<ParquetFileKey> files, Func<string, IReadOnlyList<object?[]>> query)
    {
        var schemas = new FileSchema?[files.Count];
        var missing = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            if (Cache.TryGetValue(files[i], out var cached))
            {
                schemas[i] = cached;
            }
            else
            {
                missing.Add(files[i].Path);
            }
        }

        if (missing.Count > 0)
        {
            var read = Read(missing.Distinct(StringComparer.Ordinal).ToList(), query);
            if (Cache.Count + read.Count > MaxEntries)
            {
                Cache.Clear();
            }

            for (var i = 0; i < files.Count; i++)
            {
                if (schemas[i] is null)
                {
                    schemas[i] = read.TryGetValue(files[i].Path, out var fresh)
                        ? Cache[files[i]] = fresh
                        : throw new InvalidOperationException($"parquet_schema did not report the file '{files[i].Path}'; read it with Spark, or report this.");
                }
            }
        }

        var all = new HashSet<string>(schemas.SelectMany(s => s!.Columns), StringComparer.OrdinalIgnoreCase);
        var first = schemas[0]!;
        var same = schemas.All(s => s!.Signature.Equals(first.Signature, StringComparison.Ordinal))
                   && first.Columns.Count == first.Columns.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        return new ParquetFileSet(same ? first.Columns : null, all);
    }

    private static Dictionary<string, FileSchema> Read(IReadOnlyList<string> paths, Func<string, IReadOnlyList<object?[]>> query)
    {
        // parquet_schema: one row per schema element, in the footer's depth-first order, the root first.
        var rows = query($"SELECT file_name, name, type, repetition_type, num_children, converted_type, logical_type, scale, precision, field_id FROM parquet_schema({SqlText.StrList(paths)})");
        var result = new Dictionary<string, FileSchema>(StringComparer.Ordinal);
        foreach (var file in rows.GroupBy(r => (string)r[0]!, StringComparer.Ordinal))
        {
            var elements = file.ToList();
            var columns = new List<string>();
            var signature = new StringBuilder();
            foreach (var e in elements.Skip(1))
            {
                signature.AppendJoin('|', e.Skip(1).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))).Append(';');
            }

            var i = 1;
            for (var c = 0; c < Children(elements[0]); c++)
            {
                columns.Add((string)elements[i][1]!);
                i = Skip(elements, i);
            }

            result[file.Key] = new FileSchema(columns, signature.ToString());
        }

        return result;
    }

    private static long Children(object?[] element) => element[4] is null ? 0 : Convert.ToInt64(element[4], CultureInfo.InvariantCulture);

    /// <summary>The index after the subtree that starts at <paramref name="i"/>.</summary>
    private static int Skip(List<object?[]> elements, int i)
    {
        var n = Children(elements[i]);
        i++;
        for (var c = 0; c < n; c++)
        {
            i = Skip(elements, i);
        }

        return i;
    }

    private sealed record FileSchema(IReadOnlyList<string> Columns, string Signature);
}
