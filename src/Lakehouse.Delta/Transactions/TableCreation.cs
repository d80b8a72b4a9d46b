using System.Text.Json.Nodes;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Transactions;

/// <summary>The protocol and column-mapping annotations a new table (or a schema change) needs.</summary>
internal static class TableCreation
{
    /// <summary>
    /// The lowest protocol that supports what the table uses: 1/2 by default, 1/4 for the change data feed, 2/5 for
    /// column mapping, 3/7 with table features for timestamp_ntz (PROTOCOL.md, Timestamp without timezone) and deletion
    /// vectors, writer 7 for in-commit timestamps.
    /// </summary>
    public static Protocol ProtocolFor(StructType schema, IReadOnlyDictionary<string, string> configuration)
    {
        var properties = new TableProperties(configuration);
        var ntz = Uses(schema, t => t == PrimitiveType.TimestampNtz);
        var mapping = properties.ColumnMappingMode != ColumnMappingMode.None;
        var dv = properties.EnableDeletionVectors;
        var cdf = properties.EnableChangeDataFeed;
        if (!ntz && !dv && !properties.InCommitTimestamps)
        {
            // PROTOCOL.md, Writer Version Requirements: writer version 4 brings the change data feed, 5 column mapping.
            return mapping ? new Protocol { MinReaderVersion = 2, MinWriterVersion = 5 }
                : cdf ? new Protocol { MinReaderVersion = 1, MinWriterVersion = 4 }
                : new Protocol();
        }

        var readerFeatures = new List<string>();
        // Writer version 7 lists every feature, including those the legacy versions implied.
        var writerFeatures = new List<string> { "appendOnly", "invariants" };
        if (ntz) { readerFeatures.Add("timestampNtz"); writerFeatures.Add("timestampNtz"); }
        if (mapping) { readerFeatures.Add("columnMapping"); writerFeatures.Add("columnMapping"); }
        if (properties.InCommitTimestamps) { writerFeatures.Add("inCommitTimestamp"); }
        if (cdf) { writerFeatures.Add(TableFeatures.TableFeatureSupport.ChangeDataFeedFeature); }
        if (dv) { readerFeatures.Add(DeletionVectorsFeature); writerFeatures.Add(DeletionVectorsFeature); }
        return readerFeatures.Count > 0
            ? new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = readerFeatures, WriterFeatures = writerFeatures }
            : new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = writerFeatures };
    }

    /// <summary>The table feature name of deletion vectors (PROTOCOL.md, Valid Feature Names in Table Features).</summary>
    public const string DeletionVectorsFeature = "deletionVectors";

    /// <summary>
    /// The protocol an existing table needs after its properties become <paramref name="configuration"/>, or null when
    /// <paramref name="current"/> already suffices (PROTOCOL.md, Table Features for New and Existing Tables).
    /// <c>delta.enableDeletionVectors=true</c> upgrades to reader 3 / writer 7 with <c>deletionVectors</c> in both lists,
    /// keeping every feature the old versions implied. <c>delta.enableChangeDataFeed=true</c> adds <c>changeDataFeed</c>
    /// to the writer features at writer version 7, and otherwise raises the writer version to 4, as Delta does.
    /// </summary>
    public static Protocol? UpgradeFor(Protocol current, IReadOnlyDictionary<string, string> configuration)
    {
        var properties = new TableProperties(configuration);
        var dv = properties.EnableDeletionVectors && !TableFeatures.TableFeatureSupport.IsEnabled(current, DeletionVectorsFeature);
        var cdf = properties.EnableChangeDataFeed && !TableFeatures.TableFeatureSupport.IsEnabled(current, TableFeatures.TableFeatureSupport.ChangeDataFeedFeature);
        if (!dv && !cdf)
        {
            return null;
        }

        if (!dv && current.MinWriterVersion < 7)
        {
            return new Protocol { MinReaderVersion = current.MinReaderVersion, MinWriterVersion = Math.Max(current.MinWriterVersion, 4) };
        }

        var writerFeatures = TableFeatures.TableFeatureSupport.WriterFeaturesOf(current).ToList();
        if (cdf) { writerFeatures.Add(TableFeatures.TableFeatureSupport.ChangeDataFeedFeature); }
        if (!dv)
        {
            return new Protocol { MinReaderVersion = current.MinReaderVersion, MinWriterVersion = 7, ReaderFeatures = current.ReaderFeatures, WriterFeatures = writerFeatures };
        }

        var readerFeatures = new List<string>(current.MinReaderVersion == 3 ? current.ReaderFeatures ?? [] : []);
        if (current.MinReaderVersion == 2) { readerFeatures.Add("columnMapping"); }
        readerFeatures.Add(DeletionVectorsFeature);
        writerFeatures.Add(DeletionVectorsFeature);
        return new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = readerFeatures, WriterFeatures = writerFeatures };
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
