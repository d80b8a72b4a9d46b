using System.Globalization;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark's DDL notation for types (<c>int</c>, <c>decimal(18,2)</c>, <c>array&lt;string&gt;</c>,
/// <c>struct&lt;a:int,b:string&gt;</c>, <c>map&lt;string,int&gt;</c>) and schemas (<c>a INT, b STRING</c>), plus
/// Spark's JSON schema form, as clients send them in <c>Cast.type_str</c>, <c>DataSource.schema</c> and
/// <c>LocalRelation.schema</c>.
/// </summary>
internal static class SparkDdl
{
    /// <summary>Parses one type name.</summary>
    public static DeltaType ParseType(string text)
    {
        var p = new Parser(text);
        var t = p.Type();
        p.End();
        return t;
    }

    /// <summary>Parses a schema: JSON (<c>{"type":"struct",...}</c>), <c>struct&lt;...&gt;</c>, or a DDL field list.</summary>
    public static StructType ParseSchema(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            return SchemaJson.Parse(trimmed);
        }

        try
        {
            var p = new Parser(trimmed);
            if (trimmed.StartsWith("struct<", StringComparison.OrdinalIgnoreCase))
            {
                var t = (StructType)p.Type();
                p.End();
                return t;
            }

            var fields = new List<StructField>();
            while (true)
            {
                var name = p.Name();
                p.Optional(':');
                var type = p.Type();
                p.SkipNotNullAndComment();
                fields.Add(new StructField(name, type));
                if (!p.Optional(','))
                {
                    break;
                }
            }

            p.End();
            return new StructType(fields);
        }
        catch (FormatException e)
        {
            throw Errors.Parse(text, e.Message);
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public DeltaType Type()
        {
            var word = Name().ToLowerInvariant();
            switch (word)
            {
                case "array":
                    Expect('<');
                    var e = Type();
                    Expect('>');
                    return new ArrayType(e, true);
                case "map":
                    Expect('<');
                    var k = Type();
                    Expect(',');
                    var v = Type();
                    Expect('>');
                    return new MapType(k, v, true);
                case "struct":
                    Expect('<');
                    var fields = new List<StructField>();
                    if (!Optional('>'))
                    {
                        do
                        {
                            var n = Name();
                            Optional(':');
                            fields.Add(new StructField(n, Type()));
                            SkipNotNullAndComment();
                        }
                        while (Optional(','));
                        Expect('>');
                    }

                    return new StructType(fields);
                case "decimal" or "dec" or "numeric":
                    if (Optional('('))
                    {
                        var prec = Int();
                        var scale = Optional(',') ? Int() : 0;
                        Expect(')');
                        return new DecimalType(prec, scale);
                    }

                    return new DecimalType(10, 0);
                case "char" or "varchar":
                    if (Optional('('))
                    {
                        Int();
                        Expect(')');
                    }

                    return PrimitiveType.String;
                default:
                    return word switch
                    {
                        "string" or "text" => PrimitiveType.String,
                        "int" or "integer" => PrimitiveType.Integer,
                        "bigint" or "long" => PrimitiveType.Long,
                        "smallint" or "short" => PrimitiveType.Short,
                        "tinyint" or "byte" => PrimitiveType.Byte,
                        "float" or "real" => PrimitiveType.Float,
                        "double" => PrimitiveType.Double,
                        "boolean" or "bool" => PrimitiveType.Boolean,
                        "binary" => PrimitiveType.Binary,
                        "date" => PrimitiveType.Date,
                        "timestamp" or "timestamp_ltz" => PrimitiveType.Timestamp,
                        "timestamp_ntz" => PrimitiveType.TimestampNtz,
                        _ => throw new FormatException($"unknown data type '{word}'"),
                    };
            }
        }

        public string Name()
        {
            Ws();
            if (Peek() == '`')
            {
                var end = text.IndexOf('`', _pos + 1);
                if (end < 0)
                {
                    throw new FormatException("unterminated backquoted name");
                }

                var n = text[(_pos + 1)..end];
                _pos = end + 1;
                return n;
            }

            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) { _pos++; }
            if (start == _pos)
            {
                throw new FormatException($"expected a name at position {_pos}");
            }

            return text[start.._pos];
        }

        public void SkipNotNullAndComment()
        {
            var save = _pos;
            var w = _pos < text.Length ? SafeWord() : "";
            if (w.Equals("not", StringComparison.OrdinalIgnoreCase) && SafeWord().Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            _pos = save;
        }

        public bool Optional(char c)
        {
            Ws();
            if (Peek() == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        public void End()
        {
            Ws();
            if (_pos != text.Length)
            {
                throw new FormatException($"unexpected '{text[_pos..]}'");
            }
        }

        private string SafeWord()
        {
            Ws();
            var start = _pos;
            while (_pos < text.Length && char.IsLetter(text[_pos])) { _pos++; }
            return text[start.._pos];
        }

        private int Int()
        {
            Ws();
            var start = _pos;
            while (_pos < text.Length && char.IsDigit(text[_pos])) { _pos++; }
            return int.Parse(text[start.._pos], CultureInfo.InvariantCulture);
        }

        private void Expect(char c)
        {
            if (!Optional(c))
            {
                throw new FormatException($"expected '{c}' at position {_pos}");
            }
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void Ws()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) { _pos++; }
        }
    }
}
