using System.Globalization;
using System.Text;
using Lakehouse.Spark.Protos;
using Literal = Lakehouse.Spark.Protos.Expression.Types.Literal;

namespace Lakehouse.Spark.Delta.Sql;

/// <summary>
/// Writes an <c>Expression.Literal</c> as Spark SQL literal text that parses back to the same value and type
/// (Spark SQL reference, "Literals"): typed integer suffixes, <c>BD</c> decimals, escaped strings,
/// <c>X'…'</c> binary, <c>DATE</c>/<c>TIMESTAMP</c>/<c>TIMESTAMP_NTZ</c>/<c>INTERVAL</c> literals and
/// <c>ARRAY</c>/<c>MAP</c>/<c>NAMED_STRUCT</c> constructors.
/// </summary>
internal static class SqlLiterals
{
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    /// <exception cref="ArgumentException">The literal has no SQL form (unset, or a type without SQL spelling).</exception>
    internal static string Render(Literal literal) => literal.LiteralTypeCase switch
    {
        Literal.LiteralTypeOneofCase.Null => literal.Null is null || literal.Null.KindCase is DataType.KindOneofCase.Null or DataType.KindOneofCase.None
            ? "NULL"
            : $"CAST(NULL AS {SqlTypes.Render(literal.Null)})",
        Literal.LiteralTypeOneofCase.Boolean => literal.Boolean ? "TRUE" : "FALSE",
        // Spark's grammar reads the sign as part of these literals (MINUS? BIGINT_LITERAL), so the minimum values parse.
        Literal.LiteralTypeOneofCase.Byte => Invariant($"{literal.Byte}Y"),
        Literal.LiteralTypeOneofCase.Short => Invariant($"{literal.Short}S"),
        Literal.LiteralTypeOneofCase.Integer => Invariant($"{literal.Integer}"),
        Literal.LiteralTypeOneofCase.Long => Invariant($"{literal.Long}L"),
        // No float suffix on every supported Spark version; the round-trip string cast back is exact.
        Literal.LiteralTypeOneofCase.Float => $"CAST('{literal.Float.ToString("R", CultureInfo.InvariantCulture)}' AS FLOAT)",
        Literal.LiteralTypeOneofCase.Double => Double(literal.Double),
        Literal.LiteralTypeOneofCase.Decimal => literal.Decimal.Value + "BD",
        Literal.LiteralTypeOneofCase.String => String(literal.String),
        Literal.LiteralTypeOneofCase.Binary => "X'" + Convert.ToHexString(literal.Binary.Span) + "'",
        Literal.LiteralTypeOneofCase.Date => "DATE '" + DateOnly.FromDayNumber(DateOnly.FromDateTime(Epoch).DayNumber + literal.Date)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'",
        Literal.LiteralTypeOneofCase.Timestamp => "TIMESTAMP '" + Instant(literal.Timestamp) + "Z'",
        Literal.LiteralTypeOneofCase.TimestampNtz => "TIMESTAMP_NTZ '" + Instant(literal.TimestampNtz) + "'",
        Literal.LiteralTypeOneofCase.DayTimeInterval => DayTime(literal.DayTimeInterval),
        Literal.LiteralTypeOneofCase.YearMonthInterval => YearMonth(literal.YearMonthInterval),
        Literal.LiteralTypeOneofCase.CalendarInterval => Invariant(
            $"INTERVAL {literal.CalendarInterval.Months} MONTHS {literal.CalendarInterval.Days} DAYS {literal.CalendarInterval.Microseconds} MICROSECONDS"),
        Literal.LiteralTypeOneofCase.Array => Array(literal.Array),
        Literal.LiteralTypeOneofCase.Map => Map(literal.Map),
        Literal.LiteralTypeOneofCase.Struct => Struct(literal.Struct),
        _ => throw new ArgumentException("The literal has no value set, so it cannot be written as SQL.", nameof(literal)),
    };

    /// <summary>
    /// A string literal in single quotes. Spark unescapes backslash sequences in string literals (the default,
    /// <c>spark.sql.parser.escapedStringLiterals=false</c>), so backslash, quote and control characters are escaped.
    /// </summary>
    internal static string String(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\'': text.Append(@"\'"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\t': text.Append(@"\t"); break;
                case < ' ': text.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        return text.Append('\'').ToString();
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Double(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) + "D" : $"CAST('{(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity")}' AS DOUBLE)";

    private static string Instant(long micros)
    {
        var time = Epoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
        return time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }

    private static string DayTime(long micros)
    {
        var sign = micros < 0 ? "-" : "";
        var magnitude = TimeSpan.FromTicks(Math.Abs(micros) * TimeSpan.TicksPerMicrosecond);
        return Invariant(
            $"INTERVAL '{sign}{magnitude.Days} {magnitude.Hours:D2}:{magnitude.Minutes:D2}:{magnitude.Seconds:D2}.{magnitude.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond:D6}' DAY TO SECOND");
    }

    private static string YearMonth(int months)
    {
        var sign = months < 0 ? "-" : "";
        var magnitude = Math.Abs((long)months);
        return Invariant($"INTERVAL '{sign}{magnitude / 12}-{magnitude % 12}' YEAR TO MONTH");
    }

    private static string Array(Literal.Types.Array array) =>
        array.Elements.Count == 0 && array.ElementType is { } type
            ? $"CAST(ARRAY() AS ARRAY<{SqlTypes.Render(type)}>)"
            : "ARRAY(" + string.Join(", ", array.Elements.Select(Render)) + ")";

    private static string Map(Literal.Types.Map map)
    {
        if (map.Keys.Count != map.Values.Count)
        {
            throw new ArgumentException($"The map literal has {map.Keys.Count} keys and {map.Values.Count} values.", nameof(map));
        }

        if (map.Keys.Count == 0 && map.KeyType is { } keyType && map.ValueType is { } valueType)
        {
            return $"CAST(MAP() AS MAP<{SqlTypes.Render(keyType)}, {SqlTypes.Render(valueType)}>)";
        }

        return "MAP(" + string.Join(", ", map.Keys.Zip(map.Values).Select(p => Render(p.First) + ", " + Render(p.Second))) + ")";
    }

    private static string Struct(Literal.Types.Struct value)
    {
        var fields = value.StructType?.Struct?.Fields;
        if (fields is null || fields.Count != value.Elements.Count)
        {
            return "STRUCT(" + string.Join(", ", value.Elements.Select(Render)) + ")";
        }

        return "NAMED_STRUCT(" + string.Join(", ", fields.Zip(value.Elements).Select(p => String(p.First.Name) + ", " + Render(p.Second))) + ")";
    }
}
