using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Lakehouse.Delta.Schema;
using Parquet.Meta;
using DeltaStructType = Lakehouse.Delta.Schema.StructType;
using DecimalType = Lakehouse.Delta.Schema.DecimalType;
using MapType = Lakehouse.Delta.Schema.MapType;
using Encoding = System.Text.Encoding;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Delta statistics from a Parquet footer (any writer: Spark, DuckDB, …): per leaf column the null counts summed over
/// row groups, and min/max decoded from the column chunks' statistics by physical and logical type. A column gets no
/// min/max when any row group lacks them or they cannot be decoded; arrays and maps get no statistics (a footer's
/// element-level null counts are not Delta's row-level ones).
/// </summary>
internal static class FooterStatistics
{
    public static Dictionary<string, ColumnStatistics> Collect(FileMetaData footer, DeltaStructType dataSchema, ColumnMappingMode mode)
    {
        var elements = footer.Schema.Where(e => e.NumChildren is null or 0).ToList();
        var result = new Dictionary<string, ColumnStatistics>(StringComparer.Ordinal);
        foreach (var (path, type) in Leaves(dataSchema, mode, []))
        {
            var key = string.Join('.', path);
            var stats = new ColumnStatistics(ParquetColumns.HasMinMax(type));
            var found = false;
            foreach (var group in footer.RowGroups)
            {
                var chunk = group.Columns.FirstOrDefault(c => c.MetaData?.PathInSchema.SequenceEqual(path) == true)?.MetaData;
                if (chunk is null)
                {
                    continue;
                }

                found = true;
                var element = elements.FirstOrDefault(e => e.Name == path[^1]);
                var s = chunk.Statistics;
                if (s?.NullCount is { } nulls)
                {
                    stats.NullCount += nulls;
                }
                else
                {
                    stats.HasNullCount = false;
                }

                if (!stats.CollectMinMax)
                {
                    continue;
                }

                // min_value/max_value follow the column's sort order; the deprecated min/max only for signed numbers.
                var (min, max) = s?.MinValue is not null && s.MaxValue is not null
                    ? (s.MinValue, s.MaxValue)
                    : type is PrimitiveType { Name: "integer" or "long" or "short" or "byte" } ? (s?.Min, s?.Max) : (null, null);
                var minValue = min is null ? null : Decode(min, chunk.Type, element, type);
                var maxValue = max is null ? null : Decode(max, chunk.Type, element, type);
                if (minValue is null || maxValue is null)
                {
                    stats.DropMinMax();
                    continue;
                }

                stats.AddValue(minValue);
                stats.AddValue(maxValue);
            }

            if (found)
            {
                result[key] = stats;
            }
        }

        return result;
    }

    private static IEnumerable<(string[] Path, DeltaType Type)> Leaves(DeltaStructType type, ColumnMappingMode mode, string[] prefix)
    {
        foreach (var field in type.Fields)
        {
            string[] path = [.. prefix, field.PhysicalName(mode)];
            if (field.Type is DeltaStructType nested)
            {
                foreach (var leaf in Leaves(nested, mode, path))
                {
                    yield return leaf;
                }
            }
            else if (field.Type is not (ArrayType or MapType))
            {
                yield return (path, field.Type);
            }
        }
    }

    private static object? Decode(byte[] bytes, Parquet.Meta.Type physical, SchemaElement? element, DeltaType type)
    {
        try
        {
            return (type, physical) switch
            {
                (PrimitiveType { Name: "integer" }, Parquet.Meta.Type.INT32) => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                (PrimitiveType { Name: "short" }, Parquet.Meta.Type.INT32) => (short)BinaryPrimitives.ReadInt32LittleEndian(bytes),
                (PrimitiveType { Name: "byte" }, Parquet.Meta.Type.INT32) => (sbyte)BinaryPrimitives.ReadInt32LittleEndian(bytes),
                (PrimitiveType { Name: "long" }, Parquet.Meta.Type.INT64) => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                (PrimitiveType { Name: "float" }, Parquet.Meta.Type.FLOAT) => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                (PrimitiveType { Name: "double" }, Parquet.Meta.Type.DOUBLE) => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                (PrimitiveType { Name: "string" }, Parquet.Meta.Type.BYTE_ARRAY) => Encoding.UTF8.GetString(bytes),
                (PrimitiveType { Name: "date" }, Parquet.Meta.Type.INT32) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + BinaryPrimitives.ReadInt32LittleEndian(bytes)),
                (PrimitiveType { Name: "timestamp" }, Parquet.Meta.Type.INT64) when TicksPerUnit(element) is { } t =>
                    new DateTimeOffset(DateTime.UnixEpoch.Ticks + t(BinaryPrimitives.ReadInt64LittleEndian(bytes)), TimeSpan.Zero),
                (PrimitiveType { Name: "timestamp_ntz" }, Parquet.Meta.Type.INT64) when TicksPerUnit(element) is { } t =>
                    new DateTime(DateTime.UnixEpoch.Ticks + t(BinaryPrimitives.ReadInt64LittleEndian(bytes)), DateTimeKind.Unspecified),
                (DecimalType d, Parquet.Meta.Type.INT32) => Scaled(BinaryPrimitives.ReadInt32LittleEndian(bytes), d.Scale),
                (DecimalType d, Parquet.Meta.Type.INT64) => Scaled(BinaryPrimitives.ReadInt64LittleEndian(bytes), d.Scale),
                (DecimalType d, Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY or Parquet.Meta.Type.BYTE_ARRAY) =>
                    Scaled(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), d.Scale),
                _ => null,
            };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    private static Func<long, long>? TicksPerUnit(SchemaElement? element)
    {
        var unit = element?.LogicalType?.TIMESTAMP?.Unit;
        if (unit?.MICROS is not null || element?.ConvertedType == ConvertedType.TIMESTAMP_MICROS)
        {
            return v => v * 10;
        }

        if (unit?.MILLIS is not null || element?.ConvertedType == ConvertedType.TIMESTAMP_MILLIS)
        {
            return v => v * TimeSpan.TicksPerMillisecond;
        }

        return unit?.NANOS is not null ? v => v / 100 : null;
    }

    /// <summary>The decimal of an unscaled value and scale, or null when it does not fit <see cref="decimal"/>.</summary>
    internal static object? TryScaled(BigInteger unscaled, int scale)
    {
        try
        {
            return Scaled(unscaled, scale);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    // The unscaled integer and the column's scale make the decimal exactly (Spark writes -0.50, not -0.5).
    private static decimal Scaled(BigInteger unscaled, int scale)
    {
        var magnitude = BigInteger.Abs(unscaled);
        if (scale is < 0 or > 28 || magnitude >= BigInteger.One << 96)
        {
            throw new OverflowException("the decimal does not fit System.Decimal");
        }

        var bytes = new byte[12];
        magnitude.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return new decimal(BitConverter.ToInt32(bytes, 0), BitConverter.ToInt32(bytes, 4), BitConverter.ToInt32(bytes, 8), unscaled.Sign < 0, (byte)scale);
    }
}
