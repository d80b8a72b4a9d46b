using System.Globalization;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>Spark Connect literals as typed DuckDB SQL, with the column name Spark would give them.</summary>
internal static class Literals
{
    /// <summary>DuckDB SQL for the literal, typed as Spark types it.</summary>
    public static string Sql(Expression.Types.Literal lit) => lit.LiteralTypeCase switch
    {
        Expression.Types.Literal.LiteralTypeOneofCase.Null => $"CAST(NULL AS {NullType(lit.Null)})",
        Expression.Types.Literal.LiteralTypeOneofCase.Boolean => lit.Boolean ? "TRUE" : "FALSE",
        Expression.Types.Literal.LiteralTypeOneofCase.Byte => $"CAST({Inv(lit.Byte)} AS TINYINT)",
        Expression.Types.Literal.LiteralTypeOneofCase.Short => $"CAST({Inv(lit.Short)} AS SMALLINT)",
        Expression.Types.Literal.LiteralTypeOneofCase.Integer => $"CAST({Inv(lit.Integer)} AS INTEGER)",
        Expression.Types.Literal.LiteralTypeOneofCase.Long => $"CAST({Inv(lit.Long)} AS BIGINT)",
        Expression.Types.Literal.LiteralTypeOneofCase.Float => $"CAST('{lit.Float.ToString("R", CultureInfo.InvariantCulture)}' AS FLOAT)",
        Expression.Types.Literal.LiteralTypeOneofCase.Double => $"CAST('{lit.Double.ToString("R", CultureInfo.InvariantCulture)}' AS DOUBLE)",
        Expression.Types.Literal.LiteralTypeOneofCase.Decimal => DecimalSql(lit.Decimal),
        Expression.Types.Literal.LiteralTypeOneofCase.String => SqlText.Str(lit.String),
        Expression.Types.Literal.LiteralTypeOneofCase.Binary => $"unhex('{Convert.ToHexString(lit.Binary.Span)}')",
        Expression.Types.Literal.LiteralTypeOneofCase.Date => $"DATE '{DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + lit.Date).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'",
        Expression.Types.Literal.LiteralTypeOneofCase.Timestamp => $"CAST('{Micros(lit.Timestamp)}+00' AS TIMESTAMPTZ)",
        Expression.Types.Literal.LiteralTypeOneofCase.TimestampNtz => $"CAST('{Micros(lit.TimestampNtz)}' AS TIMESTAMP)",
        Expression.Types.Literal.LiteralTypeOneofCase.Array => ArraySql(lit.Array),
        Expression.Types.Literal.LiteralTypeOneofCase.DayTimeInterval => $"to_microseconds(CAST({Inv(lit.DayTimeInterval)} AS BIGINT))",
        Expression.Types.Literal.LiteralTypeOneofCase.CalendarInterval =>
            $"(to_months({Inv(lit.CalendarInterval.Months)}) + to_days({Inv(lit.CalendarInterval.Days)}) + to_microseconds(CAST({Inv(lit.CalendarInterval.Microseconds)} AS BIGINT)))",
        _ => throw Errors.Unsupported("literal", $"A literal of type {lit.LiteralTypeCase}"),
    };

    /// <summary>The column name Spark gives an unaliased literal.</summary>
    public static string Name(Expression.Types.Literal lit) => lit.LiteralTypeCase switch
    {
        Expression.Types.Literal.LiteralTypeOneofCase.Null => "NULL",
        Expression.Types.Literal.LiteralTypeOneofCase.Boolean => lit.Boolean ? "true" : "false",
        Expression.Types.Literal.LiteralTypeOneofCase.Byte => Inv(lit.Byte),
        Expression.Types.Literal.LiteralTypeOneofCase.Short => Inv(lit.Short),
        Expression.Types.Literal.LiteralTypeOneofCase.Integer => Inv(lit.Integer),
        Expression.Types.Literal.LiteralTypeOneofCase.Long => Inv(lit.Long),
        Expression.Types.Literal.LiteralTypeOneofCase.Float => lit.Float.ToString("R", CultureInfo.InvariantCulture),
        Expression.Types.Literal.LiteralTypeOneofCase.Double => lit.Double.ToString("R", CultureInfo.InvariantCulture),
        Expression.Types.Literal.LiteralTypeOneofCase.Decimal => lit.Decimal.Value,
        Expression.Types.Literal.LiteralTypeOneofCase.String => lit.String,
        _ => lit.LiteralTypeCase.ToString(),
    };

    /// <summary>True for byte, short, integer and long literals.</summary>
    public static bool IsIntegral(Expression.Types.Literal lit) => lit.LiteralTypeCase is
        Expression.Types.Literal.LiteralTypeOneofCase.Byte or Expression.Types.Literal.LiteralTypeOneofCase.Short or
        Expression.Types.Literal.LiteralTypeOneofCase.Integer or Expression.Types.Literal.LiteralTypeOneofCase.Long;

    /// <summary>The literal's integral value.</summary>
    public static long AsLong(Expression.Types.Literal lit) => lit.LiteralTypeCase switch
    {
        Expression.Types.Literal.LiteralTypeOneofCase.Byte => lit.Byte,
        Expression.Types.Literal.LiteralTypeOneofCase.Short => lit.Short,
        Expression.Types.Literal.LiteralTypeOneofCase.Integer => lit.Integer,
        Expression.Types.Literal.LiteralTypeOneofCase.Long => lit.Long,
        _ => throw Errors.InvalidArgument("literal", $"expected an integer literal, got {lit.LiteralTypeCase}"),
    };

    private static string NullType(DataType? type) =>
        type is null || type.KindCase is DataType.KindOneofCase.None or DataType.KindOneofCase.Null
            ? "INTEGER"
            : Types.ToDuckDb(Types.FromProto(type)!);

    private static string DecimalSql(Expression.Types.Literal.Types.Decimal d)
    {
        var value = d.Value;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var digits = value.Count(char.IsDigit);
        var scale = d.HasScale ? d.Scale : dot < 0 ? 0 : value.Length - dot - 1;
        var precision = d.HasPrecision ? d.Precision : Math.Max(digits, scale + 1);
        return $"CAST('{value}' AS DECIMAL({precision},{scale}))";
    }

    private static string ArraySql(Expression.Types.Literal.Types.Array a)
    {
        var body = "[" + string.Join(", ", a.Elements.Select(Sql)) + "]";
        return a.ElementType is null || a.ElementType.KindCase == DataType.KindOneofCase.None
            ? body
            : $"CAST({body} AS {Types.ToDuckDb(Types.FromProto(a.ElementType)!)}[])";
    }

    private static string Micros(long micros) =>
        DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);
}
