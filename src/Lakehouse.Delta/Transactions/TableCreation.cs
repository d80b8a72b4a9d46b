using System.Text.Json.Nodes;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Transactions;

/// <summary>The protocol and column-mapping annotations a new table (or a schema change) needs.</summary>
internal static class TableCreation
{
    /// <summary>
    /// The lowest protocol that supports what the table uses: 1/2 by default, 2/5 for column mapping, 3/7 with table
    /// features for timestamp_ntz (PROTOCOL.md, Timestamp without timezone), writer 7 for in-commit timestamps.
    /// </summary>
    public static Protocol ProtocolFor(StructType schema, IReadOnlyDictionary<string, string> configuration)
    {
        var properties = new TableProperties(configuration);
        var ntz = Uses(schema, t => t == PrimitiveType.TimestampNtz);
        var mapping = properties.ColumnMappingMode != ColumnMappingMode.None;
        if (!ntz && !properties.InCommitTimestamps)
        {
            return mapping ? new Protocol { MinReaderVersion = 2, MinWriterVersion = 5 } : new Protocol();
        }

        var readerFeatures = new List<string>();
        // Writer version 7 lists every feature, including those the legacy versions implied.
        var writerFeatures = new List<string> { "appendOnly", "invariants" };
        if (ntz) { readerFeatures.Add("timestampNtz"); writerFeatures.Add("timestampNtz"); }
        if (mapping) { readerFeatures.Add("columnMapping"); writerFeatures.Add("columnMapping"); }
        if (properties.InCommitTimestamps) { writerFeatures.Add("inCommitTimestamp"); }
        return readerFeatures.Count > 0
            ? new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = readerFeatures, WriterFeatures = writerFeatures }
            : new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = writerFeatures };
    }

    /// <summary>Gives fields without column-mapping annotations an id and a physical name (PROTOCOL.md, Column Mapping); returns the highest id.</summary>
    public static StructType AssignColumnMapping(StructType schema, ref long maxId)
    {
        var fields = new List<StructField>();
        foreach (var f in schema.Fields)
        {
            var type = f.Type is StructType nested ? AssignColumnMapping(nested, ref maxId) : f.Type;
            var metadata = f.Metadata is null ? new JsonObject() : (JsonObject)f.Metadata.DeepClone();
            if (f.ColumnMappingId is null)
            {
                metadata["delta.columnMapping.id"] = ++maxId;
                metadata["delta.columnMapping.physicalName"] = $"col-{Guid.NewGuid()}";
            }

            fields.Add(f with { Type = type, Metadata = metadata });
        }

        return new StructType(fields);
    }

    private static bool Uses(DeltaType type, Func<DeltaType, bool> test) => test(type) || type switch
    {
        StructType s => s.Fields.Any(f => Uses(f.Type, test)),
        ArrayType a => Uses(a.ElementType, test),
        MapType m => Uses(m.KeyType, test) || Uses(m.ValueType, test),
        _ => false,
    };
}
