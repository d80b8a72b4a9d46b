using System.Globalization;
using System.Text;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Data;

/// <summary>
/// Partition values as the log stores them (strings in <c>add.partitionValues</c>, PROTOCOL.md "Partition Value
/// Serialization") and as directories name them (Hive-style <c>col=value</c>, escaped like Spark's <c>escapePathName</c>).
/// </summary>
public static class PartitionValues
{
    /// <summary>The directory name Spark uses for a null partition value.</summary>
    public const string HiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>
    /// Parses a serialized partition value into its CLR form: int, long, short, sbyte, bool, float, double, string, decimal,
    /// DateOnly (date), DateTimeOffset (timestamp; read as UTC when it has no offset, as Spark does with a UTC session
    /// time zone), DateTime (timestamp_ntz) or byte[] (binary). Null for a null value (and for an empty string of a non-string type).
    /// </summary>
    /// <exception cref="DeltaException">The text is not a value of the type.</exception>
    public static object? Parse(string? raw, DeltaType type)
    {
        if (raw is null || (raw.Length == 0 && type is not PrimitiveType { Name: "string" or "binary" }))
        {
            return null;
        }

        var ci = CultureInfo.InvariantCulture;
        var ok = true;
        object? value = type switch
        {
            PrimitiveType { Name: "string" } => raw,
            PrimitiveType { Name: "integer" } => (ok = int.TryParse(raw, NumberStyles.Integer, ci, out var i)) ? i : null,
            PrimitiveType { Name: "long" } => (ok = long.TryParse(raw, NumberStyles.Integer, ci, out var l)) ? l : null,
            PrimitiveType { Name: "short" } => (ok = short.TryParse(raw, NumberStyles.Integer, ci, out var s)) ? s : null,
            PrimitiveType { Name: "byte" } => (ok = sbyte.TryParse(raw, NumberStyles.Integer, ci, out var b)) ? b : null,
            PrimitiveType { Name: "boolean" } => (ok = bool.TryParse(raw, out var z)) ? z : null,
            PrimitiveType { Name: "float" } => (ok = TryParseFloating(raw, out var f)) ? (float)f : null,
            PrimitiveType { Name: "double" } => (ok = TryParseFloating(raw, out var d)) ? d : null,
            DecimalType => (ok = decimal.TryParse(raw, NumberStyles.Float, ci, out var m)) ? m : null,
            PrimitiveType { Name: "date" } => (ok = DateOnly.TryParseExact(raw, "yyyy-MM-dd", ci, DateTimeStyles.None, out var date)) ? date : null,
            PrimitiveType { Name: "timestamp" } => (ok = DateTimeOffset.TryParse(raw, ci, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)) ? ts : null,
            PrimitiveType { Name: "timestamp_ntz" } => (ok = DateTime.TryParse(raw, ci, DateTimeStyles.None, out var ntz)) ? DateTime.SpecifyKind(ntz, DateTimeKind.Unspecified) : null,
            PrimitiveType { Name: "binary" } => Encoding.Latin1.GetBytes(raw),
            _ => throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Columns of type {type} cannot be partition columns."),
        };
        if (!ok)
        {
            throw new DeltaException(DeltaErrorKind.CorruptLog, $"The partition value '{raw}' is not a valid {type}. The add action that holds it is damaged.");
        }

        return value;
    }

    /// <summary>Serializes a CLR value as the log stores it (the inverse of <see cref="Parse"/>); null stays null.</summary>
    public static string? Format(object? value, DeltaType type)
    {
        var ci = CultureInfo.InvariantCulture;
        return value switch
        {
            null => null,
            string s => s,
            bool b => b ? "true" : "false",
            float f => FormatFloating(double.Parse(f.ToString("R", ci), ci), ci),
            double d => FormatFloating(d, ci),
            decimal m when type is DecimalType dt => m.ToString("F" + dt.Scale.ToString(ci), ci),
            DateOnly d => d.ToString("yyyy-MM-dd", ci),
            DateTimeOffset t => FormatTimestamp(t.UtcDateTime),
            DateTime t => FormatTimestamp(t),
            byte[] bytes => Encoding.Latin1.GetString(bytes),
            IFormattable f => f.ToString(null, ci),
            _ => value.ToString(),
        };
    }

    /// <summary>The Hive-style directory of one partition: <c>a=1/b=x%2Fy</c>, with nulls as <see cref="HiveDefaultPartition"/>.</summary>
    public static string Directory(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> values) =>
        string.Join('/', partitionColumns.Select(c =>
            EscapePathName(c) + "=" + (values.GetValueOrDefault(c) is { Length: > 0 } v ? EscapePathName(v) : HiveDefaultPartition)));

    /// <summary>Escapes a path segment like Spark's <c>ExternalCatalogUtils.escapePathName</c>: control characters and <c>"#%'*/:=?\{[]^</c> become <c>%XX</c>.</summary>
    public static string EscapePathName(string segment)
    {
        var sb = new StringBuilder(segment.Length);
        foreach (var c in segment)
        {
            if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Reverses <see cref="EscapePathName"/>.</summary>
    public static string UnescapePathName(string segment)
    {
        var sb = new StringBuilder(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '%' && i + 2 < segment.Length
                && int.TryParse(segment.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else
            {
                sb.Append(segment[i]);
            }
        }

        return sb.ToString();
    }

    private static string FormatTimestamp(DateTime t)
    {
        var ci = CultureInfo.InvariantCulture;
        var micros = t.Ticks % TimeSpan.TicksPerSecond / 10;
        return micros == 0 ? t.ToString("yyyy-MM-dd HH:mm:ss", ci) : t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", ci);
    }

    private static bool TryParseFloating(string raw, out double value)
    {
        switch (raw)
        {
            case "NaN": value = double.NaN; return true;
            case "Infinity": value = double.PositiveInfinity; return true;
            case "-Infinity": value = double.NegativeInfinity; return true;
            default: return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    // Spark casts floating values to strings with Java's Double/Float.toString: "1.0", "1.0E7", "1.0E-4".
    private static string FormatFloating(double d, CultureInfo ci)
    {
        if (double.IsNaN(d)) { return "NaN"; }
        if (double.IsInfinity(d)) { return d > 0 ? "Infinity" : "-Infinity"; }
        var abs = Math.Abs(d);
        if (abs == 0 || (abs >= 1e-3 && abs < 1e7))
        {
            var plain = d.ToString("R", ci);
            return plain.Contains('.', StringComparison.Ordinal) || plain.Contains('E', StringComparison.Ordinal) ? plain : plain + ".0";
        }

        var sci = d.ToString("E16", ci);
        var mantissa = double.Parse(sci[..sci.IndexOf('E', StringComparison.Ordinal)], ci).ToString("R", ci);
        var exponent = int.Parse(sci[(sci.IndexOf('E', StringComparison.Ordinal) + 1)..], ci);
        return (mantissa.Contains('.', StringComparison.Ordinal) ? mantissa : mantissa + ".0") + "E" + exponent.ToString(ci);
    }
}
