using Lakehouse.Delta.Actions;
using Parquet.Schema;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>
/// The Parquet schema of the checkpoints this library writes and the columns that fill it. It has the shape
/// Spark writes (PROTOCOL.md, Checkpoint Schema): one optional struct per action kind, every field optional,
/// maps as <c>key_value</c> groups with a required key, lists as <c>list</c>/<c>element</c>, stats as a JSON
/// string. V2 checkpoints add the <c>checkpointMetadata</c> and <c>sidecar</c> columns.
/// </summary>
internal sealed class CheckpointLayout
{
    private readonly List<CheckpointColumn> _columns = [];

    private CheckpointLayout(bool v2)
    {
        List<Field> fields =
        [
            new StructField("txn",
                Str("appId", a => a.Txn is { } t ? (1, t.AppId) : (0, null)),
                Long("version", a => a.Txn is { } t ? (1, t.Version) : (0, null)),
                Long("lastUpdated", a => a.Txn is { } t ? (1, t.LastUpdated) : (0, null))),
            new StructField("add",
                Str("path", a => a.Add is { } x ? (1, x.Path) : (0, null)),
                Map("partitionValues", a => a.Add is { } x ? (1, x.PartitionValues) : (0, null)),
                Long("size", a => a.Add is { } x ? (1, x.Size) : (0, null)),
                Long("modificationTime", a => a.Add is { } x ? (1, x.ModificationTime) : (0, null)),
                Bool("dataChange", a => a.Add is { } x ? (1, x.DataChange) : (0, null)),
                Map("tags", a => a.Add is { } x ? (1, Nullable(x.Tags)) : (0, null)),
                DeletionVector(a => a.Add is { } x ? (1, x.DeletionVector) : (0, null)),
                Long("baseRowId", a => a.Add is { } x ? (1, x.BaseRowId) : (0, null)),
                Long("defaultRowCommitVersion", a => a.Add is { } x ? (1, x.DefaultRowCommitVersion) : (0, null)),
                Str("stats", a => a.Add is { } x ? (1, x.Stats) : (0, null)),
                Str("clusteringProvider", a => a.Add is { } x ? (1, x.ClusteringProvider) : (0, null))),
            new StructField("remove",
                Str("path", a => a.Remove is { } x ? (1, x.Path) : (0, null)),
                Long("deletionTimestamp", a => a.Remove is { } x ? (1, x.DeletionTimestamp) : (0, null)),
                Bool("dataChange", a => a.Remove is { } x ? (1, x.DataChange) : (0, null)),
                Bool("extendedFileMetadata", a => a.Remove is { } x ? (1, x.ExtendedFileMetadata) : (0, null)),
                Map("partitionValues", a => a.Remove is { } x ? (1, x.PartitionValues) : (0, null)),
                Long("size", a => a.Remove is { } x ? (1, x.Size) : (0, null)),
                DeletionVector(a => a.Remove is { } x ? (1, x.DeletionVector) : (0, null)),
                Long("baseRowId", a => a.Remove is { } x ? (1, x.BaseRowId) : (0, null)),
                Long("defaultRowCommitVersion", a => a.Remove is { } x ? (1, x.DefaultRowCommitVersion) : (0, null))),
            new StructField("metaData",
                Str("id", a => a.Metadata is { } m ? (1, m.Id) : (0, null)),
                Str("name", a => a.Metadata is { } m ? (1, m.Name) : (0, null)),
                Str("description", a => a.Metadata is { } m ? (1, m.Description) : (0, null)),
                new StructField("format",
                    Str("provider", a => a.Metadata is { } m ? (2, m.Format.Provider) : (0, null)),
                    Map("options", a => a.Metadata is { } m ? (2, Nullable(m.Format.Options)) : (0, null))),
                Str("schemaString", a => a.Metadata is { } m ? (1, m.SchemaString) : (0, null)),
                List("partitionColumns", a => a.Metadata is { } m ? (1, m.PartitionColumns) : (0, null)),
                Map("configuration", a => a.Metadata is { } m ? (1, Nullable(m.Configuration)) : (0, null)),
                Long("createdTime", a => a.Metadata is { } m ? (1, m.CreatedTime) : (0, null))),
            new StructField("protocol",
                Int("minReaderVersion", a => a.Protocol is { } p ? (1, p.MinReaderVersion) : (0, null)),
                Int("minWriterVersion", a => a.Protocol is { } p ? (1, p.MinWriterVersion) : (0, null)),
                List("readerFeatures", a => a.Protocol is { } p ? (1, p.ReaderFeatures) : (0, null)),
                List("writerFeatures", a => a.Protocol is { } p ? (1, p.WriterFeatures) : (0, null))),
            new StructField("domainMetadata",
                Str("domain", a => a.DomainMetadata is { } d ? (1, d.Domain) : (0, null)),
                Str("configuration", a => a.DomainMetadata is { } d ? (1, d.Configuration) : (0, null)),
                Bool("removed", a => a.DomainMetadata is { } d ? (1, d.Removed) : (0, null))),
        ];

        if (v2)
        {
            fields.Add(new StructField("checkpointMetadata",
                Long("version", a => a.CheckpointMetadata is { } c ? (1, c.Version) : (0, null)),
                Map("tags", a => a.CheckpointMetadata is { } c ? (1, Nullable(c.Tags)) : (0, null))));
            fields.Add(new StructField("sidecar",
                Str("path", a => a.Sidecar is { } s ? (1, s.Path) : (0, null)),
                Long("sizeInBytes", a => a.Sidecar is { } s ? (1, s.SizeInBytes) : (0, null)),
                Long("modificationTime", a => a.Sidecar is { } s ? (1, s.ModificationTime) : (0, null)),
                Map("tags", a => a.Sidecar is { } s ? (1, Nullable(s.Tags)) : (0, null))));
        }

        // Constructing the schema assigns each leaf its definition/repetition levels, which the columns then use.
        Schema = new ParquetSchema(fields);
    }

