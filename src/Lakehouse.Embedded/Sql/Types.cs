using System.Globalization;
using System.Text;
using Lakehouse.Delta.Schema;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Conversions between Spark types (as Lakehouse.Delta's <see cref="DeltaType"/> and as Spark Connect's
/// <see cref="DataType"/>) and DuckDB type names. Spark's <c>timestamp</c> is an instant, so it maps to DuckDB's
/// <c>TIMESTAMPTZ</c>; <c>timestamp_ntz</c> maps to <c>TIMESTAMP</c>.
/// </summary>
internal static class Types
{
    /// <summary>The DuckDB type name for a Spark type.</summary>
    public static string ToDuckDb(DeltaType type) => type switch
    {
        PrimitiveType p => p.Name switch
        {
            "string" => "VARCHAR",
            "long" => "BIGINT",
            "integer" => "INTEGER",
            "short" => "SMALLINT",
            "byte" => "TINYINT",
            "float" => "FLOAT",
            "double" => "DOUBLE",
            "boolean" => "BOOLEAN",
            "binary" => "BLOB",
            "date" => "DATE",
            "timestamp" => "TIMESTAMPTZ",
            "timestamp_ntz" => "TIMESTAMP",
            _ => throw Errors.Unsupported("type", $"The data type '{p.Name}'"),
        },
        DecimalType d => $"DECIMAL({d.Precision},{d.Scale})",
        ArrayType a => ToDuckDb(a.ElementType) + "[]",
        MapType m => $"MAP({ToDuckDb(m.KeyType)}, {ToDuckDb(m.ValueType)})",
        StructType s => "STRUCT(" + string.Join(", ", s.Fields.Select(f => SqlText.Ident(f.Name) + " " + ToDuckDb(f.Type))) + ")",
        _ => throw Errors.Unsupported("type", $"The data type '{type}'"),
    };

    /// <summary>
    /// The Spark type for a DuckDB type name as DESCRIBE prints it. Returns null for the NULL type. Unsigned and
    /// 128-bit integers have no Spark type; <see cref="SparkCompatibleDuckDb"/> says what to cast them to first.
    /// </summary>
    public static DeltaType? FromDuckDb(string duckType)
    {
        var p = new DuckTypeParser(duckType);
        var t = p.Parse();
        return t;
    }

    /// <summary>
    /// The DuckDB type a result column must be cast to so that it has a Spark type, or null when it already has one
    /// (HUGEINT from <c>sum</c> over integers becomes BIGINT as Spark's <c>sum</c> returns long).
    /// </summary>
    public static string? SparkCompatibleDuckDb(string duckType) => duckType.ToUpperInvariant() switch
    {
        "HUGEINT" => "BIGINT",
        "UHUGEINT" => "DECIMAL(38,0)",
        "UBIGINT" => "DECIMAL(20,0)",
        "UINTEGER" => "BIGINT",
        "USMALLINT" => "INTEGER",
        "UTINYINT" => "SMALLINT",
        "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" => "TIMESTAMP",
        "TIME" or "UUID" or "INTERVAL" or "BIT" or "JSON" => "VARCHAR",
        "\"NULL\"" => null,
        _ => null,
    };

    /// <summary>Spark Connect's <see cref="DataType"/> for a Spark type (null = Spark's NullType).</summary>
    public static DataType ToProto(DeltaType? type) => type switch
    {
        null => new DataType { Null = new DataType.Types.NULL() },
        PrimitiveType p => p.Name switch
        {
            "string" => new DataType { String = new DataType.Types.String() },
            "long" => new DataType { Long = new DataType.Types.Long() },
            "integer" => new DataType { Integer = new DataType.Types.Integer() },
            "short" => new DataType { Short = new DataType.Types.Short() },
            "byte" => new DataType { Byte = new DataType.Types.Byte() },
            "float" => new DataType { Float = new DataType.Types.Float() },
            "double" => new DataType { Double = new DataType.Types.Double() },
            "boolean" => new DataType { Boolean = new DataType.Types.Boolean() },
            "binary" => new DataType { Binary = new DataType.Types.Binary() },
            "date" => new DataType { Date = new DataType.Types.Date() },
            "timestamp" => new DataType { Timestamp = new DataType.Types.Timestamp() },
            "timestamp_ntz" => new DataType { TimestampNtz = new DataType.Types.TimestampNTZ() },
            _ => throw Errors.Unsupported("type", $"The data type '{p.Name}'"),
        },
        DecimalType d => new DataType { Decimal = new DataType.Types.Decimal { Precision = d.Precision, Scale = d.Scale } },
        ArrayType a => new DataType { Array = new DataType.Types.Array { ElementType = ToProto(a.ElementType), ContainsNull = a.ContainsNull } },
        MapType m => new DataType { Map = new DataType.Types.Map { KeyType = ToProto(m.KeyType), ValueType = ToProto(m.ValueType), ValueContainsNull = m.ValueContainsNull } },
        StructType s => StructProto(s.Fields.Select(f => (f.Name, (DeltaType?)f.Type))),
        _ => throw Errors.Unsupported("type", $"The data type '{type}'"),
    };

    /// <summary>A struct <see cref="DataType"/> from named fields, all nullable.</summary>
    public static DataType StructProto(IEnumerable<(string Name, DeltaType? Type)> fields)
    {
        var s = new DataType.Types.Struct();
        foreach (var (name, type) in fields)
        {
            s.Fields.Add(new DataType.Types.StructField { Name = name, DataType = ToProto(type), Nullable = true });
        }

        return new DataType { Struct = s };
    }

    /// <summary>The Spark type of a Spark Connect <see cref="DataType"/>; null for NullType.</summary>
    public static DeltaType? FromProto(DataType type) => type.KindCase switch
    {
        DataType.KindOneofCase.Null => null,
        DataType.KindOneofCase.String or DataType.KindOneofCase.Char or DataType.KindOneofCase.VarChar => PrimitiveType.String,
        DataType.KindOneofCase.Long => PrimitiveType.Long,
        DataType.KindOneofCase.Integer => PrimitiveType.Integer,
        DataType.KindOneofCase.Short => PrimitiveType.Short,
        DataType.KindOneofCase.Byte => PrimitiveType.Byte,
        DataType.KindOneofCase.Float => PrimitiveType.Float,
        DataType.KindOneofCase.Double => PrimitiveType.Double,
        DataType.KindOneofCase.Boolean => PrimitiveType.Boolean,
        DataType.KindOneofCase.Binary => PrimitiveType.Binary,
        DataType.KindOneofCase.Date => PrimitiveType.Date,
        DataType.KindOneofCase.Timestamp => PrimitiveType.Timestamp,
        DataType.KindOneofCase.TimestampNtz => PrimitiveType.TimestampNtz,
        DataType.KindOneofCase.Decimal => new DecimalType(type.Decimal.HasPrecision ? type.Decimal.Precision : 10, type.Decimal.HasScale ? type.Decimal.Scale : 0),
        DataType.KindOneofCase.Array => new ArrayType(FromProto(type.Array.ElementType) ?? PrimitiveType.String, type.Array.ContainsNull),
        DataType.KindOneofCase.Map => new MapType(FromProto(type.Map.KeyType) ?? PrimitiveType.String, FromProto(type.Map.ValueType) ?? PrimitiveType.String, type.Map.ValueContainsNull),
        DataType.KindOneofCase.Struct => new StructType(type.Struct.Fields.Select(f => new StructField(f.Name, FromProto(f.DataType) ?? PrimitiveType.String, f.Nullable))),
        DataType.KindOneofCase.Unparsed => SparkDdl.ParseType(type.Unparsed.DataTypeString),
        _ => throw Errors.Unsupported("type", $"The data type '{type.KindCase}'"),
    };

    /// <summary>Spark's simple type name, as used in column names such as <c>CAST(x AS INT)</c>.</summary>
    public static string SparkSqlName(DeltaType type) => type switch
    {
        PrimitiveType p => p.Name switch
        {
            "string" => "STRING",
            "long" => "BIGINT",
            "integer" => "INT",
            "short" => "SMALLINT",
            "byte" => "TINYINT",
            "timestamp_ntz" => "TIMESTAMP_NTZ",
            _ => p.Name.ToUpperInvariant(),
        },
        DecimalType d => $"DECIMAL({d.Precision},{d.Scale})",
        ArrayType a => $"ARRAY<{SparkSqlName(a.ElementType)}>",
        MapType m => $"MAP<{SparkSqlName(m.KeyType)}, {SparkSqlName(m.ValueType)}>",
        StructType s => "STRUCT<" + string.Join(", ", s.Fields.Select(f => $"{f.Name}: {SparkSqlName(f.Type)}")) + ">",
        _ => type.ToString(),
    };

    /// <summary>Recursive-descent parser of DuckDB's printed type names.</summary>
    private sealed class DuckTypeParser(string text)
    {
        private int _pos;

        public DeltaType? Parse()
        {
            var t = ParseOne();
            if (_pos != text.Length)
            {
                throw new FormatException($"unexpected text in DuckDB type '{text}' at {_pos}");
            }

            return t;
        }

        private DeltaType? ParseOne()
        {
            SkipWs();
            var name = ReadWord();
            DeltaType? t;
            switch (name)
            {
                case "STRUCT":
                    Expect('(');
                    var fields = new List<StructField>();
                    while (true)
                    {
                        SkipWs();
                        // Field names keep their case (ReadWord upper-cases type names).
                        var fname = Peek() == '"' ? ReadQuoted() : ReadName();
                        var ftype = ParseOne();
                        fields.Add(new StructField(fname, ftype ?? PrimitiveType.String));
                        SkipWs();
                        if (Peek() == ',') { _pos++; continue; }
                        Expect(')');
                        break;
                    }

                    t = new StructType(fields);
                    break;
                case "MAP":
                    Expect('(');
                    var k = ParseOne();
                    Expect(',');
                    var v = ParseOne();
                    Expect(')');
                    t = new MapType(k ?? PrimitiveType.String, v ?? PrimitiveType.String, true);
                    break;
                case "DECIMAL" or "NUMERIC":
                    SkipWs();
                    if (Peek() == '(')
                    {
                        _pos++;
                        var prec = ReadInt();
                        Expect(',');
                        var scale = ReadInt();
                        Expect(')');
                        t = new DecimalType(prec, scale);
                    }
                    else
                    {
                        t = new DecimalType(18, 3);
                    }

                    break;
                case "TIMESTAMP":
                    t = TryWords("WITH", "TIME", "ZONE") ? PrimitiveType.Timestamp : PrimitiveType.TimestampNtz;
                    break;
                default:
                    t = Simple(name);
                    break;
            }

            SkipWs();
            while (Peek() == '[')
            {
                _pos++;
                while (Peek() != ']') { _pos++; }
                _pos++;
                t = new ArrayType(t ?? PrimitiveType.String, true);
                SkipWs();
            }

            return t;
        }

        private DeltaType? Simple(string name) => name switch
        {
            "VARCHAR" or "TEXT" or "STRING" or "UUID" or "JSON" or "TIME" or "INTERVAL" or "BIT" => PrimitiveType.String,
            "BIGINT" or "INT8" or "LONG" or "HUGEINT" or "UINTEGER" => PrimitiveType.Long,
            "INTEGER" or "INT4" or "INT" or "USMALLINT" => PrimitiveType.Integer,
            "SMALLINT" or "INT2" or "UTINYINT" => PrimitiveType.Short,
            "TINYINT" or "INT1" => PrimitiveType.Byte,
            "FLOAT" or "REAL" or "FLOAT4" => PrimitiveType.Float,
            "DOUBLE" or "FLOAT8" => PrimitiveType.Double,
            "BOOLEAN" or "BOOL" => PrimitiveType.Boolean,
            "BLOB" or "BYTEA" or "VARBINARY" => PrimitiveType.Binary,
            "DATE" => PrimitiveType.Date,
            "TIMESTAMPTZ" => PrimitiveType.Timestamp,
            "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" => PrimitiveType.TimestampNtz,
            "UBIGINT" => new DecimalType(20, 0),
            "UHUGEINT" => new DecimalType(38, 0),
            "NULL" or "\"NULL\"" => null,
            _ => throw Errors.Unsupported("type", $"The DuckDB type '{name}'"),
        };

        private bool TryWords(params string[] words)
        {
            var save = _pos;
            foreach (var w in words)
            {
                SkipWs();
                if (ReadWord() != w)
                {
                    _pos = save;
                    return false;
                }
            }

            return true;
        }

        private string ReadName()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) { _pos++; }
            return text[start.._pos];
        }

        private string ReadWord()
        {
            SkipWs();
            if (Peek() == '"')
            {
                return ReadQuoted().ToUpperInvariant();
            }

            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) { _pos++; }
            return text[start.._pos].ToUpperInvariant();
        }

        private string ReadQuoted()
        {
            var sb = new StringBuilder();
            _pos++;
            while (_pos < text.Length)
            {
                if (text[_pos] == '"')
                {
                    if (_pos + 1 < text.Length && text[_pos + 1] == '"') { sb.Append('"'); _pos += 2; continue; }
                    _pos++;
                    break;
                }

                sb.Append(text[_pos++]);
            }

            return sb.ToString();
        }

        private int ReadInt()
        {
            SkipWs();
            var start = _pos;
            while (_pos < text.Length && char.IsDigit(text[_pos])) { _pos++; }
            return int.Parse(text[start.._pos], CultureInfo.InvariantCulture);
        }

        private void Expect(char c)
        {
            SkipWs();
            if (Peek() != c)
            {
                throw new FormatException($"expected '{c}' in DuckDB type '{text}' at {_pos}");
            }

            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipWs()
        {
            while (_pos < text.Length && text[_pos] == ' ') { _pos++; }
        }
    }
}
