using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>One leaf column of one row group as stored: defined values and Dremel levels, with row boundaries.</summary>
internal abstract class RawLeaf
{
    protected RawLeaf(DataField field, int[] definitions, int[] repetitions)
    {
        Field = field;
        Definitions = definitions;
        Repetitions = repetitions;
        var rows = new List<int>();
        for (var i = 0; i < definitions.Length; i++)
        {
            if (field.MaxRepetitionLevel == 0 || repetitions[i] == 0)
            {
                rows.Add(i);
            }
        }

        RowStarts = rows.ToArray();
    }

    public DataField Field { get; }

    public int[] Definitions { get; }

    public int[] Repetitions { get; }

    /// <summary>The first entry of each row.</summary>
    public int[] RowStarts { get; }

    /// <summary>For a column outside arrays and maps: each row's stored value (null when not fully defined).</summary>
    public abstract object?[] RowValues();

    /// <summary>Writes the entries of the kept rows into <paramref name="writer"/>.</summary>
    public abstract Task WriteRowsAsync(ParquetRowGroupWriter writer, bool[] keep, CancellationToken cancellationToken);

    /// <summary>Reads a leaf of a row group; null for value types this library does not rewrite.</summary>
    public static async Task<RawLeaf?> ReadAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellationToken)
    {
        using var raw = await group.ReadRawColumnDataBaseAsync(field, cancellationToken).ConfigureAwait(false);
        return raw switch
        {
            RawColumnData<int> r => Create(field, r),
            RawColumnData<long> r => Create(field, r),
            RawColumnData<short> r => Create(field, r),
            RawColumnData<sbyte> r => Create(field, r),
            RawColumnData<byte> r => Create(field, r),
            RawColumnData<float> r => Create(field, r),
            RawColumnData<double> r => Create(field, r),
            RawColumnData<bool> r => Create(field, r),
            RawColumnData<decimal> r => Create(field, r),
            RawColumnData<BigDecimal> r => Create(field, r),
            RawColumnData<DateTime> r => Create(field, r),
            RawColumnData<DateTimeOffset> r => Create(field, r),
            RawColumnData<ReadOnlyMemory<char>> r => Create(field, r),
            RawColumnData<ReadOnlyMemory<byte>> r => Create(field, r),
            _ => null,
        };
    }

    private static RawLeaf<T> Create<T>(DataField field, RawColumnData<T> raw) where T : struct
    {
        var definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : [];
        var repetitions = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : [];
        // The value buffer is sized for every entry; only fully defined entries carry a value.
        var count = field.MaxDefinitionLevel > 0 ? definitions.Count(d => d == field.MaxDefinitionLevel) : raw.Values.Length;
        if (field.MaxDefinitionLevel == 0)
        {
            definitions = new int[count];
        }

        return new RawLeaf<T>(field, raw.Values[..count].ToArray(), definitions, repetitions.Length > 0 ? repetitions : new int[definitions.Length]);
    }
}

/// <summary>A raw leaf whose values have the CLR type <typeparamref name="T"/>.</summary>
internal sealed class RawLeaf<T>(DataField field, T[] values, int[] definitions, int[] repetitions) : RawLeaf(field, definitions, repetitions)
    where T : struct
{
    public override object?[] RowValues()
    {
        var result = new object?[RowStarts.Length];
        var next = 0;
        for (var i = 0; i < Definitions.Length; i++)
        {
            if (Field.MaxDefinitionLevel == 0 || Definitions[i] == Field.MaxDefinitionLevel)
            {
                result[i] = values[next++];
            }
        }

        return result;
    }

    public override Task WriteRowsAsync(ParquetRowGroupWriter writer, bool[] keep, CancellationToken cancellationToken)
    {
        var keptValues = new List<T>();
        var keptDefinitions = new List<int>();
        var keptRepetitions = new List<int>();
        var next = 0;
        var row = -1;
        for (var i = 0; i < Definitions.Length; i++)
        {
            if (Field.MaxRepetitionLevel == 0 || Repetitions[i] == 0)
            {
                row++;
            }

            var defined = Field.MaxDefinitionLevel == 0 || Definitions[i] == Field.MaxDefinitionLevel;
            if (keep[row])
            {
                keptDefinitions.Add(Definitions[i]);
                keptRepetitions.Add(Repetitions[i]);
                if (defined)
                {
                    keptValues.Add(values[next]);
                }
            }

            if (defined)
            {
                next++;
            }
        }

        return LeafWriter.WriteAsync(writer, Field, keptValues.ToArray(), keptDefinitions.ToArray(), keptRepetitions.ToArray(), cancellationToken);
    }
}
