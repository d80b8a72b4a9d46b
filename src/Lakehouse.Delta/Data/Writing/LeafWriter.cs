using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>Writes one leaf column (defined values plus Dremel levels) into a row group with the Parquet.Net call that fits its shape.</summary>
internal static class LeafWriter
{
    /// <param name="writer">The row group.</param>
    /// <param name="field">The leaf.</param>
    /// <param name="values">The non-null values, in order.</param>
    /// <param name="definitions">One definition level per entry (ignored for required top-level columns).</param>
    /// <param name="repetitions">One repetition level per entry (ignored outside arrays and maps).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task WriteAsync<T>(ParquetRowGroupWriter writer, DataField field, T[] values, int[] definitions, int[] repetitions, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.MaxRepetitionLevel > 0 || field.MaxDefinitionLevel > 1)
        {
            // Nested columns: a null can sit at several levels, which only explicit definition levels tell apart.
            return writer.WriteAllPartsAsync<T>(field, values, definitions, field.MaxRepetitionLevel > 0 ? repetitions : null, cancellationToken);
        }

        // Top-level columns go through the row-oriented overloads, which derive the row count themselves.
        if (field.MaxDefinitionLevel == 0)
        {
            return writer.WriteAsync<T>(field, values, null, null, cancellationToken);
        }

        var rows = new T?[definitions.Length];
        var next = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = definitions[i] == field.MaxDefinitionLevel ? values[next++] : null;
        }

        return writer.WriteAsync<T>(field, rows, null, null, cancellationToken);
    }
}
