using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Data.Reading.Skipping;

/// <summary>
/// The per-file statistics of an <c>add</c> action (PROTOCOL.md, Per-file Statistics): the record count and, per
/// column, min, max and null count, nested like the schema and keyed by physical column names.
/// </summary>
internal sealed class FileStats
{
    private readonly JsonObject? _min;
    private readonly JsonObject? _max;
    private readonly JsonObject? _nullCount;

    private FileStats(long? numRecords, bool tightBounds, JsonObject? min, JsonObject? max, JsonObject? nullCount)
    {
        NumRecords = numRecords;
        TightBounds = tightBounds;
        _min = min;
        _max = max;
        _nullCount = nullCount;
    }

    /// <summary>Rows in the data file (before any deletion vector).</summary>
    public long? NumRecords { get; }

    /// <summary>Whether the bounds are tight; wide bounds (after deletion vectors) are still valid bounds.</summary>
    public bool TightBounds { get; }

    /// <summary>Parses <c>add.stats</c>; null when absent or not valid JSON, so the file is kept (no skipping without stats).</summary>
    public static FileStats? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(json) is not JsonObject o)
            {
                return null;
            }

            long? records = o["numRecords"] is JsonValue n && n.TryGetValue<long>(out var r) ? r : null;
            // PROTOCOL.md: tightBounds is true when absent.
            var tight = o["tightBounds"] is not JsonValue t || !t.TryGetValue<bool>(out var tb) || tb;
            return new FileStats(records, tight, o["minValues"] as JsonObject, o["maxValues"] as JsonObject, o["nullCount"] as JsonObject);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The minimum of the column at <paramref name="physicalPath"/>, typed for <paramref name="type"/>; null when unknown.</summary>
    public object? Min(IReadOnlyList<string> physicalPath, DeltaType type) => Typed(Find(_min, physicalPath), type);

    /// <summary>The maximum of the column at <paramref name="physicalPath"/>, typed for <paramref name="type"/>; null when unknown.</summary>
    public object? Max(IReadOnlyList<string> physicalPath, DeltaType type) => Typed(Find(_max, physicalPath), type);

    /// <summary>The null count of the column at <paramref name="physicalPath"/>; null when unknown.</summary>
    public long? NullCount(IReadOnlyList<string> physicalPath) =>
        Find(_nullCount, physicalPath) is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    private static JsonNode? Find(JsonObject? root, IReadOnlyList<string> path)
    {
        JsonNode? node = root;
        foreach (var part in path)
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    /// <summary>Converts a statistics JSON value to the CLR form <see cref="Expressions.ValueComparer"/> compares.</summary>
    internal static object? Typed(JsonNode? node, DeltaType type)
    {
        if (node is not JsonValue v)
        {
            return null;
        }

        var ci = CultureInfo.InvariantCulture;
        switch (type)
        {
            case PrimitiveType { Name: "integer" or "long" or "short" or "byte" }:
                return v.TryGetValue<long>(out var l) ? l : null;
            case PrimitiveType { Name: "float" or "double" }:
                if (v.TryGetValue<double>(out var d))
                {
                    return d;
                }

                return v.TryGetValue<string>(out var ds) && double.TryParse(ds, NumberStyles.Float, ci, out d) ? d : null;
            case DecimalType:
                if (v.TryGetValue<decimal>(out var m))
                {
                    return m;
                }

                return v.TryGetValue<string>(out var ms) && decimal.TryParse(ms, NumberStyles.Float, ci, out m) ? m : null;
            case PrimitiveType { Name: "string" }:
                return v.TryGetValue<string>(out var s) ? s : null;
            case PrimitiveType { Name: "date" }:
                return v.TryGetValue<string>(out var date) && DateOnly.TryParseExact(date, "yyyy-MM-dd", ci, DateTimeStyles.None, out var dd) ? dd : null;
            case PrimitiveType { Name: "timestamp" }:
                return v.TryGetValue<string>(out var ts) && DateTimeOffset.TryParse(ts, ci, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            case PrimitiveType { Name: "timestamp_ntz" }:
                return v.TryGetValue<string>(out var ntz) && DateTime.TryParse(ntz, ci, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var n) ? DateTime.SpecifyKind(n, DateTimeKind.Unspecified) : null;
            default:
                return null;
        }
    }
}
