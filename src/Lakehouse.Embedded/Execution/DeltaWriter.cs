using System.Globalization;
using Apache.Arrow;
using Lakehouse.Delta;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Delta;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// The WriteOperation command (DataFrameWriter v1). Delta targets go through Lakehouse.Delta's <see cref="DeltaTable"/>
/// (create on first write, append, overwrite, replaceWhere, mergeSchema, txnAppId/txnVersion); parquet/csv/json paths
/// are written by DuckDB's COPY.
/// </summary>
internal static class DeltaWriter
{
    public static void Write(EngineSession session, WriteOperation write, CancellationToken cancellationToken)
    {
        var format = (write.HasSource ? write.Source : "delta").ToLowerInvariant();
        if (write.BucketBy is { BucketColumnNames.Count: > 0 } || write.SortColumnNames.Count > 0 || write.ClusteringColumns.Count > 0)
        {
            throw Errors.Unsupported("bucketBy/sortBy/clusterBy", "bucketBy, sortBy and clusterBy on write");
        }

        var isTable = write.SaveTypeCase == WriteOperation.SaveTypeOneofCase.Table;
        var path = isTable ? session.TablePath(write.Table.TableName) : Path.GetFullPath(write.Path);
        var (sql, columns) = session.PlanColumns(write.Input);
        var options = new Dictionary<string, string>(write.Options, StringComparer.OrdinalIgnoreCase);
        if (format != "delta")
        {
            CopyFiles(session, sql, path, format, write);
            return;
        }

        // Writer options win over the session confs (Delta's txnAppId/txnVersion/userMetadata).
        var settings = CommitSettings.From(session.Config, options);
        var table = DeltaTable.ForPath(path);
        var mode = write.Mode == WriteOperation.Types.SaveMode.Unspecified ? WriteOperation.Types.SaveMode.ErrorIfExists : write.Mode;
        // Loaded once and handed on: each load lists the log's tail and replays the checkpoint and commits after it.
        Lakehouse.Delta.Snapshots.Snapshot snapshot;
        if (table.Exists)
        {
            if (mode == WriteOperation.Types.SaveMode.Ignore)
            {
                return;
            }

            if (mode == WriteOperation.Types.SaveMode.ErrorIfExists)
            {
                throw isTable
                    ? new EmbeddedException("TABLE_OR_VIEW_ALREADY_EXISTS", "42P07",
                        $"Cannot create table `{write.Table.TableName}` because it already exists (at {path}). Use mode append or overwrite.",
                        new Dictionary<string, string> { ["relationName"] = $"`{write.Table.TableName}`" })
                    : new EmbeddedException("PATH_ALREADY_EXISTS", "42K04",
                        $"Path {path} already exists. Set mode as \"overwrite\" or \"append\".",
                        new Dictionary<string, string> { ["outputPath"] = path });
            }

            using (new TraceScope("delta-load", Trace.Start(), path))
            {
                snapshot = table.Snapshot();
            }

            var partitions = snapshot.PartitionColumns;
            if (write.PartitioningColumns.Count > 0 && !write.PartitioningColumns.SequenceEqual(partitions, StringComparer.OrdinalIgnoreCase))
            {
                throw new EmbeddedException("DELTA_PARTITION_COLUMNS_MISMATCH", "42K04",
                    $"partitionBy({string.Join(", ", write.PartitioningColumns)}) does not match the table's partition columns ({string.Join(", ", partitions)}). Drop partitionBy or use the table's columns.");
            }
        }
        else
        {
            CreateWithData(session, table, sql, columns, write, settings, cancellationToken);
            return;
        }

        // With mergeSchema the streaming path still applies when the data has exactly the table's schema (nothing to merge).
        if (write.Mode is WriteOperation.Types.SaveMode.Append or WriteOperation.Types.SaveMode.Overwrite
            && StreamingDeltaWriter.TryWrite(session, table, snapshot, sql, columns, write.Input, write.Mode == WriteOperation.Types.SaveMode.Overwrite, options, settings, cancellationToken))
        {
            return;
        }

        var writeOptions = new WriteOptions
        {
            MergeSchema = Flag(options, "mergeSchema"),
            ReplaceWhere = options.GetValueOrDefault("replaceWhere"),
            AppId = settings.AppId,
            AppVersion = settings.AppVersion,
            UserMetadata = settings.UserMetadata,
        };

        // Lakehouse.Delta's writer takes the batches as a sequence; it splits them into files of MaxRowsPerFile rows.
        var batches = session.QueryAsync(sql, cancellationToken).ToBlockingEnumerable(cancellationToken);
        using var traceScope = new TraceScope("arrow-delta-write", Trace.Start(), sql);
        var task = mode == WriteOperation.Types.SaveMode.Overwrite
            ? table.OverwriteAsync(batches, writeOptions, cancellationToken)
            : table.AppendAsync(batches, writeOptions, cancellationToken);
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (DeltaException e)
        {
            throw new EmbeddedException("LAKEHOUSE_DELTA_" + e.Kind.ToString().ToUpperInvariant(), e.Kind == DeltaErrorKind.ConcurrentModification ? "40000" : "42000", e.Message, null, e);
        }
    }

