using Lakehouse.Delta.Actions;

namespace Lakehouse.Delta.TableFeatures;

/// <summary>
/// Which protocol versions and table features this library can read and write
/// (PROTOCOL.md, Table Features and the legacy version → feature table).
/// </summary>
public static class TableFeatureSupport
{
    /// <summary>Reader features this library applies when reading.</summary>
    public static readonly IReadOnlySet<string> ReaderFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        "columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck",
    };

    /// <summary>Writer features this library honours when writing.</summary>
    public static readonly IReadOnlySet<string> WriterFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        "appendOnly", "columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck",
        "domainMetadata", "inCommitTimestamp", ChangeDataFeedFeature,
    };

    /// <summary>The table feature name of the change data feed (PROTOCOL.md, Valid Feature Names in Table Features).</summary>
    public const string ChangeDataFeedFeature = "changeDataFeed";

    /// <summary>
    /// True when writers must produce change data files for the table: <c>delta.enableChangeDataFeed=true</c> and the
    /// protocol carries the feature (writer versions 4 to 6, or 7 with <c>changeDataFeed</c> in its writer features;
    /// PROTOCOL.md, Writer Requirements for AddCDCFile).
    /// </summary>
    public static bool WritesChangeData(Protocol protocol, Metadata metadata) =>
        new TableProperties(metadata.Configuration).EnableChangeDataFeed && IsEnabled(protocol, ChangeDataFeedFeature);

    /// <summary>
    /// Checks that the table's protocol can be read (and, when <paramref name="forWrite"/>, written);
    /// raises <see cref="DeltaErrorKind.UnsupportedProtocol"/> naming the version or feature otherwise.
    /// </summary>
    /// <param name="protocol">The table's protocol.</param>
    /// <param name="metadata">The table's metadata: features that are enabled but unused (say <c>invariants</c> at writer version 2
    /// with no column invariant) do not stop a write.</param>
    /// <param name="tablePath">For the message.</param>
    /// <param name="forWrite">Also check the writer side.</param>
    public static void Validate(Protocol protocol, Metadata? metadata, string tablePath, bool forWrite)
    {
        if (protocol.MinReaderVersion is < 1 or > 3)
        {
            throw Unsupported(tablePath, $"reader version {protocol.MinReaderVersion} (this library reads versions 1 to 3)");
        }

        if (protocol.MinReaderVersion == 3)
        {
            var missing = (protocol.ReaderFeatures ?? []).Where(f => !ReaderFeatures.Contains(f)).ToList();
            if (missing.Count > 0)
            {
                throw Unsupported(tablePath, $"reader table feature(s) {string.Join(", ", missing)}");
            }
        }

        if (!forWrite)
        {
            return;
        }

        if (protocol.MinWriterVersion is < 1 or > 7)
        {
            throw Unsupported(tablePath, $"writer version {protocol.MinWriterVersion} (this library writes versions 2 to 7)");
        }

        var writerMissing = WriterFeaturesOf(protocol).Where(f => !WriterFeatures.Contains(f) && IsActive(f, metadata)).ToList();
        if (writerMissing.Count > 0)
        {
            throw Unsupported(tablePath, $"writer table feature(s) {string.Join(", ", writerMissing)}", write: true);
        }
    }

    // A writer must honour a feature only where the table uses it: these are the markers of use
    // (PROTOCOL.md: Column Invariants, CHECK Constraints, Generated Columns, Identity Columns, Change Data Files).
    private static bool IsActive(string feature, Metadata? metadata)
    {
        if (metadata is null)
        {
            return true;
        }

        bool AnyField(string key) => HasFieldMetadata(metadata.Schema, key);
        return feature switch
        {
            "invariants" => AnyField("delta.invariants"),
            "checkConstraints" => metadata.Configuration.Keys.Any(k => k.StartsWith("delta.constraints.", StringComparison.Ordinal)),
            "generatedColumns" => AnyField("delta.generationExpression"),
            "identityColumns" => AnyField("delta.identity.start"),
            ChangeDataFeedFeature => new TableProperties(metadata.Configuration).EnableChangeDataFeed,
            _ => true,
        };
    }

    private static bool HasFieldMetadata(Schema.DeltaType type, string key) => type switch
    {
        Schema.StructType s => s.Fields.Any(f => (f.Metadata?.ContainsKey(key) ?? false) || HasFieldMetadata(f.Type, key)),
        Schema.ArrayType a => HasFieldMetadata(a.ElementType, key),
        Schema.MapType m => HasFieldMetadata(m.KeyType, key) || HasFieldMetadata(m.ValueType, key),
        _ => false,
    };

    /// <summary>The writer features a protocol implies: the explicit list at writer version 7, else the legacy set of its version.</summary>
    public static IEnumerable<string> WriterFeaturesOf(Protocol protocol)
    {
        if (protocol.MinWriterVersion >= 7)
        {
            return protocol.WriterFeatures ?? [];
        }

        // PROTOCOL.md, Table Features: "legacy" writer versions enable these features.
        var features = new List<string>();
        if (protocol.MinWriterVersion >= 2) { features.AddRange(["appendOnly", "invariants"]); }
        if (protocol.MinWriterVersion >= 3) { features.Add("checkConstraints"); }
        if (protocol.MinWriterVersion >= 4) { features.AddRange(["changeDataFeed", "generatedColumns"]); }
        if (protocol.MinWriterVersion >= 5) { features.Add("columnMapping"); }
        if (protocol.MinWriterVersion >= 6) { features.Add("identityColumns"); }
        return features;
    }

    /// <summary>True when the protocol enables the feature (explicitly, or through a legacy version).</summary>
    public static bool IsEnabled(Protocol protocol, string feature) =>
        (protocol.ReaderFeatures?.Contains(feature) ?? false) || WriterFeaturesOf(protocol).Contains(feature)
        || (feature == "columnMapping" && protocol.MinReaderVersion == 2);

    private static DeltaException Unsupported(string tablePath, string what, bool write = false) =>
        new(DeltaErrorKind.UnsupportedProtocol,
            $"The table at {tablePath} requires {what}, which Lakehouse.Delta does not support{(write ? " for writing" : "")}. "
            + (write ? "Write to this table with Apache Spark + Delta Lake instead." : "Read this table with Apache Spark + Delta Lake instead."),
            tablePath);
}
