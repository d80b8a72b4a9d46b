using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Schema;
using DeltaArrayType = Lakehouse.Delta.Schema.ArrayType;
using DeltaDecimalType = Lakehouse.Delta.Schema.DecimalType;
using DeltaMapType = Lakehouse.Delta.Schema.MapType;
using DeltaStructType = Lakehouse.Delta.Schema.StructType;

namespace Lakehouse.Cli.Output;

/// <summary>
/// Encodes Arrow values as the JSON of the conformance suite's <c>expected.json</c> (its README): integers as numbers,
/// decimals as strings with exactly <c>scale</c> digits, dates <c>YYYY-MM-DD</c>, timestamps ISO-8601 with microseconds
/// (<c>Z</c> for <c>timestamp</c>, none for <c>timestamp_ntz</c>), binary as base64, structs as objects, arrays as arrays,
/// maps as <c>[key, value]</c> pairs sorted by key.
/// </summary>
internal static class ArrowJson
{
    /// <summary>The value at <paramref name="index"/> of <paramref name="array"/>, which holds Delta type <paramref name="type"/>.</summary>
    public static JsonNode? Value(IArrowArray array, int index, DeltaType type)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return (array, type) switch
        {
            (_, DeltaDecimalType d) => JsonValue.Create(Decimal(array, index, d.Scale)),
            (StructArray s, DeltaStructType st) => Struct(s, index, st),
            (MapArray m, DeltaMapType mt) => Map(m, index, mt),
            (ListArray l, DeltaArrayType at) => List(l, index, at),
            (TimestampArray t, PrimitiveType p) => JsonValue.Create(Timestamp(t, index, utc: p != PrimitiveType.TimestampNtz)),
            (Date32Array d, _) => JsonValue.Create(Date(d.GetValue(index)!.Value)),
            (Date64Array d, _) => JsonValue.Create(Date((int)Math.Floor(d.GetValue(index)!.Value / 86_400_000.0))),
            (BooleanArray b, _) => JsonValue.Create(b.GetValue(index)!.Value),
            (Int8Array a, _) => JsonValue.Create(a.GetValue(index)!.Value),
            (Int16Array a, _) => JsonValue.Create(a.GetValue(index)!.Value),
            (Int32Array a, _) => JsonValue.Create(a.GetValue(index)!.Value),
            (Int64Array a, _) => JsonValue.Create(a.GetValue(index)!.Value),
            (FloatArray a, _) => Number(a.GetValue(index)!.Value),
            (DoubleArray a, _) => Number(a.GetValue(index)!.Value),
            (StringArray a, _) => JsonValue.Create(a.GetString(index)),
            (LargeStringArray a, _) => JsonValue.Create(a.GetString(index)),
            (BinaryArray a, _) => JsonValue.Create(Convert.ToBase64String(a.GetBytes(index))),
            (LargeBinaryArray a, _) => JsonValue.Create(Convert.ToBase64String(a.GetBytes(index))),
            _ => throw new NotSupportedException($"Arrow {array.Data.DataType.Name} for Delta {type} cannot be printed."),
        };
    }

    /// <summary>Row <paramref name="row"/> of <paramref name="batch"/> as an array in schema order.</summary>
    public static JsonArray Row(RecordBatch batch, int row, DeltaStructType schema) =>
        new(schema.Fields.Select((f, i) => Value(batch.Column(i), row, f.Type)).ToArray());

    private static JsonNode Number(double value) =>
        // JSON has no NaN or infinities; print them as strings (NaN, Infinity, -Infinity), as Spark's JSON writer does.
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonNode Number(float value) => float.IsFinite(value) ? JsonValue.Create(value) : Number((double)value);

    private static JsonObject Struct(StructArray array, int index, DeltaStructType type)
    {
        var node = new JsonObject();
        for (var i = 0; i < type.Fields.Count; i++)
        {
            node[type.Fields[i].Name] = Value(array.Fields[i], index, type.Fields[i].Type);
        }

        return node;
    }

    private static JsonArray List(ListArray array, int index, DeltaArrayType type)
    {
        var start = array.ValueOffsets[index];
        var end = array.ValueOffsets[index + 1];
        var items = new JsonNode?[end - start];
        for (var i = start; i < end; i++)
        {
            items[i - start] = Value(array.Values, i, type.ElementType);
        }

        return new JsonArray(items);
    }

    private static JsonArray Map(MapArray array, int index, DeltaMapType type)
    {
        var start = array.ValueOffsets[index];
        var end = array.ValueOffsets[index + 1];
        var pairs = new List<(JsonNode? Key, JsonNode? Value)>();
        for (var i = start; i < end; i++)
        {
            pairs.Add((Value(array.Keys, i, type.KeyType), Value(array.Values, i, type.ValueType)));
        }

        return new JsonArray(pairs
            .OrderBy(p => p.Key?.ToJsonString(), StringComparer.Ordinal)
            .Select(p => (JsonNode)new JsonArray(p.Key, p.Value))
            .ToArray());
    }

    private static string Date(int daysSinceEpoch) =>
        DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + daysSinceEpoch).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Timestamp(TimestampArray array, int index, bool utc)
    {
        var value = array.GetValue(index)!.Value;
        var micros = ((TimestampType)array.Data.DataType).Unit switch
        {
            TimeUnit.Second => value * 1_000_000,
            TimeUnit.Millisecond => value * 1_000,
            TimeUnit.Microsecond => value,
            _ => Math.DivRem(value, 1_000L, out var rem) - (rem < 0 ? 1 : 0),
        };
        var time = DateTime.UnixEpoch.AddTicks(micros * 10);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + (utc ? "Z" : "");
    }

    private static string Decimal(IArrowArray array, int index, int scale)
    {
        var width = array switch
        {
            Decimal128Array => 16,
            Decimal256Array => 32,
            _ => throw new NotSupportedException($"Arrow {array.Data.DataType.Name} is not a decimal."),
        };
        // Arrow decimals are two's-complement little-endian integers of the unscaled value.
        var bytes = array.Data.Buffers[1].Span.Slice((array.Data.Offset + index) * width, width);
        var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = scale == 0 ? digits : $"{digits[..^scale]}.{digits[^scale..]}";
        return unscaled.Sign < 0 ? "-" + text : text;
    }
}
