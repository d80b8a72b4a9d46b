using Lakehouse.Spark.Protos;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>Spark Connect data types as Spark SQL DDL, to hand a schema back to a reader.</summary>
internal static class SparkTypes
{
    public static IReadOnlyList<(string Name, DataType Type)> Fields(DataType schema) =>
        schema.KindCase == DataType.KindOneofCase.Struct
            ? schema.Struct.Fields.Select(f => (f.Name, f.DataType)).ToList()
            : throw new ArgumentException($"expected a struct schema, got {schema.KindCase}.", nameof(schema));

    public static string Ddl(IEnumerable<(string Name, DataType Type)> fields) =>
        string.Join(", ", fields.Select(f => $"{Quote(f.Name)} {Ddl(f.Type)}"));

    public static string Quote(string name) => $"`{name.Replace("`", "``", StringComparison.Ordinal)}`";

    public static string Ddl(DataType type) => type.KindCase switch
    {
        DataType.KindOneofCase.Null or DataType.KindOneofCase.String or DataType.KindOneofCase.Char or DataType.KindOneofCase.VarChar => "STRING",
        DataType.KindOneofCase.Binary => "BINARY",
        DataType.KindOneofCase.Boolean => "BOOLEAN",
        DataType.KindOneofCase.Byte => "TINYINT",
        DataType.KindOneofCase.Short => "SMALLINT",
        DataType.KindOneofCase.Integer => "INT",
        DataType.KindOneofCase.Long => "BIGINT",
        DataType.KindOneofCase.Float => "FLOAT",
        DataType.KindOneofCase.Double => "DOUBLE",
        DataType.KindOneofCase.Decimal => $"DECIMAL({(type.Decimal.HasPrecision ? type.Decimal.Precision : 10)},{(type.Decimal.HasScale ? type.Decimal.Scale : 0)})",
        DataType.KindOneofCase.Date => "DATE",
        DataType.KindOneofCase.Timestamp => "TIMESTAMP",
        DataType.KindOneofCase.TimestampNtz => "TIMESTAMP_NTZ",
        DataType.KindOneofCase.Array => $"ARRAY<{Ddl(type.Array.ElementType)}>",
        DataType.KindOneofCase.Map => $"MAP<{Ddl(type.Map.KeyType)}, {Ddl(type.Map.ValueType)}>",
        DataType.KindOneofCase.Struct => $"STRUCT<{string.Join(", ", type.Struct.Fields.Select(f => $"{Quote(f.Name)}: {Ddl(f.DataType)}"))}>",
        _ => throw new PipelineInputException($"the input has a column of type {type.KindCase}, which bronze cannot keep; give the source a schema (sources.<name>.schema)."),
    };
}
