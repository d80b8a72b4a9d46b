using System.Globalization;
using Lakehouse.Delta;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Reading.DeletionVectors;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Embedded.Sql;
using Lakehouse.Embedded.Sql.Sources;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The DuckDB SELECT that reads a Delta snapshot: the surviving data files through <c>read_parquet</c>, partition
/// values joined in per file as typed literals, physical column names (column mapping) renamed to logical ones, and
/// rows named by deletion vectors filtered out by <c>file_row_number</c>. The result has the table's columns in
/// schema order with the table's types.
/// </summary>
internal static class DeltaScanSql
{
    /// <summary>The row-id column holding the file's absolute path (<see cref="TablePaths.ResolveDataFile"/> of its <c>add.path</c>).</summary>
    public const string FileColumn = "__lakehouse_file";

    /// <summary>The row-id column holding the row's index within its file.</summary>
    public const string PositionColumn = "__lakehouse_pos";

    /// <summary>Loads the snapshot (latest, a version, or the last one committed at or before a timestamp).</summary>
    public static Snapshot Load(string tablePath, string? versionAsOf, string? timestampAsOf)
    {
        var table = DeltaTable.ForPath(tablePath);
        if (!table.Exists)
        {
            throw Errors.PathNotFound(tablePath + " (no Delta table: _delta_log has no commits)");
        }

        if (versionAsOf is not null)
        {
            if (!long.TryParse(versionAsOf, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                throw Errors.InvalidArgument("versionAsOf", $"'{versionAsOf}' is not a version number");
            }

            return table.Snapshot(v);
        }

        if (timestampAsOf is not null)
        {
            if (!DateTimeOffset.TryParse(timestampAsOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
            {
                throw Errors.InvalidArgument("timestampAsOf", $"'{timestampAsOf}' is not a timestamp");
            }

            var latest = table.Snapshot();
            var target = ts.ToUnixTimeMilliseconds();
            for (var v = latest.Version; v >= 0; v--)
            {
                var s = v == latest.Version ? latest : table.Snapshot(v);
                if (s.Timestamp <= target)
                {
                    return s;
                }
            }

            throw new EmbeddedException("DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION", "42816",
                $"The timestamp {timestampAsOf} is before the first commit of {tablePath}. Use a later timestamp.");
        }

        return table.Snapshot();
    }

    /// <summary>The SELECT over the snapshot's files.</summary>
    /// <param name="snapshot">The table version to read.</param>
    /// <param name="rows">Runs a query (for the files' footers; columns added later by schema evolution exist in no old file).</param>
    public static string Sql(Snapshot snapshot, Func<string, IReadOnlyList<object?[]>> rows) =>
        Sql(snapshot, snapshot.Files, rows, rowIds: false);

    /// <summary>The SELECT over some of the snapshot's files.</summary>
    /// <param name="snapshot">The table version the files belong to.</param>
    /// <param name="subset">The files to read.</param>
    /// <param name="rows">Runs a query (for the files' footers).</param>
    /// <param name="rowIds">Adds <see cref="FileColumn"/> (the file's absolute path) and <see cref="PositionColumn"/>
    /// (the row's index in its file), which identify a row for copy-on-write DML.</param>
    /// <param name="positions">With <paramref name="rowIds"/>: false leaves <see cref="PositionColumn"/> NULL, for
    /// callers that only need to know which file a row is in.</param>
    public static string Sql(Snapshot snapshot, IEnumerable<AddFile> subset, Func<string, IReadOnlyList<object?[]>> rows, bool rowIds, bool positions = true)
    {
        var mode = snapshot.ColumnMapping;
        var partitionColumns = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = snapshot.Schema.Fields;
        var files = subset.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var idColumns = rowIds ? $", CAST(NULL AS VARCHAR) AS {FileColumn}, CAST(NULL AS BIGINT) AS {PositionColumn}" : "";
        if (files.Count == 0)
        {
            return "SELECT " + string.Join(", ", fields.Select(f => $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}")) + idColumns + " WHERE FALSE";
        }

        var absolute = files.Select(f => TablePaths.ResolveDataFile(snapshot.TablePath, f.Path)).ToList();
        var dataFields = fields.Where(f => !partitionColumns.Contains(f.Name)).ToList();
        var partitionFields = fields.Where(f => partitionColumns.Contains(f.Name)).ToList();

        // One row per file: its index in the read_parquet list (DuckDB's file_index) and its partition values.
        var fileRows = files.Select((f, i) =>
        {
            var values = partitionFields.Select(p => PartitionLiteral(p, mode, f.PartitionValues));
            return "(" + string.Join(", ", new[] { i.ToString(CultureInfo.InvariantCulture) }.Concat(values)) + ")";
        });
        var fileColumns = new[] { "__file" }.Concat(partitionFields.Select((_, i) => $"__p{i}"));

        var deleted = DeletedRowKeys(snapshot.TablePath, files.Select(f => (f.Path, f.DeletionVector)).ToList());
        var hasDv = deleted.Length > 0;
        var rowNumbers = hasDv || (rowIds && positions);
        // The files' columns come from their footers (cached per file: Delta data files never change), not from a
        // DESCRIBE; union_by_name only when the files disagree (schema evolution), as it makes DuckDB bind every file.
        var footers = ParquetColumns.Of(files.Select((f, i) => new ParquetFileKey(absolute[i], f.Size, f.ModificationTime)).ToList(), rows);
        var present = footers.All;
        var parquet = $"read_parquet({SqlText.StrList(absolute)}{(rowIds ? ", filename = true" : "")}, {footers.ReadOptions}{(rowNumbers ? ", file_row_number = true" : "")})";
        var select = fields.Select(f =>
        {
            var pi = partitionFields.IndexOf(f);
            var source = pi >= 0 ? $"p.__p{pi}" : present.Contains(f.PhysicalName(mode)) ? $"d.{SqlText.Ident(f.PhysicalName(mode))}" : "NULL";
            return $"CAST({source} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}";
        });
        if (rowIds)
        {
            select = select.Append($"d.filename AS {FileColumn}").Append(positions ? $"d.file_row_number AS {PositionColumn}" : $"CAST(NULL AS BIGINT) AS {PositionColumn}");
        }

        var sql = $"SELECT {string.Join(", ", select)} FROM {parquet} AS d";
        if (partitionFields.Count > 0)
        {
            // Partition values are joined in on the file's index, an integer: a join on the file name hashed and
            // compared a path string for every row.
            sql += $" JOIN (VALUES {string.Join(", ", fileRows)}) AS p({string.Join(", ", fileColumns)}) ON d.file_index = p.__file";
        }

        if (hasDv)
        {
            // The rows deletion vectors remove, taken out with a hash anti-join on one BIGINT per row: the file's index
            // in the high bits, its row number in the low ones (DeletedRowKeys). Keyed on (filename, file_row_number)
            // it hashed a string for every row and cost about twice as much per row; a bitmap tested per row with
            // get_bit made DuckDB decode the bitmap literal once per vector. The keys travel as one string literal
            // split at run time: a 50k-element list literal cost DuckDB's binder most of a scan's time.
            sql += $" ANTI JOIN (SELECT unnest(CAST(string_split({SqlText.Str(string.Join(",", deleted))}, ',') AS BIGINT[])) AS __dkey) AS x "
                 + $"ON (CAST(d.file_index AS BIGINT) << {FileIndexShift}) + d.file_row_number = x.__dkey";
        }

        return sql;
    }

    /// <summary>The typed literal of a file's value for partition column <paramref name="field"/> (looked up by physical
    /// name, then by logical name); NULL when the value is null, or empty for a non-string column.</summary>
    public static string PartitionLiteral(StructField field, ColumnMappingMode mode, IReadOnlyDictionary<string, string?> values)
    {
        values.TryGetValue(field.PhysicalName(mode), out var raw);
        if (raw is null && !values.ContainsKey(field.PhysicalName(mode)))
        {
            values.TryGetValue(field.Name, out raw);
        }

        return raw is null || (raw.Length == 0 && field.Type != PrimitiveType.String)
            ? $"CAST(NULL AS {Types.ToDuckDb(field.Type)})"
            : $"CAST({SqlText.Str(raw)} AS {Types.ToDuckDb(field.Type)})";
    }

    /// <summary>Bits of a deletion key below the file's index: a row's position within its file.</summary>
    public const int FileIndexShift = 32;

    /// <summary>
    /// The rows the files' deletion vectors remove, as keys <c>(index &lt;&lt; 32) + position</c> in ascending order,
    /// where index is the file's place in <paramref name="files"/> (DuckDB's <c>file_index</c> of the read_parquet
    /// list). A vector with no rows adds nothing.
    /// </summary>
    public static string[] DeletedRowKeys(string tablePath, IReadOnlyList<(string Path, DeletionVectorDescriptor? DeletionVector)> files)
    {
        var keys = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i].DeletionVector is not { } dv)
            {
                continue;
            }

            foreach (var position in DeletionVectorReader.Read(dv, tablePath))
            {
                if ((ulong)position >= 1UL << FileIndexShift)
                {
                    throw new EmbeddedException("DELTA_DELETION_VECTOR_ROW_OUT_OF_RANGE", "XX000",
                        $"The deletion vector of '{files[i].Path}' deletes row {position}, beyond the 2^32 rows per file the embedded " +
                        "engine reads. Rewrite the file (OPTIMIZE) or read the table with Spark.");
                }

                keys.Add(((((long)i) << FileIndexShift) + position).ToString(CultureInfo.InvariantCulture));
            }
        }

        return [.. keys];
    }
}
