using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// A JSON value converted to a Spark field type, nested types included: arrays take JSON arrays (each element
/// converted), structs and maps take JSON objects (struct fields by name, map keys as strings). <see cref="Bad"/>
/// says whether a present value does not fit anywhere inside — Spark then nulls the whole top-level field and marks
/// the record malformed. Scalars follow <see cref="ValueParsers.FromJson"/>.
/// </summary>
internal static class JsonValues
{
    /// <summary>Whether values of this type can be converted (every leaf a scalar, map keys strings).</summary>
    public static bool Supported(DeltaType type) => type switch
    {
        ArrayType a => Supported(a.ElementType),
        StructType s => s.Fields.All(f => Supported(f.Type)),
        MapType m => m.KeyType is PrimitiveType { Name: "string" } && Supported(m.ValueType),
        _ => ValueParsers.IsScalar(type),
    };

    /// <summary>SQL: the value of <paramref name="json"/> as <paramref name="type"/> (NULL where it does not fit).</summary>
    public static string Value(string json, DeltaType type, int depth = 0) => type switch
    {
        ArrayType a => $"(CASE WHEN json_type({json}) = 'ARRAY' THEN list_transform(json_extract({json}, '$[*]'), lambda e{depth}: {Value($"e{depth}", a.ElementType, depth + 1)}) END)",
        StructType s => $"(CASE WHEN json_type({json}) = 'OBJECT' THEN struct_pack({string.Join(", ", s.Fields.Select(f => $"{SqlText.Ident(f.Name)} := {Value(Field(json, f.Name), f.Type, depth + 1)}"))}) END)",
        MapType m => $"(CASE WHEN json_type({json}) = 'OBJECT' THEN map_from_entries(list_transform(json_keys({json}), lambda k{depth}: struct_pack(key := k{depth}, value := {Value(Key(json, $"k{depth}"), m.ValueType, depth + 1)}))) END)",
        _ => ValueParsers.FromJson(json, type),
    };

    /// <summary>SQL: whether a present, non-null <paramref name="json"/> does not fit <paramref name="type"/>.</summary>
    public static string Bad(string json, DeltaType type, int depth = 0)
    {
        var present = $"{json} IS NOT NULL AND json_type({json}) <> 'NULL'";
        return type switch
        {
            ArrayType a => $"({present} AND (json_type({json}) <> 'ARRAY' OR coalesce(list_bool_or(list_transform(json_extract({json}, '$[*]'), lambda e{depth}: {Bad($"e{depth}", a.ElementType, depth + 1)})), FALSE)))",
            StructType s => $"({present} AND (json_type({json}) <> 'OBJECT'{string.Concat(s.Fields.Select(f => " OR " + Bad(Field(json, f.Name), f.Type, depth + 1)))}))",
            MapType m => $"({present} AND (json_type({json}) <> 'OBJECT' OR coalesce(list_bool_or(list_transform(json_keys({json}), lambda k{depth}: {Bad(Key(json, $"k{depth}"), m.ValueType, depth + 1)})), FALSE)))",
            _ => $"({present} AND {ValueParsers.FromJson(json, type)} IS NULL)",
        };
    }

    /// <summary>SQL: the member <paramref name="name"/> of a JSON object (a JSON pointer, with ~ and / escaped).</summary>
    public static string Field(string json, string name) => $"json_extract({json}, {SqlText.Str(Pointer(name))})";

    /// <summary>The JSON pointer to the member <paramref name="name"/> of an object (RFC 6901: ~ and / escaped).</summary>
    public static string Pointer(string name) => "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Key(string json, string key) =>
        $"json_extract({json}, '/' || replace(replace({key}, '~', '~0'), '/', '~1'))";
}
