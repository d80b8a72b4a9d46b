using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Delta.Schema;
using Parquet;
using Parquet.Schema;
using DeltaStructType = Lakehouse.Delta.Schema.StructType;
using Field = Parquet.Schema.Field;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>
/// Reads one data file of a scan as Arrow record batches in the logical schema, one batch per Parquet row group,
/// so memory stays bounded by the largest row group. Partition columns come from the log, columns the file lacks
/// read as null, and rows in the file's deletion vector are dropped.
/// </summary>
internal static class ParquetArrowReader
{
    private static readonly ParquetOptions Options = new() { UseDateOnlyTypeForDates = true, UseBigDecimal = true };

    /// <summary>The batches of <paramref name="file"/> for the fields of <paramref name="readSchema"/>.</summary>
    public static async IAsyncEnumerable<RecordBatch> ReadAsync(
        ScanFile file, DeltaStructType readSchema, Apache.Arrow.Schema arrowSchema, ColumnMappingMode mode,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var deleted = file.DeletedRowIndexes();
        await using var reader = await ScanFile.OpenParquetAsync(file.AbsolutePath, file.TableRoot, Options, cancellationToken).ConfigureAwait(false);
        var topLevel = reader.Schema.Fields.ToList();
        var sources = readSchema.Fields
            .Select(f => file.PartitionValues.ContainsKey(f.Name) ? null : ColumnAssembler.Match(topLevel, f, mode))
            .ToArray();
        long rowOffset = 0;
        var nextDeleted = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rowGroup = reader.OpenRowGroupReader(g);
            var rows = checked((int)rowGroup.RowCount);
            var kept = KeptRows(deleted, ref nextDeleted, rowOffset, rows);
            rowOffset += rows;
            var count = kept?.Length ?? rows;
            if (count == 0)
            {
                continue;
            }

            var leaves = new Dictionary<DataField, LeafColumn>(ReferenceEqualityComparer.Instance);
            foreach (var leaf in sources.Where(s => s is not null).SelectMany(s => ColumnAssembler.LeavesOf(s!)))
            {
                leaves[leaf] = await LeafColumn.ReadAsync(rowGroup, leaf, cancellationToken).ConfigureAwait(false);
            }

            var assembler = new ColumnAssembler(leaves, mode);
            var arrays = new IArrowArray[readSchema.Fields.Count];
            for (var c = 0; c < arrays.Length; c++)
            {
                var field = readSchema.Fields[c];
                var arrowType = arrowSchema.FieldsList[c].DataType;
                ArrayData data;
                if (file.PartitionValues.TryGetValue(field.Name, out var partitionValue))
                {
                    data = ConstantArrays.Create(arrowType, partitionValue, count);
                }
                else if (sources[c] is { } source)
                {
                    var slots = new Dictionary<DataField, int[]>(ReferenceEqualityComparer.Instance);
                    foreach (var leaf in ColumnAssembler.LeavesOf(source))
                    {
                        var starts = leaves[leaf].RowStarts();
                        slots[leaf] = kept is null ? starts : kept.Select(r => starts[r]).ToArray();
                    }

                    data = assembler.Build(source, field.Type, arrowType, slots, count);
                }
                else
                {
                    data = NullArrays.Create(arrowType, count);
                }

                arrays[c] = ArrowArrayFactory.BuildArray(data);
            }

            yield return new RecordBatch(arrowSchema, arrays, count);
        }
    }

    /// <summary>The row indexes (within the row group) not in the deletion vector; null when none of them is deleted.</summary>
    private static int[]? KeptRows(long[] deleted, ref int next, long rowOffset, int rows)
    {
        var end = rowOffset + rows;
        while (next < deleted.Length && deleted[next] < rowOffset)
        {
            next++;
        }

        if (next >= deleted.Length || deleted[next] >= end)
        {
            return null;
        }

        var kept = new List<int>(rows);
        for (var r = 0; r < rows; r++)
        {
            if (next < deleted.Length && deleted[next] == rowOffset + r)
            {
                next++;
            }
            else
            {
                kept.Add(r);
            }
        }

        return kept.ToArray();
    }
}
