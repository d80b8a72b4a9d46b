namespace Lakehouse.Delta.Schema;

/// <summary>A Delta column type (PROTOCOL.md, Schema Serialization Format). Records compare by value.</summary>
public abstract record DeltaType
{
    /// <summary>The type as Delta writes it: a name for primitives, schema JSON for nested types.</summary>
    public abstract override string ToString();
}

/// <summary>A primitive type: <c>string</c>, <c>long</c>, <c>integer</c>, <c>short</c>, <c>byte</c>, <c>float</c>, <c>double</c>,
/// <c>boolean</c>, <c>binary</c>, <c>date</c>, <c>timestamp</c>, <c>timestamp_ntz</c>. Decimals are <see cref="DecimalType"/>.</summary>
public sealed record PrimitiveType : DeltaType
{
    private PrimitiveType(string name) => Name = name;

    /// <summary>The Delta name of the type.</summary>
    public string Name { get; }

    /// <summary>UTF-8 string.</summary>
    public static readonly PrimitiveType String = new("string");
    /// <summary>64-bit integer.</summary>
    public static readonly PrimitiveType Long = new("long");
    /// <summary>32-bit integer.</summary>
    public static readonly PrimitiveType Integer = new("integer");
    /// <summary>16-bit integer.</summary>
    public static readonly PrimitiveType Short = new("short");
    /// <summary>8-bit integer.</summary>
    public static readonly PrimitiveType Byte = new("byte");
    /// <summary>32-bit IEEE float.</summary>
    public static readonly PrimitiveType Float = new("float");
    /// <summary>64-bit IEEE float.</summary>
    public static readonly PrimitiveType Double = new("double");
    /// <summary>Boolean.</summary>
    public static readonly PrimitiveType Boolean = new("boolean");
    /// <summary>Bytes.</summary>
    public static readonly PrimitiveType Binary = new("binary");
    /// <summary>Calendar date.</summary>
    public static readonly PrimitiveType Date = new("date");
    /// <summary>Instant with microsecond precision (stored UTC, shown in the session time zone).</summary>
    public static readonly PrimitiveType Timestamp = new("timestamp");
    /// <summary>Local date-time with microsecond precision, no time zone (table feature <c>timestampNtz</c>).</summary>
    public static readonly PrimitiveType TimestampNtz = new("timestamp_ntz");

    private static readonly Dictionary<string, PrimitiveType> ByName = new[]
    {
        String, Long, Integer, Short, Byte, Float, Double, Boolean, Binary, Date, Timestamp, TimestampNtz,
    }.ToDictionary(t => t.Name);

    /// <summary>Looks a primitive type up by its Delta name; null when the name is not a primitive.</summary>
    public static PrimitiveType? FromName(string name) => ByName.GetValueOrDefault(name);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A decimal with precision (1–38) and scale.</summary>
public sealed record DecimalType(int Precision, int Scale) : DeltaType
{
    /// <inheritdoc />
    public override string ToString() => $"decimal({Precision},{Scale})";
}

/// <summary>An array of elements of one type.</summary>
public sealed record ArrayType(DeltaType ElementType, bool ContainsNull) : DeltaType
{
    /// <inheritdoc />
    public override string ToString() => SchemaJson.TypeToJson(this, includeMetadata: false);
}

/// <summary>A map from keys to values.</summary>
public sealed record MapType(DeltaType KeyType, DeltaType ValueType, bool ValueContainsNull) : DeltaType
{
    /// <inheritdoc />
    public override string ToString() => SchemaJson.TypeToJson(this, includeMetadata: false);
}
