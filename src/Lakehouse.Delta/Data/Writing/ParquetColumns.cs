using System.Data.SqlTypes;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Field = Parquet.Schema.Field;
using StructType = Lakehouse.Delta.Schema.StructType;
using MapType = Lakehouse.Delta.Schema.MapType;
using Lakehouse.Delta.Schema;
using Parquet.Schema;
using PqStructField = Parquet.Schema.StructField;
using DeltaStructField = Lakehouse.Delta.Schema.StructField;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Maps a Delta data schema to a Parquet schema with the physical types Spark writes (INT32 with INT(8/16) for
/// byte/short, INT64 TIMESTAMP(MICROS) adjusted to UTC for timestamp and not adjusted for timestamp_ntz, DATE, decimals as
/// INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision, 3-level LIST and MAP), and builds the column nodes that encode Arrow data into it.
/// </summary>
internal sealed class ParquetColumns
{
    private ParquetColumns(ParquetSchema schema, IReadOnlyList<ColumnNode> roots, IReadOnlyList<LeafColumn> leaves)
    {
        Schema = schema;
        Roots = roots;
        Leaves = leaves;
    }

    public ParquetSchema Schema { get; }

    /// <summary>One node per top-level data column, in schema order.</summary>
    public IReadOnlyList<ColumnNode> Roots { get; }

    /// <summary>The leaf columns in Parquet order.</summary>
    public IReadOnlyList<LeafColumn> Leaves { get; }

    /// <summary>Creates fresh (empty) columns for one file.</summary>
    /// <param name="schema">The data columns (partition columns excluded).</param>
    /// <param name="mode">Column mapping: physical names and field ids.</param>
    public static ParquetColumns Create(StructType schema, ColumnMappingMode mode)
    {
        var fields = schema.Fields.Select(f => ToParquet(f, mode)).ToArray();
        var parquetSchema = new ParquetSchema(fields);
        var leaves = new List<LeafColumn>();
        var roots = new List<ColumnNode>();
        for (var i = 0; i < fields.Length; i++)
        {
            roots.Add(BuildNode(schema.Fields[i].Name, schema.Fields[i].Type, fields[i], mode, "", 0, 0, repeated: false, leaves));
        }

        return new ParquetColumns(parquetSchema, roots, leaves);
    }

    private static Field ToParquet(DeltaStructField field, ColumnMappingMode mode)
    {
        var result = ToParquet(field.PhysicalName(mode), field.Type, field.Nullable, mode);
        if (mode != ColumnMappingMode.None && field.ColumnMappingId is { } id && result is DataField data)
        {
            data.FieldId = checked((int)id);
        }

        return result;
    }

    private static Field ToParquet(string name, DeltaType type, bool nullable, ColumnMappingMode mode) => type switch
    {
        PrimitiveType { Name: "string" } => new DataField(name, typeof(string), nullable),
        PrimitiveType { Name: "long" } => new DataField(name, typeof(long), nullable),
        PrimitiveType { Name: "integer" } => new DataField(name, typeof(int), nullable),
        PrimitiveType { Name: "short" } => new DataField(name, typeof(short), nullable),
        PrimitiveType { Name: "byte" } => new DataField(name, typeof(sbyte), nullable),
        PrimitiveType { Name: "float" } => new DataField(name, typeof(float), nullable),
        PrimitiveType { Name: "double" } => new DataField(name, typeof(double), nullable),
        PrimitiveType { Name: "boolean" } => new DataField(name, typeof(bool), nullable),
        PrimitiveType { Name: "binary" } => new DataField(name, typeof(byte[]), nullable),
        PrimitiveType { Name: "date" } => new DateTimeDataField(name, DateTimeFormat.Date, isNullable: nullable),
        PrimitiveType { Name: "timestamp" } => new DateTimeDataField(name, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, nullable),
        PrimitiveType { Name: "timestamp_ntz" } => new DateTimeDataField(name, DateTimeFormat.Timestamp, false, DateTimeTimeUnit.Micros, nullable),
        DecimalType { Precision: <= 28 } d => new DecimalDataField(name, d.Precision, d.Scale, false, nullable),
        DecimalType d => new BigDecimalDataField(name, d.Precision, d.Scale, nullable),
        StructType s => new PqStructField(name, s.Fields.Select(f => ToParquet(f, mode)).ToArray()),
        ArrayType a => new ListField(name, ToParquet("element", a.ElementType, a.ContainsNull, mode)),
        MapType m => new MapField(name, ToParquet("key", m.KeyType, false, mode), ToParquet("value", m.ValueType, m.ValueContainsNull, mode)),
        _ => throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Column '{name}' has type {type}, which cannot be written to Parquet."),
    };

    private static ColumnNode BuildNode(string name, DeltaType type, Field field, ColumnMappingMode mode, string statsPrefix,
        int definition, int repetition, bool repeated, List<LeafColumn> leaves)
    {
        var nullable = field.IsNullable;
        var def = definition + (nullable ? 1 : 0);
        var statsPath = statsPrefix + field.Name;
        switch (type)
        {
            case StructType s:
            {
                var pq = (PqStructField)field;
                var children = s.Fields.Select((f, i) => BuildNode(f.Name, f.Type, pq.Fields[i], mode, statsPath + ".", def, repetition, repeated, leaves)).ToList();
                return new StructNode(name, nullable, children) { PhysicalName = field.Name };
            }

            case ArrayType a:
            {
                var list = (ListField)field;
                // LIST: optional group (def), repeated group "list" (def + 1, rep + 1), then the element.
                var element = BuildNode(name + ".element", a.ElementType, list.Item, mode, "", def + 1, repetition + 1, repeated: true, leaves);
                return new RepeatedNode(name, nullable, repeated ? null : new ColumnStatistics(false), repetition + 1, [element]) { PhysicalName = field.Name };
            }

            case MapType m:
            {
                var map = (MapField)field;
                var key = BuildNode(name + ".key", m.KeyType, map.Key, mode, "", def + 1, repetition + 1, repeated: true, leaves);
                var value = BuildNode(name + ".value", m.ValueType, map.Value, mode, "", def + 1, repetition + 1, repeated: true, leaves);
                return new RepeatedNode(name, nullable, repeated ? null : new ColumnStatistics(false), repetition + 1, [key, value]) { PhysicalName = field.Name };
            }

            default:
            {
                var data = (DataField)field;
                if (data.MaxDefinitionLevel != def || data.MaxRepetitionLevel != repetition)
                {
                    throw new InvalidOperationException(
                        $"Parquet levels of '{data.Path}' are def {data.MaxDefinitionLevel}/rep {data.MaxRepetitionLevel}, expected {def}/{repetition}.");
                }

                var leaf = CreateLeaf(name, type, data, statsPath, repeated ? null : new ColumnStatistics(HasMinMax(type)));
                leaves.Add(leaf);
                return new PrimitiveNode(name, nullable, leaf) { PhysicalName = field.Name };
            }
        }
    }

    /// <summary>The types Delta keeps min/max for (data skipping): numbers, dates, timestamps and strings.</summary>
    internal static bool HasMinMax(DeltaType type) =>
        type is DecimalType || type is PrimitiveType { Name: not ("boolean" or "binary") };

    private static LeafColumn CreateLeaf(string name, DeltaType type, DataField field, string statsPath, ColumnStatistics? stats)
    {
        T Get<T>(IArrowArray a, int i, Func<IArrowArray, int, T?> read) where T : struct =>
            read(a, i) ?? throw new InvalidOperationException("null read as a value");
        TArray As<TArray>(IArrowArray a) where TArray : class, IArrowArray =>
            a as TArray ?? throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"Column '{name}' is {type} in the table but the data has Arrow type {a.Data.DataType.Name}. Cast the column to the table's type.");

        return type switch
        {
            PrimitiveType { Name: "string" } => new LeafColumn<ReadOnlyMemory<char>>(field, statsPath, stats,
                (a, i) => As<StringArray>(a).GetString(i).AsMemory(), v => v.ToString()),
            PrimitiveType { Name: "long" } => new LeafColumn<long>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<Int64Array>(x).GetValue(j)), v => v),
            PrimitiveType { Name: "integer" } => new LeafColumn<int>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<Int32Array>(x).GetValue(j)), v => v),
            PrimitiveType { Name: "short" } => new LeafColumn<short>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<Int16Array>(x).GetValue(j)), v => v),
            PrimitiveType { Name: "byte" } => new LeafColumn<sbyte>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<Int8Array>(x).GetValue(j)), v => v),
            PrimitiveType { Name: "float" } => new LeafColumn<float>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<FloatArray>(x).GetValue(j)), v => v),
            PrimitiveType { Name: "double" } => new LeafColumn<double>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<DoubleArray>(x).GetValue(j)), v => v),
            PrimitiveType { Name: "boolean" } => new LeafColumn<bool>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<BooleanArray>(x).GetValue(j)), null),
            PrimitiveType { Name: "binary" } => new LeafColumn<ReadOnlyMemory<byte>>(field, statsPath, stats,
                (a, i) => As<BinaryArray>(a).GetBytes(i).ToArray(), null),
            PrimitiveType { Name: "date" } => new LeafColumn<DateTime>(field, statsPath, stats,
                (a, i) => DateTime.UnixEpoch.AddDays(Get(a, i, (x, j) => As<Date32Array>(x).GetValue(j))), v => DateOnly.FromDateTime(v)),
            PrimitiveType { Name: "timestamp" } => new LeafColumn<DateTime>(field, statsPath, stats,
                (a, i) => ReadTimestamp(As<TimestampArray>(a), i, DateTimeKind.Utc), v => new DateTimeOffset(v, TimeSpan.Zero)),
            PrimitiveType { Name: "timestamp_ntz" } => new LeafColumn<DateTime>(field, statsPath, stats,
                (a, i) => ReadTimestamp(As<TimestampArray>(a), i, DateTimeKind.Unspecified), v => v),
            DecimalType { Precision: <= 28 } => new LeafColumn<decimal>(field, statsPath, stats, (a, i) => Get(a, i, (x, j) => As<Decimal128Array>(x).GetValue(j)), v => v),
            DecimalType d => new LeafColumn<Parquet.Data.BigDecimal>(field, statsPath, stats,
                (a, i) => ToBigDecimal(As<Decimal128Array>(a).GetSqlDecimal(i) ?? throw new InvalidOperationException("null read as a value"), d),
                v => FooterStatistics.TryScaled(v.UnscaledValue, v.Scale)),
            _ => throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Column '{name}' has type {type}, which cannot be written to Parquet."),
        };
    }

    private static DateTime ReadTimestamp(TimestampArray array, int index, DateTimeKind kind)
    {
        var raw = array.GetValue(index) ?? throw new InvalidOperationException("null read as a value");
        var ticks = ((TimestampType)array.Data.DataType).Unit switch
        {
            TimeUnit.Second => raw * TimeSpan.TicksPerSecond,
            TimeUnit.Millisecond => raw * TimeSpan.TicksPerMillisecond,
            TimeUnit.Microsecond => raw * 10,
            _ => raw / 100,
        };
        return new DateTime(DateTime.UnixEpoch.Ticks + ticks, kind);
    }

    private static Parquet.Data.BigDecimal ToBigDecimal(SqlDecimal value, DecimalType type)
    {
        var adjusted = SqlDecimal.ConvertToPrecScale(value, type.Precision, type.Scale);
        var data = adjusted.Data;
        var unscaled = new BigInteger((uint)data[0]) | (new BigInteger((uint)data[1]) << 32) | (new BigInteger((uint)data[2]) << 64) | (new BigInteger((uint)data[3]) << 96);
        return new Parquet.Data.BigDecimal(adjusted.IsPositive ? unscaled : -unscaled, type.Precision, type.Scale);
    }
}
