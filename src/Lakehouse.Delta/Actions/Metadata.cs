using System.Text.Json.Serialization;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>metaData</c> action: table id, schema, partition columns and configuration.</summary>
public sealed record Metadata
{
    /// <summary>Unique table id (a GUID string), fixed at creation.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = Guid.NewGuid().ToString();

    /// <summary>Optional user-facing name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Optional description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>Data file format; always parquet.</summary>
    [JsonPropertyName("format")] public Format Format { get; init; } = new();

    /// <summary>The schema as Delta schema JSON (see <see cref="Schema"/> for the parsed form).</summary>
    [JsonPropertyName("schemaString")]
    public string SchemaString
    {
        get => _schemaString;
        init
        {
            // A `with` copy must not keep the parsed schema of the original.
            _schemaString = value;
            _schema = null;
        }
    }

    /// <summary>Partition column names, in order.</summary>
    [JsonPropertyName("partitionColumns")] public IReadOnlyList<string> PartitionColumns { get; init; } = [];

    /// <summary>Table properties (<c>delta.*</c> and user keys).</summary>
    [JsonPropertyName("configuration")] public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>Creation time, milliseconds since the epoch.</summary>
    [JsonPropertyName("createdTime")] public long? CreatedTime { get; init; }

    private string _schemaString = "";
    private StructType? _schema;

    /// <summary>The parsed <see cref="SchemaString"/>.</summary>
    [JsonIgnore]
    public StructType Schema => _schema ??= SchemaJson.Parse(SchemaString);
}

/// <summary>The data file format of a table.</summary>
public sealed record Format
{
    /// <summary>The format name; <c>parquet</c>.</summary>
    [JsonPropertyName("provider")] public string Provider { get; init; } = "parquet";

    /// <summary>Format options (unused by Delta; written as an empty object).</summary>
    [JsonPropertyName("options")] public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}
