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