    /// <summary>The first write: protocol, metadata and data in one commit (version 0), as Spark's first save does.</summary>
    private static void CreateWithData(
        EngineSession session, DeltaTable table, string sql, IReadOnlyList<(string Name, string Type)> described, WriteOperation write, CommitSettings settings, CancellationToken cancellationToken)
    {
        var schema = new StructType(described.Select(d => new StructField(d.Name, Types.FromDuckDb(d.Type) ?? PrimitiveType.String)));
        var partitionColumns = write.PartitioningColumns.Select(p => schema.Find(p)?.Name ?? throw Errors.UnresolvedColumn(p, schema.Fields.Select(f => f.Name))).ToList();
        // Delta's DataFrameWriter takes the options named delta.* as the new table's properties (DeltaDataSource).
        var configuration = write.Options.Where(o => o.Key.StartsWith("delta.", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        if (new TableProperties(configuration).ColumnMappingMode != ColumnMappingMode.None)
        {
            throw Errors.Unsupported("column mapping option", "Creating a table with column mapping through a writer option; create it with DeltaTable.Create and then append");
        }

        var txn = Transaction.StartCreate(table.Store, "WRITE", new Dictionary<string, string>
        {
            ["mode"] = write.Mode == WriteOperation.Types.SaveMode.Overwrite ? "Overwrite" : write.Mode == WriteOperation.Types.SaveMode.Append ? "Append" : "ErrorIfExists",
            ["partitionBy"] = System.Text.Json.JsonSerializer.Serialize(partitionColumns),
        });
        var metadata = new Lakehouse.Delta.Actions.Metadata
        {
            SchemaString = SchemaJson.ToJson(schema),
            PartitionColumns = partitionColumns,
            Configuration = configuration,
            CreatedTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        txn.SetProtocol(TableCreation.ProtocolFor(schema, configuration));
        txn.SetMetadata(metadata);
        settings.Apply(txn);

        try
        {
            if (CopyDataWriter.Supports(metadata) && txn.Protocol is { } protocol && CopyDataWriter.SupportsProtocol(protocol))
            {
                StreamingDeltaWriter.AddAll(txn, CopyDataWriter.Write(session, table.TablePath, metadata, sql, ConstantPartition.Values(write.Input, metadata), cancellationToken));
            }
            else
            {
                var batches = session.QueryAsync(sql, cancellationToken).ToBlockingEnumerable(cancellationToken);
                using var traceScope = new TraceScope("arrow-delta-create", Trace.Start(), sql);
                var adds = Lakehouse.Delta.Data.Writing.TableDataWriter.WriteAsync(table.TablePath, metadata, batches, 1_000_000, null, cancellationToken).GetAwaiter().GetResult();
                adds.ForEach(txn.Add);
                txn.SetMetric("numFiles", adds.Count);
            }

            txn.Commit();
        }
        catch (DeltaException e)
        {
            throw new EmbeddedException("LAKEHOUSE_DELTA_" + e.Kind.ToString().ToUpperInvariant(), "42000", e.Message, null, e);
        }
    }

    private static void CopyFiles(EngineSession session, string sql, string path, string format, WriteOperation write)
    {
        var mode = write.Mode == WriteOperation.Types.SaveMode.Unspecified ? WriteOperation.Types.SaveMode.ErrorIfExists : write.Mode;
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            switch (mode)
            {
                case WriteOperation.Types.SaveMode.Ignore:
                    return;
                case WriteOperation.Types.SaveMode.ErrorIfExists:
                    throw new EmbeddedException("PATH_ALREADY_EXISTS", "42K04", $"Path {path} already exists. Set mode as \"overwrite\" or \"append\".",
                        new Dictionary<string, string> { ["outputPath"] = path });
                case WriteOperation.Types.SaveMode.Overwrite:
                    Directory.Delete(path, recursive: true);
                    break;
            }
        }

        Directory.CreateDirectory(path);
        var (duckFormat, extension) = format switch
        {
            "parquet" => ("PARQUET", "parquet"),
            "csv" => ("CSV", "csv"),
            "json" => ("JSON", "json"),
            _ => throw Errors.Unsupported("format", $"Writing format '{format}'"),
        };
        var partition = write.PartitioningColumns.Count > 0 ? $", PARTITION_BY ({string.Join(", ", write.PartitioningColumns.Select(SqlText.Ident))})" : "";
        var header = format == "csv" && write.Options.TryGetValue("header", out var h) && h.Equals("true", StringComparison.OrdinalIgnoreCase) ? ", HEADER true" : format == "csv" ? ", HEADER false" : "";
        if (partition.Length > 0)
        {
            session.NonQuery($"COPY ({sql}) TO {SqlText.Str(path)} (FORMAT {duckFormat}, FILENAME_PATTERN 'part-{{uuid}}', FILE_EXTENSION {SqlText.Str(extension)}, APPEND true{partition}{header})");
        }
        else
        {
            var file = Path.Combine(path, $"part-{Guid.NewGuid():N}.{extension}");
            session.NonQuery($"COPY ({sql}) TO {SqlText.Str(file)} (FORMAT {duckFormat}{header})");
        }
    }

    private static bool Flag(Dictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);
}
