using Lakehouse.Delta.Actions;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Checkpoints;

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
