using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>
/// Column-wise access to one row group of a checkpoint-shaped Parquet file, addressed by logical path
/// (struct field names, map <c>key</c>/<c>value</c>, list <c>element</c>), so the container names a writer chose
/// (<c>key_value</c>, <c>list</c>, <c>bag</c>, …) do not matter. A column absent from the file reads as all nulls:
/// writers include optional fields or not, and older checkpoints lack newer ones.
/// </summary>
internal sealed class ParquetRowGroupColumns
{
    // Map keys and values (partition values, tags, configuration) repeat across files; interning them and
    // sharing equal one-entry maps keeps a large checkpoint from allocating a string pair and a map per file.
    private const int MaxPooledStrings = 4096;
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string?), Dictionary<string, string?>> _singleEntryMaps = [];
    private readonly ParquetRowGroupReader _rowGroup;
    private readonly ParquetSchema _schema;

    public ParquetRowGroupColumns(ParquetRowGroupReader rowGroup, ParquetSchema schema)
    {
        _rowGroup = rowGroup;
        _schema = schema;
        RowCount = checked((int)rowGroup.RowCount);
    }

    public int RowCount { get; }

    /// <summary>True when the top-level field (an action column such as <c>add</c>) exists in the file.</summary>
    public bool Has(string topLevel) => _schema.Fields.Any(f => f.Name == topLevel);

    /// <summary>Per-row values of a non-repeated string leaf; null where the value or a parent struct is null.</summary>
    public string?[] Strings(params string[] path)
    {
        var result = new string?[RowCount];
        if (Leaf(path) is not { } leaf)
        {
            return result;
        }

        var values = leaf.Values;
        for (int row = 0, v = 0; row < result.Length; row++)
        {
            if (leaf.IsPresent(row))
            {
                result[row] = AsString(values, v++);
            }
        }

        return result;
    }

    /// <summary>Per-row values of a non-repeated integer leaf (INT32 or INT64); null where absent.</summary>
    public long?[] Longs(params string[] path)
    {
        var result = new long?[RowCount];
        if (Leaf(path) is not { } leaf)
        {
            return result;
        }

        for (int row = 0, v = 0; row < result.Length; row++)
        {
            if (leaf.IsPresent(row))
            {
                result[row] = leaf.Values switch
                {
                    long[] l => l[v],
                    int[] i => i[v],
                    _ => throw Unexpected(path, leaf.Values),
                };
                v++;
            }
        }

        return result;
    }

    /// <summary>Per-row values of a non-repeated boolean leaf; null where absent.</summary>
    public bool?[] Bools(params string[] path)
    {
        var result = new bool?[RowCount];
        if (Leaf(path) is not { } leaf)
        {
            return result;
        }

        var values = leaf.Values as bool[] ?? throw Unexpected(path, leaf.Values);
        for (int row = 0, v = 0; row < result.Length; row++)
        {
            if (leaf.IsPresent(row))
            {
                result[row] = values[v++];
            }
        }

        return result;
    }

    /// <summary>Per-row entries of a <c>map&lt;string,string&gt;</c>; null for a null or empty map.</summary>
    public Dictionary<string, string?>?[] Maps(params string[] path)
    {
        var result = new Dictionary<string, string?>?[RowCount];
        if (Leaf([.. path, "key"]) is not { } keys)
        {
            return result;
        }

        var values = Leaf([.. path, "value"]);
        int row = -1, k = 0, v = 0;
        for (var slot = 0; slot < keys.Slots; slot++)
        {
            if (keys.Rep![slot] == 0)
            {
                row++;
            }

            var hasValue = values is not null && values.IsPresent(slot);
            if (keys.IsPresent(slot))
            {
                var map = result[row] ??= new Dictionary<string, string?>(1, StringComparer.Ordinal);
                map[Pooled(keys.Values, k++)] = hasValue ? Pooled(values!.Values, v) : null;
            }

            if (hasValue)
            {
                v++;
            }
        }

        for (var i = 0; i < result.Length; i++)
        {
            if (result[i] is { Count: 1 } single)
            {
                var (key, value) = single.First();
                result[i] = _singleEntryMaps.TryGetValue((key, value), out var shared) ? shared : _singleEntryMaps[(key, value)] = single;
            }
        }

        return result;
    }

    /// <summary>Per-row elements of an <c>array&lt;string&gt;</c>; null for a null list, empty for an empty one.</summary>
    public List<string?>?[] Lists(params string[] path)
    {
        var result = new List<string?>?[RowCount];
        if (Leaf([.. path, "element"]) is not { } elements)
        {
            return result;
        }

        // An optional element adds one definition level below the repeated group (Parquet LogicalTypes.md, Lists).
        var entryLevel = elements.Field.MaxDefinitionLevel - (elements.Field.IsNullable ? 1 : 0);
        int row = -1, v = 0;
        for (var slot = 0; slot < elements.Slots; slot++)
        {
            if (elements.Rep![slot] == 0)
            {
                row++;
            }

            var def = elements.Def is null ? elements.Field.MaxDefinitionLevel : elements.Def[slot];
            if (def >= entryLevel - 1)
            {
                var list = result[row] ??= [];
                if (def >= entryLevel)
                {
                    list.Add(def == elements.Field.MaxDefinitionLevel ? AsString(elements.Values, v++) : null);
                }
            }
        }

        return result;
    }

    private LeafData? Leaf(string[] path)
    {
        Field? field = _schema.Fields.FirstOrDefault(f => f.Name == path[0]);
        for (var i = 1; i < path.Length && field is not null; i++)
        {
            field = field switch
            {
                StructField s => s.Fields.FirstOrDefault(f => f.Name == path[i]),
                MapField m => path[i] switch { "key" => m.Key, "value" => m.Value, _ => null },
                ListField l when path[i] == "element" => l.Item,
                _ => null,
            };
        }

        if (field is not DataField data)
        {
            return null;
        }

        using var raw = _rowGroup.ReadRawColumnDataBaseAsync(data).AsTask().GetAwaiter().GetResult();
        var def = data.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : null;
        var rep = data.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : null;
        var slots = def?.Length ?? rep?.Length ?? RowCount;
        var present = def is null ? slots : CountPresent(def, data.MaxDefinitionLevel);
        // The raw buffers are pooled and may be longer than the dense values; copy exactly the present ones.
        Array values = raw switch
        {
            RawColumnData<ReadOnlyMemory<char>> s => s.Values[..present].ToArray(),
            RawColumnData<long> l => l.Values[..present].ToArray(),
            RawColumnData<int> i => i.Values[..present].ToArray(),
            RawColumnData<bool> b => b.Values[..present].ToArray(),
            _ => throw Unexpected(path, raw),
        };
        return new LeafData(data, def, rep, values, slots);
    }

    private static int CountPresent(int[] def, int max)
    {
        var n = 0;
        foreach (var d in def)
        {
            if (d == max)
            {
                n++;
            }
        }

        return n;
    }

    private string Pooled(Array values, int index)
    {
        if (values is not ReadOnlyMemory<char>[] s)
        {
            return AsString(values, index);
        }

        var lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(s[index].Span, out var pooled))
        {
            return pooled;
        }

        var text = s[index].ToString();
        if (_pool.Count < MaxPooledStrings)
        {
            _pool[text] = text;
        }

        return text;
    }

    private static string AsString(Array values, int index) =>
        values is ReadOnlyMemory<char>[] s ? s[index].ToString() : throw new InvalidDataException($"expected a string column, found {values.GetType().GetElementType()?.Name}");

    private static InvalidDataException Unexpected(string[] path, object data) =>
        new($"column {string.Join('.', path)} has an unexpected physical type ({data.GetType().Name})");

    private sealed record LeafData(DataField Field, int[]? Def, int[]? Rep, Array Values, int Slots)
    {
        public bool IsPresent(int slot) => Def is null || Def[slot] == Field.MaxDefinitionLevel;
    }
}
