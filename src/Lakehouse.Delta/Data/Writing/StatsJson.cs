using System.Globalization;
using System.Text;
using System.Text.Json;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Builds the <c>add.stats</c> JSON as Spark writes it (PROTOCOL.md, Per-file Statistics):
/// <c>{"numRecords":N,"minValues":{…},"maxValues":{…},"nullCount":{…}}</c>, nested objects for structs, physical
/// column names, and only the first <c>delta.dataSkippingNumIndexedCols</c> leaf columns.
/// </summary>
internal static class StatsJson
{
    /// <summary>Delta truncates string statistics to this many characters.</summary>
    public const int StringPrefixLength = 32;

    // Delta's tie-breaker for a truncated max: larger than any character it may stand for.
    private const char MaxTieBreaker = '\uFFFD';

    /// <param name="schema">The data schema (partition columns excluded).</param>
    /// <param name="mode">Column mapping mode, for physical names.</param>
    /// <param name="numRecords">Rows in the file.</param>
    /// <param name="statistics">Statistics by leaf path (physical names); a missing leaf gets no entry.</param>
    /// <param name="numIndexedCols">How many leaf columns get statistics; negative for all.</param>
    public static string Build(StructType schema, ColumnMappingMode mode, long numRecords,
        IReadOnlyDictionary<string, ColumnStatistics> statistics, int numIndexedCols)
    {
        var budget = numIndexedCols < 0 ? int.MaxValue : numIndexedCols;
        var min = new Dictionary<string, object>(StringComparer.Ordinal);
        var max = new Dictionary<string, object>(StringComparer.Ordinal);
        var nulls = new Dictionary<string, object>(StringComparer.Ordinal);
        Collect(schema, mode, "", statistics, ref budget, min, max, nulls);

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", numRecords);
            if (min.Count > 0) { w.WritePropertyName("minValues"); WriteObject(w, min); }
            if (max.Count > 0) { w.WritePropertyName("maxValues"); WriteObject(w, max); }
            if (nulls.Count > 0) { w.WritePropertyName("nullCount"); WriteObject(w, nulls); }
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Collect(StructType type, ColumnMappingMode mode, string prefix, IReadOnlyDictionary<string, ColumnStatistics> statistics,
        ref int budget, Dictionary<string, object> min, Dictionary<string, object> max, Dictionary<string, object> nulls)
    {
        foreach (var field in type.Fields)
        {
            if (budget <= 0)
            {
                return;
            }

            var name = field.PhysicalName(mode);
            var path = prefix + name;
            if (field.Type is StructType nested)
            {
                var cmin = new Dictionary<string, object>(StringComparer.Ordinal);
                var cmax = new Dictionary<string, object>(StringComparer.Ordinal);
                var cnulls = new Dictionary<string, object>(StringComparer.Ordinal);
                Collect(nested, mode, path + ".", statistics, ref budget, cmin, cmax, cnulls);
                if (cmin.Count > 0) { min[name] = cmin; }
                if (cmax.Count > 0) { max[name] = cmax; }
                if (cnulls.Count > 0) { nulls[name] = cnulls; }
                continue;
            }

            budget--;
            if (!statistics.TryGetValue(path, out var s))
            {
                continue;
            }

            if (s.HasNullCount)
            {
                nulls[name] = s.NullCount;
            }

            if (s.CollectMinMax && s.Min is not null && s.Max is not null)
            {
                min[name] = s.Min is string smin ? TruncateMin(smin) : s.Min;
                max[name] = s.Max is string smax ? TruncateMax(smax) : s.Max;
            }
        }
    }

    /// <summary>A prefix is never greater than the value, so the truncated min stays a lower bound.</summary>
    internal static string TruncateMin(string value) => value.Length <= StringPrefixLength ? value : SafePrefix(value, StringPrefixLength);

    /// <summary>
    /// The prefix plus a tie-breaker character stays an upper bound only if the first cut character is below the tie-breaker;
    /// extend the prefix past characters that are not (Delta's rule for truncated max statistics).
    /// </summary>
    internal static string TruncateMax(string value)
    {
        if (value.Length <= StringPrefixLength)
        {
            return value;
        }

        var end = SafePrefix(value, StringPrefixLength).Length;
        while (end < value.Length && value[end] >= MaxTieBreaker)
        {
            end++;
        }

        return end >= value.Length ? value : SafePrefix(value, end) + MaxTieBreaker;
    }

    // Never cut a surrogate pair in half.
    private static string SafePrefix(string value, int length) =>
        length < value.Length && char.IsLowSurrogate(value[length]) ? value[..(length + 1)] : value[..length];

    private static void WriteObject(Utf8JsonWriter w, Dictionary<string, object> values)
    {
        w.WriteStartObject();
        foreach (var (key, value) in values)
        {
            w.WritePropertyName(key);
            WriteValue(w, value);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        var ci = CultureInfo.InvariantCulture;
        switch (value)
        {
            case Dictionary<string, object> nested: WriteObject(w, nested); break;
            case string s: w.WriteStringValue(s); break;
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case short sh: w.WriteNumberValue(sh); break;
            case sbyte sb: w.WriteNumberValue(sb); break;
            case decimal m: w.WriteRawValue(m.ToString(ci)); break;
            // Spark writes floating statistics with Java's toString: 0.0, 1.5, 1.0E10.
            case float f: w.WriteRawValue(PartitionValues.Format(f, PrimitiveType.Float)!); break;
            case double d: w.WriteRawValue(PartitionValues.Format(d, PrimitiveType.Double)!); break;
            case DateOnly d: w.WriteStringValue(d.ToString("yyyy-MM-dd", ci)); break;
            // Timestamps to milliseconds with the offset (UTC here), timestamp_ntz without one, as Spark formats them.
            case DateTimeOffset t: w.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", ci) + "Z"); break;
            case DateTime t: w.WriteStringValue(t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", ci)); break;
            default: throw new InvalidOperationException($"No statistics encoding for {value.GetType().Name}.");
        }
    }
}
