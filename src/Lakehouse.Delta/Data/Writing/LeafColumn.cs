using Apache.Arrow;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// The buffered content of one Parquet leaf column of the file being written: values (non-null only),
/// definition and repetition levels (Dremel encoding), and the column's statistics when Delta tracks them.
/// </summary>
internal abstract class LeafColumn
{
    protected LeafColumn(DataField field, string statsPath, ColumnStatistics? statistics)
    {
        Field = field;
        StatsPath = statsPath;
        Statistics = statistics;
    }

    public DataField Field { get; }

    /// <summary>The dotted physical path the statistics are keyed by.</summary>
    public string StatsPath { get; }

    /// <summary>Statistics of the column; null when it sits inside an array or map (Delta keeps none there).</summary>
    public ColumnStatistics? Statistics { get; }

    protected List<int> Definitions { get; } = [];

    protected List<int> Repetitions { get; } = [];

    public void AddNull(int definition, int repetition)
    {
        Definitions.Add(definition);
        Repetitions.Add(repetition);
    }

    public abstract void AddValue(IArrowArray array, int index, int definition, int repetition);

    public abstract Task WriteAsync(ParquetRowGroupWriter writer, CancellationToken cancellationToken);
}

/// <summary>A leaf column whose Parquet values have the CLR type <typeparamref name="T"/>.</summary>
internal sealed class LeafColumn<T> : LeafColumn
    where T : struct
{
    private readonly List<T> _values = [];
    private readonly Func<IArrowArray, int, T> _read;
    private readonly Func<T, object?>? _statsValue;

    /// <param name="field">The Parquet field.</param>
    /// <param name="statsPath">The statistics key.</param>
    /// <param name="statistics">Where statistics go, or null.</param>
    /// <param name="read">Reads a non-null value from an Arrow array.</param>
    /// <param name="statsValue">Turns a value into its statistics form (null: not representable, min/max dropped); null when the type has no min/max.</param>
    public LeafColumn(DataField field, string statsPath, ColumnStatistics? statistics, Func<IArrowArray, int, T> read, Func<T, object?>? statsValue)
        : base(field, statsPath, statistics)
    {
        _read = read;
        _statsValue = statsValue;
    }

    public override void AddValue(IArrowArray array, int index, int definition, int repetition)
    {
        var value = _read(array, index);
        _values.Add(value);
        Definitions.Add(definition);
        Repetitions.Add(repetition);
        if (Statistics is not null && _statsValue is not null)
        {
            if (_statsValue(value) is { } statsValue)
            {
                Statistics.AddValue(statsValue);
            }
            else
            {
                Statistics.DropMinMax();
            }
        }
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer, CancellationToken cancellationToken) =>
        LeafWriter.WriteAsync(writer, Field, _values.ToArray(), Definitions.ToArray(), Repetitions.ToArray(), cancellationToken);
}
