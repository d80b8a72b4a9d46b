using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Tests.ConformanceTables;

/// <summary>
/// Puts values in the one form the conformance README defines, so that rows read through Arrow and rows from
/// expected.json compare as strings: floats as 32-bit round-trip text, decimals with exactly s digits, dates
/// YYYY-MM-DD, timestamps ISO UTC with microseconds (ntz without Z), binary base64, structs as objects,
/// maps as [key, value] pairs in a canonical order. Decoding here is written from the Arrow format, not from
/// the library's reader, so the comparison is independent of it.
/// </summary>
internal static class CanonicalValues
{
    /// <summary>The canonical form of an expected.json value of <paramref name="type"/>.</summary>
    public static JsonNode? FromExpected(JsonNode? value, DeltaType type)
    {
        if (value is null)
        {
            return null;
        }

        return type switch
        {
            PrimitiveType { Name: "float" } => Float((float)value.GetValue<double>()),
            PrimitiveType { Name: "double" } => Double(value.GetValue<double>()),
            PrimitiveType { Name: "integer" or "long" or "short" or "byte" } => JsonValue.Create(value.GetValue<long>()),
            StructType s => new JsonObject(s.Fields.Select(f => KeyValuePair.Create(f.Name, FromExpected(value.AsObject()[f.Name], f.Type)))),
            Schema.ArrayType a => new JsonArray(value.AsArray().Select(e => FromExpected(e, a.ElementType)).ToArray()),
            Schema.MapType m => Pairs(value.AsArray().Select(p => (FromExpected(p![0], m.KeyType), FromExpected(p[1], m.ValueType)))),
            _ => value.DeepClone(),
        };
    }

    /// <summary>The canonical form of element <paramref name="i"/> of an Arrow array of <paramref name="type"/>.</summary>
    public static JsonNode? FromArrow(IArrowArray array, int i, DeltaType type)
    {
        if (array.IsNull(i))
        {
            return null;
        }

        return (type, array) switch
        {
            (_, Int8Array a) => JsonValue.Create((long)a.GetValue(i)!.Value),
            (_, Int16Array a) => JsonValue.Create((long)a.GetValue(i)!.Value),
            (_, Int32Array a) => JsonValue.Create((long)a.GetValue(i)!.Value),
            (_, Int64Array a) => JsonValue.Create(a.GetValue(i)!.Value),
            (_, FloatArray a) => Float(a.GetValue(i)!.Value),
            (_, DoubleArray a) => Double(a.GetValue(i)!.Value),
            (_, BooleanArray a) => JsonValue.Create(a.GetValue(i)!.Value),
            (_, StringArray a) => JsonValue.Create(a.GetString(i)),
            (_, BinaryArray a) => JsonValue.Create(Convert.ToBase64String(a.GetBytes(i))),
            (_, Date32Array a) => JsonValue.Create(DateOnly.FromDayNumber(EpochDay + a.Values[i]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (PrimitiveType { Name: "timestamp" }, TimestampArray a) => JsonValue.Create(Timestamp(a.Values[i]) + "Z"),
            (PrimitiveType { Name: "timestamp_ntz" }, TimestampArray a) => JsonValue.Create(Timestamp(a.Values[i])),
            (DecimalType d, Decimal128Array a) => JsonValue.Create(Decimal(a.ValueBuffer.Span.Slice(i * 16, 16), d.Scale)),
            (StructType s, StructArray a) => new JsonObject(s.Fields.Select((f, c) => KeyValuePair.Create(f.Name, FromArrow(a.Fields[c], i, f.Type)))),
            (Schema.MapType m, MapArray a) => Pairs(Enumerable.Range(a.ValueOffsets[i], a.ValueOffsets[i + 1] - a.ValueOffsets[i])
                .Select(e => (FromArrow(a.Keys, e, m.KeyType), FromArrow(a.Values, e, m.ValueType)))),
            (Schema.ArrayType t, ListArray a) => new JsonArray(Enumerable.Range(a.ValueOffsets[i], a.ValueOffsets[i + 1] - a.ValueOffsets[i])
                .Select(e => FromArrow(a.Values, e, t.ElementType)).ToArray()),
            _ => throw new InvalidOperationException($"No canonical form for {type} read as {array.GetType().Name}."),
        };
    }

    private static readonly int EpochDay = new DateOnly(1970, 1, 1).DayNumber;

    private static JsonNode Float(float f) => JsonValue.Create("f:" + f.ToString("R", CultureInfo.InvariantCulture));

    private static JsonNode Double(double d) => JsonValue.Create("d:" + d.ToString("R", CultureInfo.InvariantCulture));

    private static string Timestamp(long micros)
    {
        var t = DateTime.UnixEpoch.AddTicks(micros * 10);
        return t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }

    private static string Decimal(ReadOnlySpan<byte> littleEndian, int scale)
    {
        var unscaled = new BigInteger(littleEndian, isUnsigned: false, isBigEndian: false);
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..];
        return unscaled.Sign < 0 ? "-" + text : text;
    }

    private static JsonArray Pairs(IEnumerable<(JsonNode? Key, JsonNode? Value)> pairs) =>
        new(pairs.Select(p => new JsonArray(p.Key, p.Value))
            .OrderBy(p => p.ToJsonString(), StringComparer.Ordinal)
            .Select(JsonNode (p) => p)
            .ToArray());
}
