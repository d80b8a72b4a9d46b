using System.Globalization;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Delta.Sql;

/// <summary>Writes a <c>spark.connect.DataType</c> as a Spark SQL type (<c>DECIMAL(18,2)</c>, <c>ARRAY&lt;STRING&gt;</c>, …).</summary>
internal static class SqlTypes
{
    // types.proto DayTimeIntervalType / YearMonthIntervalType field codes.
    private static readonly string[] DayTimeFields = ["DAY", "HOUR", "MINUTE", "SECOND"];
    private static readonly string[] YearMonthFields = ["YEAR", "MONTH"];

    /// <exception cref="ArgumentException">The type has no SQL spelling (UDTs, calendar intervals).</exception>
    internal static string Render(DataType type) => type.KindCase switch
    {
        DataType.KindOneofCase.Null => "VOID",
        DataType.KindOneofCase.Boolean => "BOOLEAN",
        DataType.KindOneofCase.Byte => "TINYINT",
        DataType.KindOneofCase.Short => "SMALLINT",
        DataType.KindOneofCase.Integer => "INT",
        DataType.KindOneofCase.Long => "BIGINT",
        DataType.KindOneofCase.Float => "FLOAT",
        DataType.KindOneofCase.Double => "DOUBLE",
        // types.proto: an unset precision/scale means Spark's default DECIMAL(10,0).
        DataType.KindOneofCase.Decimal => string.Create(
            CultureInfo.InvariantCulture,
            $"DECIMAL({(type.Decimal.HasPrecision ? type.Decimal.Precision : 10)},{(type.Decimal.HasScale ? type.Decimal.Scale : 0)})"),
        DataType.KindOneofCase.String => "STRING",
        DataType.KindOneofCase.Char => string.Create(CultureInfo.InvariantCulture, $"CHAR({type.Char.Length})"),
        DataType.KindOneofCase.VarChar => string.Create(CultureInfo.InvariantCulture, $"VARCHAR({type.VarChar.Length})"),
        DataType.KindOneofCase.Binary => "BINARY",
        DataType.KindOneofCase.Date => "DATE",
        DataType.KindOneofCase.Timestamp => "TIMESTAMP",
        DataType.KindOneofCase.TimestampNtz => "TIMESTAMP_NTZ",
        DataType.KindOneofCase.DayTimeInterval => Interval(
            DayTimeFields, type.DayTimeInterval.HasStartField ? type.DayTimeInterval.StartField : 0, type.DayTimeInterval.HasEndField ? type.DayTimeInterval.EndField : 3),
        DataType.KindOneofCase.YearMonthInterval => Interval(
            YearMonthFields, type.YearMonthInterval.HasStartField ? type.YearMonthInterval.StartField : 0, type.YearMonthInterval.HasEndField ? type.YearMonthInterval.EndField : 1),
        DataType.KindOneofCase.Array => $"ARRAY<{Render(type.Array.ElementType)}>",
        DataType.KindOneofCase.Map => $"MAP<{Render(type.Map.KeyType)}, {Render(type.Map.ValueType)}>",
        DataType.KindOneofCase.Struct => "STRUCT<" + string.Join(", ", type.Struct.Fields.Select(Field)) + ">",
        DataType.KindOneofCase.Variant => "VARIANT",
        DataType.KindOneofCase.Unparsed => type.Unparsed.DataTypeString,
        _ => throw new ArgumentException(
            $"The Spark type {type.KindCase} has no SQL spelling; cast the value to a SQL type first or use a Delta Connect server.", nameof(type)),
    };

    private static string Field(DataType.Types.StructField field) =>
        SqlIdentifiers.Quote(field.Name) + ": " + Render(field.DataType) + (field.Nullable ? "" : " NOT NULL");

    private static string Interval(string[] names, int start, int end) =>
        start == end ? $"INTERVAL {names[start]}" : $"INTERVAL {names[start]} TO {names[end]}";
}
