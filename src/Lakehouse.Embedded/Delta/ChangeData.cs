using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.TableFeatures;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Change data files (PROTOCOL.md, Change Data Files): on a table with the change data feed on, the DML commands hand
/// <see cref="CopyOnWrite"/> a query of the rows they change, in the table's columns plus <see cref="ChangeTypeColumn"/>
/// (<c>delete</c>, <c>update_preimage</c>, <c>update_postimage</c>, <c>insert</c>); the rows are written under
/// <c>_change_data/</c> (partitioned tables: in the partition's directory below it, without the partition columns, as
/// data files) and named in the commit by <c>cdc</c> actions. Readers of the feed then take the commit's changes from
/// these files alone, so every change of the commit is in them, inserts included.
/// </summary>
internal static class ChangeData
{
    /// <summary>The column that says what happened to a row.</summary>
    public const string ChangeTypeColumn = "_change_type";

    /// <summary>The directory under the table root that holds the change data files.</summary>
    public const string DirectoryName = "_change_data";

    /// <summary>True when DML on the table must write change data files (the property and the protocol feature).</summary>
    public static bool Enabled(Snapshot snapshot) => TableFeatureSupport.WritesChangeData(snapshot.Protocol, snapshot.Metadata);

    /// <summary>A SQL string literal of a change type.</summary>
    public static string Type(string changeType) => SqlText.Str(changeType);

    /// <summary>
    /// Writes the rows of <paramref name="sql"/> — the columns of <paramref name="metadata"/>'s schema in order, each cast to
    /// its DuckDB type, then <see cref="ChangeTypeColumn"/> — as change data files, and returns their <c>cdc</c> actions
    /// (none when the query has no rows). The files are not committed; the caller deletes them when its commit fails.
    /// </summary>
    public static List<Cdc> Write(EngineSession session, Snapshot snapshot, Metadata metadata, string sql, CancellationToken cancellationToken)
    {
        var schema = new StructType([.. metadata.Schema.Fields, new StructField(ChangeTypeColumn, PrimitiveType.String)]);
        var cdcMetadata = metadata with { SchemaString = SchemaJson.ToJson(schema) };
        var root = Path.Combine(snapshot.TablePath, DirectoryName);
        // As CopyOnWrite writes data files: DuckDB's COPY when its Parquet types read back as the table's, else Lakehouse.Delta's writer.
        var direct = CopyDataWriter.Supports(cdcMetadata) && schema.Fields.All(f => Equals(Types.FromDuckDb(Types.ToDuckDb(f.Type)), f.Type));
        var files = direct
            ? CopyDataWriter.Write(session, root, cdcMetadata, sql, null, cancellationToken)
            : TableDataWriter.WriteAsync(root, cdcMetadata, session.QueryAsync(sql, cancellationToken).ToBlockingEnumerable(cancellationToken), 1_000_000, null, cancellationToken)
                .GetAwaiter().GetResult();
        return [.. files.Select(f => new Cdc { Path = $"{DirectoryName}/{f.Path}", PartitionValues = f.PartitionValues, Size = f.Size, DataChange = false })];
    }

    /// <summary>Deletes change data files written for a commit that did not land (best effort: vacuum removes what is left).</summary>
    public static void Delete(string tablePath, IEnumerable<Cdc> files)
    {
        foreach (var file in files)
        {
            try
            {
                File.Delete(TablePaths.ResolveDataFile(tablePath, file.Path));
            }
            catch (IOException)
            {
            }
        }
    }
}
