using System.Text.Json.Nodes;

namespace Lakehouse.Delta.Schema;

/// <summary>A struct: an ordered list of named fields. A table schema is a struct.</summary>
public sealed record StructType : DeltaType
{
    /// <summary>Creates a struct of the given fields.</summary>
    public StructType(IEnumerable<StructField> fields) => Fields = fields.ToArray();

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<StructField> Fields { get; }

    /// <summary>Finds a field by name, case-insensitively as Spark resolves columns; null if absent.</summary>
    public StructField? Find(string name) =>
        Fields.FirstOrDefault(f => f.Name == name) ?? Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The field named <paramref name="name"/>; a <see cref="DeltaException"/> naming the known fields if absent.</summary>
    public StructField this[string name] => Find(name)
        ?? throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Column '{name}' is not in the schema; the columns are: {string.Join(", ", Fields.Select(f => f.Name))}.");

    /// <inheritdoc />
    public bool Equals(StructType? other) => other is not null && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc />
    public override int GetHashCode() => Fields.Aggregate(17, (h, f) => HashCode.Combine(h, f));

    /// <inheritdoc />
    public override string ToString() => SchemaJson.TypeToJson(this, includeMetadata: false);
}

/// <summary>A named field of a struct. <see cref="Metadata"/> holds column-mapping ids, comments and the like.</summary>
public sealed record StructField(string Name, DeltaType Type, bool Nullable = true, JsonObject? Metadata = null)
{
    /// <summary>Column mapping (PROTOCOL.md, Column Mapping): the physical (Parquet) column name, or the logical name when unmapped.</summary>
    public string PhysicalName(ColumnMappingMode mode) =>
        mode != ColumnMappingMode.None && Metadata?["delta.columnMapping.physicalName"]?.GetValue<string>() is { } p ? p : Name;

    /// <summary>Column mapping: the field id, when the table uses column mapping.</summary>
    public long? ColumnMappingId => Metadata?["delta.columnMapping.id"]?.GetValue<long>();

    /// <inheritdoc />
    public bool Equals(StructField? other) =>
        other is not null && Name == other.Name && Type.Equals(other.Type) && Nullable == other.Nullable
        && JsonNode.DeepEquals(Metadata is { Count: > 0 } ? Metadata : null, other.Metadata is { Count: > 0 } ? other.Metadata : null);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Type, Nullable);
}

/// <summary>The table's <c>delta.columnMapping.mode</c>.</summary>
public enum ColumnMappingMode
{
    /// <summary>Parquet columns carry the logical names.</summary>
    None,
    /// <summary>Parquet columns carry the physical names from the field metadata.</summary>
    Name,
    /// <summary>Parquet columns are matched by field id.</summary>
    Id,
}
