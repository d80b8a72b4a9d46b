using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>Converts .NET values to <c>Expression.Literal</c> (encodings per types.proto/expressions.proto).</summary>
internal static class Literals
{
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    internal static Expression.Types.Literal From(object? value) => value switch
    {
        null => new() { Null = new DataType { Null = new() } },
        bool b => new() { Boolean = b },
        sbyte b => new() { Byte = b },
        byte b => new() { Short = b },
        short s => new() { Short = s },
        ushort s => new() { Integer = s },
        int i => new() { Integer = i },
        uint i => new() { Long = i },
        long l => new() { Long = l },
        float f => new() { Float = f },
        double d => new() { Double = d },
        decimal m => Decimal(m),
        string s => new() { String = s },
        char c => new() { String = c.ToString() },
        Guid g => new() { String = g.ToString() },
        byte[] bytes => new() { Binary = ByteString.CopyFrom(bytes) },
        DateOnly d => new() { Date = d.DayNumber - DateOnly.FromDateTime(Epoch).DayNumber },
        DateTimeOffset t => new() { Timestamp = Micros(t.UtcDateTime) },
        // A DateTime that knows its zone is an instant; an unspecified one is wall-clock time (timestamp_ntz).
        DateTime t when t.Kind == DateTimeKind.Unspecified => new() { TimestampNtz = Micros(t) },
        DateTime t => new() { Timestamp = Micros(t.ToUniversalTime()) },
        TimeSpan span => new() { DayTimeInterval = span.Ticks / TimeSpan.TicksPerMicrosecond },
        IDictionary map => Map(map),
        IEnumerable items => Array(items),
        _ => throw new ArgumentException(
            $"Values of type {value.GetType().Name} cannot be sent as Spark literals; use a primitive, string, decimal, DateOnly, DateTime(Offset), TimeSpan, byte[], or an array or dictionary of those.",
            nameof(value)),
    };

    internal static DataType TypeOf(Expression.Types.Literal literal) => literal.LiteralTypeCase switch
    {
        Expression.Types.Literal.LiteralTypeOneofCase.Null => literal.Null,
        Expression.Types.Literal.LiteralTypeOneofCase.Boolean => new() { Boolean = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Byte => new() { Byte = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Short => new() { Short = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Integer => new() { Integer = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Long => new() { Long = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Float => new() { Float = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Double => new() { Double = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Decimal => new()
        {
            Decimal = new() { Precision = literal.Decimal.Precision, Scale = literal.Decimal.Scale },
        },
        Expression.Types.Literal.LiteralTypeOneofCase.String => new() { String = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Binary => new() { Binary = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Date => new() { Date = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Timestamp => new() { Timestamp = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.TimestampNtz => new() { TimestampNtz = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.DayTimeInterval => new() { DayTimeInterval = new() },
        Expression.Types.Literal.LiteralTypeOneofCase.Array => new()
        {
            Array = new() { ElementType = literal.Array.ElementType, ContainsNull = true },
        },
        Expression.Types.Literal.LiteralTypeOneofCase.Map => new()
        {
            Map = new() { KeyType = literal.Map.KeyType, ValueType = literal.Map.ValueType, ValueContainsNull = true },
        },
        _ => new() { Null = new() },
    };

    private static long Micros(DateTime utcOrWallClock) => (utcOrWallClock.Ticks - Epoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private static Expression.Types.Literal Decimal(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var scale = value.Scale;
        var digits = text.Count(char.IsAsciiDigit);
        // Spark's DecimalType: precision counts all digits and is at least the scale (0.05 is decimal(2,2)).
        var precision = Math.Max(digits - (text.TrimStart('-').StartsWith("0.", StringComparison.Ordinal) ? 1 : 0), scale);
        return new() { Decimal = new() { Value = text, Precision = Math.Max(precision, 1), Scale = scale } };
    }

    private static Expression.Types.Literal Map(IDictionary map)
    {
        var keys = map.Keys.Cast<object?>().Select(From).ToList();
        var values = map.Values.Cast<object?>().Select(From).ToList();
        var literal = new Expression.Types.Literal.Types.Map { KeyType = ElementType(keys), ValueType = ElementType(values) };
        literal.Keys.AddRange(keys);
        literal.Values.AddRange(values);
        return new() { Map = literal };
    }

    private static DataType ElementType(List<Expression.Types.Literal> items) =>
        items.FirstOrDefault(e => e.LiteralTypeCase != Expression.Types.Literal.LiteralTypeOneofCase.Null) is { } first
            ? TypeOf(first)
            : new DataType { Null = new() };

    private static Expression.Types.Literal Array(IEnumerable items)
    {
        var elements = items.Cast<object?>().Select(From).ToList();
        var array = new Expression.Types.Literal.Types.Array { ElementType = ElementType(elements) };
        array.Elements.AddRange(elements);
        return new() { Array = array };
    }
}