    /// <summary>The Parquet schema.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>The leaf columns, in schema order.</summary>
    public IReadOnlyList<CheckpointColumn> Columns => _columns;

    /// <summary>A fresh layout (columns hold the rows added to them, so use one per file).</summary>
    public static CheckpointLayout Create(bool v2) => new(v2);

    private DataField Str(string name, Func<DeltaAction, (int, string?)> get) => Register(StringColumn.Scalar(name, get));

    private DataField Long(string name, Func<DeltaAction, (int, long?)> get) => Register(new ValueColumn<long>(name, get));

    private DataField Int(string name, Func<DeltaAction, (int, int?)> get) => Register(new ValueColumn<int>(name, get));

    private DataField Bool(string name, Func<DeltaAction, (int, bool?)> get) => Register(new ValueColumn<bool>(name, get));

    private MapField Map(string name, Func<DeltaAction, (int, IEnumerable<KeyValuePair<string, string?>>?)> get) =>
        new(name, Register(StringColumn.MapPart(key: true, get)), Register(StringColumn.MapPart(key: false, get)));

    private ListField List(string name, Func<DeltaAction, (int, IEnumerable<string>?)> get) =>
        new(name, Register(StringColumn.ListElement(get)));

    private StructField DeletionVector(Func<DeltaAction, (int Reached, DeletionVectorDescriptor? Dv)> get)
    {
        (int, T?) In<T>(DeltaAction a, Func<DeletionVectorDescriptor, T?> f)
        {
            var (reached, dv) = get(a);
            return dv is null ? (reached, default) : (reached + 1, f(dv));
        }

        return new StructField("deletionVector",
            Str("storageType", a => In(a, d => d.StorageType)),
            Str("pathOrInlineDv", a => In(a, d => d.PathOrInlineDv)),
            Int("offset", a => In(a, d => d.Offset)),
            Int("sizeInBytes", a => In<int?>(a, d => d.SizeInBytes)),
            Long("cardinality", a => In<long?>(a, d => d.Cardinality)),
            Long("maxRowIndex", a => In<long?>(a, _ => null)));
    }

    private DataField Register(CheckpointColumn column)
    {
        _columns.Add(column);
        return column.Field;
    }

    private static IEnumerable<KeyValuePair<string, string?>>? Nullable(IReadOnlyDictionary<string, string>? map) =>
        map?.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value));
}
