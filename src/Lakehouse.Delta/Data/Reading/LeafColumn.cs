using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>
/// One Parquet leaf column of one row group, copied out of Parquet.Net's pooled buffers:
/// the dense non-null values plus the definition and repetition levels (Dremel encoding).
/// </summary>
internal sealed class LeafColumn
{
    private int[]? _valueIndex;

    private LeafColumn(DataField field, Array values, int[]? definitionLevels, int[]? repetitionLevels, int entryCount)
    {
        Field = field;
        Values = values;
        DefinitionLevels = definitionLevels;
        RepetitionLevels = repetitionLevels;
        EntryCount = entryCount;
    }

    /// <summary>The Parquet field of the leaf.</summary>
    public DataField Field { get; }

    /// <summary>The non-null values, one per entry whose definition level is the maximum.</summary>
    public Array Values { get; }

    /// <summary>Definition level per entry; null when the column is required all the way down.</summary>
    public int[]? DefinitionLevels { get; }

    /// <summary>Repetition level per entry; null when the column is not inside a list or map.</summary>
    public int[]? RepetitionLevels { get; }

    /// <summary>Number of level entries (equals the row count for non-repeated columns).</summary>
    public int EntryCount { get; }

    /// <summary>The definition level of entry <paramref name="entry"/>.</summary>
    public int Definition(int entry) => DefinitionLevels is { } d ? d[entry] : Field.MaxDefinitionLevel;

    /// <summary>The repetition level of entry <paramref name="entry"/>.</summary>
    public int Repetition(int entry) => RepetitionLevels is { } r ? r[entry] : 0;

    /// <summary>Whether entry <paramref name="entry"/> carries a value.</summary>
    public bool HasValue(int entry) => DefinitionLevels is not { } d || d[entry] == Field.MaxDefinitionLevel;

    /// <summary>The index into <see cref="Values"/> of the value of entry <paramref name="entry"/> (when <see cref="HasValue"/>).</summary>
    public int ValueIndex(int entry)
    {
        if (DefinitionLevels is not { } d)
        {
            return entry;
        }

        if (_valueIndex is null)
        {
            var index = new int[EntryCount];
            var next = 0;
            var max = Field.MaxDefinitionLevel;
            for (var i = 0; i < index.Length; i++)
            {
                index[i] = next;
                if (d[i] == max)
                {
                    next++;
                }
            }

            _valueIndex = index;
        }

        return _valueIndex[entry];
    }

    /// <summary>The entries that start a top-level row (repetition level 0).</summary>
    public int[] RowStarts()
    {
        if (RepetitionLevels is not { } r)
        {
            return Enumerable.Range(0, EntryCount).ToArray();
        }

        var starts = new List<int>();
        for (var i = 0; i < r.Length; i++)
        {
            if (r[i] == 0)
            {
                starts.Add(i);
            }
        }

        return starts.ToArray();
    }

    /// <summary>Reads the leaf <paramref name="field"/> of a row group.</summary>
    public static async Task<LeafColumn> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, CancellationToken cancellationToken)
    {
        using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken).ConfigureAwait(false);
        var definition = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : null;
        var repetition = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : null;
        Array values = raw switch
        {
            RawColumnData<int> c => c.Values.ToArray(),
            RawColumnData<long> c => c.Values.ToArray(),
            RawColumnData<short> c => c.Values.ToArray(),
            RawColumnData<sbyte> c => c.Values.ToArray(),
            RawColumnData<byte> c => c.Values.ToArray(),
            RawColumnData<ushort> c => c.Values.ToArray(),
            RawColumnData<uint> c => c.Values.ToArray(),
            RawColumnData<ulong> c => c.Values.ToArray(),
            RawColumnData<bool> c => c.Values.ToArray(),
            RawColumnData<float> c => c.Values.ToArray(),
            RawColumnData<double> c => c.Values.ToArray(),
            RawColumnData<ReadOnlyMemory<char>> c => c.Values.ToArray(),
            RawColumnData<ReadOnlyMemory<byte>> c => c.Values.ToArray(),
            RawColumnData<DateOnly> c => c.Values.ToArray(),
            RawColumnData<DateTime> c => c.Values.ToArray(),
            RawColumnData<DateTimeOffset> c => c.Values.ToArray(),
            RawColumnData<TimeSpan> c => c.Values.ToArray(),
            RawColumnData<TimeOnly> c => c.Values.ToArray(),
            RawColumnData<decimal> c => c.Values.ToArray(),
            RawColumnData<BigDecimal> c => c.Values.ToArray(),
            RawColumnData<Guid> c => c.Values.ToArray(),
            _ => throw new NotSupportedException($"Parquet column '{field.Path}' has the unsupported physical type {raw.GetType().GenericTypeArguments.FirstOrDefault()?.Name}."),
        };
        var entries = definition?.Length ?? repetition?.Length ?? values.Length;
        return new LeafColumn(field, values, definition, repetition, entries);
    }
}
