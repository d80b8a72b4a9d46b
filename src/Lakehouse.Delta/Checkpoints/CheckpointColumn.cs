using Lakehouse.Delta.Actions;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>
/// One leaf column of a checkpoint being written: it pulls its value out of each action row and records the
/// Dremel definition/repetition levels itself, because every ancestor struct, map and list is nullable
/// (Spark writes all checkpoint fields as optional). <c>reached</c> is the definition level the ancestors
/// reach: 0 when the row's action struct is null, one more for each present nested struct.
/// </summary>
internal abstract class CheckpointColumn
{
    private readonly List<int> _def = [];
    private readonly List<int>? _rep;

    protected CheckpointColumn(DataField field, bool repeated)
    {
        Field = field;
        _rep = repeated ? [] : null;
    }

    public DataField Field { get; }

    public abstract void Add(DeltaAction row);

    public abstract Task WriteAsync(ParquetRowGroupWriter writer);

    protected int MaxDef => Field.MaxDefinitionLevel;

    protected int[] Def => [.. _def];

    protected int[]? Rep => _rep is null ? null : [.. _rep];

    protected void Level(int def, int rep = 0)
    {
        _def.Add(def);
        _rep?.Add(rep);
    }
}

/// <summary>A string leaf (UTF-8), as a plain field, a map key or value, or a list element.</summary>
internal sealed class StringColumn : CheckpointColumn
{
    private readonly List<ReadOnlyMemory<char>> _values = [];
    private readonly Action<DeltaAction, StringColumn> _emit;

    public StringColumn(DataField field, bool repeated, Action<DeltaAction, StringColumn> emit) : base(field, repeated) => _emit = emit;

    /// <summary>A non-repeated field.</summary>
    public static StringColumn Scalar(string name, Func<DeltaAction, (int Reached, string? Value)> get) =>
        new(new DataField(name, typeof(string), isNullable: true), false, (row, c) =>
        {
            var (reached, value) = get(row);
            c.Value(reached, value);
        });

    /// <summary>A map's key (<paramref name="key"/> true) or value column; <c>reached</c> counts the map itself as present.</summary>
    public static StringColumn MapPart(bool key, Func<DeltaAction, (int Reached, IEnumerable<KeyValuePair<string, string?>>? Map)> get) =>
        new(new DataField(key ? "key" : "value", typeof(string), isNullable: !key), true, (row, c) =>
        {
            var (reached, map) = get(row);
            // Map levels: ancestors + map present = MaxDef-1 (key) / MaxDef-2 (value); one more for an entry.
            var mapLevel = c.MaxDef - (key ? 1 : 2);
            if (map is null || reached < mapLevel - 1)
            {
                c.Level(Math.Min(reached, mapLevel - 1));
                return;
            }

            var rep = 0;
            foreach (var (k, v) in map)
            {
                var text = key ? k : v;
                if (text is null)
                {
                    c.Level(mapLevel + 1, rep);
                }
                else
                {
                    c.Present(text, rep);
                }

                rep = 1;
            }

            if (rep == 0)
            {
                c.Level(mapLevel);
            }
        });

    /// <summary>A list's element column.</summary>
    public static StringColumn ListElement(Func<DeltaAction, (int Reached, IEnumerable<string>? List)> get) =>
        new(new DataField("element", typeof(string), isNullable: true), true, (row, c) =>
        {
            var (reached, list) = get(row);
            var listLevel = c.MaxDef - 2;
            if (list is null || reached < listLevel - 1)
            {
                c.Level(Math.Min(reached, listLevel - 1));
                return;
            }

            var rep = 0;
            foreach (var e in list)
            {
                c.Present(e, rep);
                rep = 1;
            }

            if (rep == 0)
            {
                c.Level(listLevel);
            }
        });

    public override void Add(DeltaAction row) => _emit(row, this);

    public override Task WriteAsync(ParquetRowGroupWriter writer) =>
        writer.WriteAllPartsAsync<ReadOnlyMemory<char>>(Field, _values.ToArray(), Def, Rep, CancellationToken.None);

    private void Value(int reached, string? value)
    {
        if (value is not null && reached == MaxDef - 1)
        {
            Present(value, 0);
        }
        else
        {
            Level(Math.Min(reached, MaxDef - 1));
        }
    }

    private void Present(string value, int rep)
    {
        _values.Add(value.AsMemory());
        Level(MaxDef, rep);
    }
}

/// <summary>A non-repeated primitive leaf (int, long, bool).</summary>
internal sealed class ValueColumn<T> : CheckpointColumn where T : struct
{
    private readonly List<T> _values = [];
    private readonly Func<DeltaAction, (int Reached, T? Value)> _get;

    public ValueColumn(string name, Func<DeltaAction, (int Reached, T? Value)> get)
        : base(new DataField(name, typeof(T), isNullable: true), false) => _get = get;

    public override void Add(DeltaAction row)
    {
        var (reached, value) = _get(row);
        if (value is { } v && reached == MaxDef - 1)
        {
            _values.Add(v);
            Level(MaxDef);
        }
        else
        {
            Level(Math.Min(reached, MaxDef - 1));
        }
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer) =>
        writer.WriteAllPartsAsync<T>(Field, _values.ToArray(), Def, null, CancellationToken.None);
}
