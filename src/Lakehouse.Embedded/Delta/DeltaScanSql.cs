using System.Globalization;
using Lakehouse.Delta;
using Lakehouse.Delta.Data.Reading.DeletionVectors;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The DuckDB SELECT that reads a Delta snapshot: the surviving data files through <c>read_parquet</c>, partition
/// values joined in per file as typed literals, physical column names (column mapping) renamed to logical ones, and
/// rows named by deletion vectors filtered out by <c>file_row_number</c>. The result has the table's columns in
/// schema order with the table's types.
/// </summary>
internal static class DeltaScanSql
{
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
    /// <param name="describe">Column names of a SELECT (columns added later by schema evolution exist in no old file).</param>
    public static string Sql(Snapshot snapshot, Func<string, IReadOnlyList<(string Name, string Type)>> describe)
    {
        var mode = snapshot.ColumnMapping;
        var partitionColumns = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = snapshot.Schema.Fields;
        var files = snapshot.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return "SELECT " + string.Join(", ", fields.Select(f => $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}")) + " WHERE FALSE";
        }

        var absolute = files.Select(f => TablePaths.ResolveDataFile(snapshot.TablePath, f.Path)).ToList();
        var dataFields = fields.Where(f => !partitionColumns.Contains(f.Name)).ToList();
        var partitionFields = fields.Where(f => partitionColumns.Contains(f.Name)).ToList();

        // One row per file: its path, its partition values and its deleted row indexes.
        var fileRows = files.Select((f, i) =>
        {
            var values = partitionFields.Select(p =>
            {
                f.PartitionValues.TryGetValue(p.PhysicalName(mode), out var raw);
                if (raw is null && !f.PartitionValues.ContainsKey(p.PhysicalName(mode)))
                {
                    f.PartitionValues.TryGetValue(p.Name, out raw);
                }

                return raw is null || (raw.Length == 0 && p.Type != PrimitiveType.String)
                    ? $"CAST(NULL AS {Types.ToDuckDb(p.Type)})"
                    : $"CAST({SqlText.Str(raw)} AS {Types.ToDuckDb(p.Type)})";
            });
            var deleted = f.DeletionVector is { } dv
                ? "[" + string.Join(", ", DeletionVectorReader.Read(dv, snapshot.TablePath).Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]::BIGINT[]"
                : "NULL::BIGINT[]";
            return "(" + string.Join(", ", new[] { SqlText.Str(absolute[i]), deleted }.Concat(values)) + ")";
        });
        var fileColumns = new[] { "__file", "__deleted" }.Concat(partitionFields.Select((_, i) => $"__p{i}"));

        var hasDv = files.Any(f => f.DeletionVector is not null);
        var parquet = $"read_parquet({SqlText.StrList(absolute)}, filename = true, union_by_name = true{(hasDv ? ", file_row_number = true" : "")})";
        var present = describe($"SELECT * FROM {parquet}").Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var select = fields.Select(f =>
        {
            var pi = partitionFields.IndexOf(f);
            var source = pi >= 0 ? $"p.__p{pi}" : present.Contains(f.PhysicalName(mode)) ? $"d.{SqlText.Ident(f.PhysicalName(mode))}" : "NULL";
            return $"CAST({source} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}";
        });
        return $"SELECT {string.Join(", ", select)} FROM {parquet} AS d "
             + $"JOIN (VALUES {string.Join(", ", fileRows)}) AS p({string.Join(", ", fileColumns)}) ON d.filename = p.__file"
             + (hasDv ? " WHERE p.__deleted IS NULL OR NOT list_contains(p.__deleted, d.file_row_number)" : "");
    }
}
