using Lakehouse.Delta.Expressions;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Statistics of one column of one data file, as Delta records them in <c>add.stats</c>: a null count and, for types
/// Delta skips on (numbers, dates, timestamps, strings), the minimum and maximum. Values are in the CLR forms of
/// <see cref="PartitionValues.Parse"/> (DateOnly, DateTimeOffset, DateTime, decimal, …).
/// </summary>
internal sealed class ColumnStatistics
{
    public ColumnStatistics(bool collectMinMax) => CollectMinMax = collectMinMax;

    /// <summary>False for types without min/max (boolean, binary, arrays, maps) and when a value could not be ranked.</summary>
    public bool CollectMinMax { get; private set; }

    public object? Min { get; private set; }

    public object? Max { get; private set; }

    public long NullCount { get; set; }

    /// <summary>False when a source (a Parquet footer) lacked the null count.</summary>
    public bool HasNullCount { get; set; } = true;

    public void AddNull() => NullCount++;

    public void AddValue(object value)
    {
        if (!CollectMinMax || value is double.NaN || value is float.NaN)
        {
            // Spark leaves NaN out of min/max: comparisons against NaN would make the bounds useless.
            return;
        }

        if (Min is null || ValueComparer.Compare(value, Min) < 0)
        {
            Min = value;
        }

        if (Max is null || ValueComparer.Compare(value, Max) > 0)
        {
            Max = value;
        }
    }

    /// <summary>Gives up min/max (a value of an unknown encoding, a row group without statistics).</summary>
    public void DropMinMax()
    {
        CollectMinMax = false;
        Min = Max = null;
    }
}
