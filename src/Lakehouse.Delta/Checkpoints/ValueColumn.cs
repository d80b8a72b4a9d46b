using Lakehouse.Delta.Actions;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Checkpoints;

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
