namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Finds, in a Parquet footer (a Thrift compact-encoded FileMetaData), where each column chunk's min/max statistics
/// bytes lie, so that they can be overwritten in place with values of the same length. Field ids follow
/// parquet.thrift: FileMetaData.row_groups = 4, RowGroup.columns = 1, ColumnChunk.meta_data = 3,
/// ColumnMetaData.path_in_schema = 3 and statistics = 12, Statistics.max = 1, min = 2, max_value = 5, min_value = 6.
/// </summary>
internal sealed class ThriftStatisticsLocator
{
    /// <summary>The statistics of one column chunk: its row group, its path, and the (offset, length) of each bound in the footer.</summary>
    public sealed record Chunk(int RowGroup, string[] Path, List<(int Offset, int Length)> Mins, List<(int Offset, int Length)> Maxes);

    private readonly byte[] _bytes;
    private int _pos;

    private ThriftStatisticsLocator(byte[] bytes) => _bytes = bytes;

    /// <summary>Every column chunk of <paramref name="footer"/> that has statistics.</summary>
    public static List<Chunk> Locate(byte[] footer)
    {
        var locator = new ThriftStatisticsLocator(footer);
        var chunks = new List<Chunk>();
        var rowGroup = 0;
        locator.Struct((id, type) => id == 4 && type == 9 && locator.List(() =>
        {
            locator.Struct((gid, gtype) => gid == 1 && gtype == 9 && locator.List(() => locator.ColumnChunk(rowGroup, chunks)));
            rowGroup++;
        }));
        return chunks;
    }

    private void ColumnChunk(int rowGroup, List<Chunk> chunks) => Struct((id, type) => id == 3 && type == 12 && ColumnMetaData(rowGroup, chunks));

    private bool ColumnMetaData(int rowGroup, List<Chunk> chunks)
    {
        var path = new List<string>();
        var mins = new List<(int, int)>();
        var maxes = new List<(int, int)>();
        var hasStatistics = false;
        Struct((id, type) =>
        {
            if (id == 3 && type == 9)
            {
                return List(() => path.Add(System.Text.Encoding.UTF8.GetString(Binary(out _))));
            }

            if (id == 12 && type == 12)
            {
                hasStatistics = true;
                Struct((sid, stype) =>
                {
                    if (stype != 8 || sid is not (1 or 2 or 5 or 6))
                    {
                        return false;
                    }

                    var bytes = Binary(out var offset);
                    (sid is 2 or 6 ? mins : maxes).Add((offset, bytes.Length));
                    return true;
                });
                return true;
            }

            return false;
        });
        if (hasStatistics)
        {
            chunks.Add(new Chunk(rowGroup, path.ToArray(), mins, maxes));
        }

        return true;
    }

    /// <summary>Reads a struct; <paramref name="field"/> consumes a field's value and returns true, or returns false to have it skipped.</summary>
    private void Struct(Func<short, int, bool> field)
    {
        short last = 0;
        while (true)
        {
            var header = _bytes[_pos++];
            if (header == 0)
            {
                return;
            }

            var type = header & 0x0F;
            var delta = header >> 4;
            var id = delta != 0 ? (short)(last + delta) : (short)ZigZag(Varint());
            last = id;
            if (!field(id, type))
            {
                Skip(type);
            }
        }
    }

    /// <summary>Reads a list header and calls <paramref name="element"/> once per element; returns true.</summary>
    private bool List(Action element)
    {
        var header = _bytes[_pos++];
        var size = header >> 4;
        if (size == 15)
        {
            size = checked((int)Varint());
        }

        for (var i = 0; i < size; i++)
        {
            element();
        }

        return true;
    }

    private byte[] Binary(out int offset)
    {
        var length = checked((int)Varint());
        offset = _pos;
        _pos += length;
        return _bytes[offset.._pos];
    }

    private void Skip(int type)
    {
        switch (type)
        {
            case 1 or 2:
                break;
            case 3:
                _pos++;
                break;
            case 4 or 5 or 6:
                Varint();
                break;
            case 7:
                _pos += 8;
                break;
            case 8:
                Binary(out _);
                break;
            case 9 or 10:
            {
                var header = _bytes[_pos++];
                var size = header >> 4;
                if (size == 15)
                {
                    size = checked((int)Varint());
                }

                var elementType = header & 0x0F;
                for (var i = 0; i < size; i++)
                {
                    SkipElement(elementType);
                }

                break;
            }

            case 11:
            {
                var size = checked((int)Varint());
                if (size > 0)
                {
                    var types = _bytes[_pos++];
                    for (var i = 0; i < size; i++)
                    {
                        SkipElement(types >> 4);
                        SkipElement(types & 0x0F);
                    }
                }

                break;
            }

            case 12:
                Struct((_, _) => false);
                break;
            default:
                throw new InvalidDataException($"The Parquet footer has a Thrift field of unknown type {type}.");
        }
    }

    // In lists, sets and maps a boolean takes one byte, unlike a boolean struct field.
    private void SkipElement(int type)
    {
        if (type is 1 or 2)
        {
            _pos++;
        }
        else
        {
            Skip(type);
        }
    }

    private ulong Varint()
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            var b = _bytes[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
        }
    }

    private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);
}
