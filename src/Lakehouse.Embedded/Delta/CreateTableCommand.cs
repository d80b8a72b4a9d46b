using System.Text.Json.Nodes;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos.Delta;
using Mode = Lakehouse.Spark.Protos.Delta.CreateDeltaTable.Types.Mode;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta Connect's CreateDeltaTable (DeltaTable.Create / CreateIfNotExists / Replace / CreateOrReplace): the table
/// at its location or at the warehouse path of its name. Create and create-if-not-exists go through
/// Lakehouse.Delta's <see cref="Lakehouse.Delta.DeltaTable.Create"/>; replace is one commit that removes every file
/// and sets the new schema, partitioning and properties, as Delta's REPLACE TABLE does.
/// </summary>
internal static class CreateTableCommand
{
    public static void Run(EngineSession session, CreateDeltaTable create)
    {
        if (create.ClusteringColumns.Count > 0)
        {
            throw Errors.Unsupported("clusterBy", "Liquid clustering (clusterBy) on table creation");
        }

        if (create.Columns.FirstOrDefault(c => c.HasGeneratedAlwaysAs || c.IdentityInfo is not null) is { } special)
        {
            throw Errors.Unsupported("generated/identity column", $"The generated or identity column '{special.Name}'");
        }

        var path = create.HasLocation ? Path.GetFullPath(create.Location)
            : create.HasTableName ? session.TablePath(create.TableName)
            : throw Errors.InvalidArgument("CreateDeltaTable", "give the table a name or a location");
        var schema = new StructType(create.Columns.Select(c => new StructField(c.Name,
            Types.FromProto(c.DataType) ?? throw Errors.InvalidArgument("column type", $"the column '{c.Name}' has no type"),
            c.Nullable, c.HasComment ? new JsonObject { ["comment"] = c.Comment } : null)));
        var properties = new Dictionary<string, string>(create.Properties, StringComparer.Ordinal);
        var table = Lakehouse.Delta.DeltaTable.ForPath(path);
        var mode = create.Mode == Mode.Unspecified ? Mode.Create : create.Mode;
        if (mode is Mode.Create or Mode.CreateIfNotExists || (mode == Mode.CreateOrReplace && !table.Exists))
        {
            if (mode == Mode.Create && table.Exists)
            {
                throw new EmbeddedException("DELTA_TABLE_ALREADY_EXISTS", "42P07",
                    $"Table {create.TableName ?? path} already exists (at {path}). Use CreateIfNotExists to keep it or CreateOrReplace to replace it.",
                    new Dictionary<string, string> { ["tableName"] = create.TableName ?? path });
            }

            DeltaErrors.Map(() => table.Create(schema, create.PartitioningColumns, properties, ifNotExists: mode == Mode.CreateIfNotExists));
            return;
        }

        var snapshot = DmlTable.Load(path);
        var txn = Transaction.Start(snapshot, mode == Mode.Replace ? "REPLACE TABLE" : "CREATE OR REPLACE TABLE", new Dictionary<string, string>
        {
            ["isManaged"] = create.HasLocation ? "false" : "true",
            ["description"] = create.Comment ?? "",
            ["partitionBy"] = System.Text.Json.JsonSerializer.Serialize(create.PartitioningColumns),
            ["properties"] = System.Text.Json.JsonSerializer.Serialize(properties),
        });
        txn.SetMetadata(snapshot.Metadata with
        {
            SchemaString = SchemaJson.ToJson(schema),
            PartitionColumns = create.PartitioningColumns.ToList(),
            Configuration = properties,
            Description = create.HasComment ? create.Comment : null,
        });
        var protocol = TableCreation.ProtocolFor(schema, properties);
        if (protocol.MinReaderVersion > snapshot.Protocol.MinReaderVersion || protocol.MinWriterVersion > snapshot.Protocol.MinWriterVersion)
        {
            txn.SetProtocol(protocol);
        }
        else if (TableCreation.UpgradeFor(snapshot.Protocol, properties) is { } upgraded)
        {
            // Same versions, but the new properties need a feature the old protocol lacks (delta.enableDeletionVectors).
            txn.SetProtocol(upgraded);
        }

        txn.ReadWholeTable();
        foreach (var file in snapshot.Files)
        {
            txn.Remove(file);
        }

        DeltaErrors.Map(txn.Commit);
    }
}
