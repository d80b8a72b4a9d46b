using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Schema;
using Parquet.Schema;
using ArrowStructType = Apache.Arrow.Types.StructType;
using DeltaStructField = Lakehouse.Delta.Schema.StructField;
using DeltaStructType = Lakehouse.Delta.Schema.StructType;
using ParquetStructField = Parquet.Schema.StructField;
using Field = Parquet.Schema.Field;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>
/// Reassembles nested Arrow arrays from Parquet leaf columns (record shredding reversed, as the Parquet format
/// specification describes definition and repetition levels). A "slot" is one value of a node; per leaf it is
/// identified by the index of its first level entry, so struct children share their parent's slots and list
/// elements start at entries whose repetition level equals the list's.
/// </summary>
internal sealed class ColumnAssembler
{
    private readonly IReadOnlyDictionary<DataField, LeafColumn> _leaves;
    private readonly ColumnMappingMode _mode;

    /// <summary>Creates an assembler over the leaves read from one row group.</summary>
    public ColumnAssembler(IReadOnlyDictionary<DataField, LeafColumn> leaves, ColumnMappingMode mode)
    {
        _leaves = leaves;
        _mode = mode;
    }

    /// <summary>Every leaf under <paramref name="field"/>, in schema order.</summary>
    public static IEnumerable<DataField> LeavesOf(Field field) => field switch
    {
        DataField d => [d],
        ParquetStructField s => s.Fields.SelectMany(LeavesOf),
        ListField l => LeavesOf(l.Item),
        MapField m => LeavesOf(m.Key).Concat(LeavesOf(m.Value)),
        _ => [],
    };

    /// <summary>The Parquet field that stores <paramref name="deltaField"/> among <paramref name="candidates"/>, or null when the file lacks it.</summary>
    public static Field? Match(IEnumerable<Field> candidates, DeltaStructField deltaField, ColumnMappingMode mode)
    {
        var list = candidates as IReadOnlyList<Field> ?? candidates.ToList();
        // PROTOCOL.md, Column Mapping: in id mode readers resolve columns by the Parquet field id; in name mode by the physical name.
        if (mode == ColumnMappingMode.Id && deltaField.ColumnMappingId is { } id
            && list.FirstOrDefault(f => f.SchemaElement?.FieldId == id || (f is DataField d && d.FieldId == id)) is { } byId)
        {
            return byId;
        }

        var name = deltaField.PhysicalName(mode);
        return list.FirstOrDefault(f => f.Name == name)
            ?? (mode == ColumnMappingMode.None ? list.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) : null);
    }

    /// <summary>Builds the array of <paramref name="type"/> for the given slots of <paramref name="node"/>.</summary>
    public ArrayData Build(Field node, DeltaType type, IArrowType arrowType, IReadOnlyDictionary<DataField, int[]> slots, int count)
    {
        switch (type)
        {
            case PrimitiveType or DecimalType when node is DataField leaf:
                return LeafArrayBuilder.Build(_leaves[leaf], slots[leaf], arrowType);
            case DeltaStructType s when node is ParquetStructField ps:
                return BuildStruct(ps, s, (ArrowStructType)arrowType, slots, count);
            case Schema.ArrayType a when node is ListField list:
                return BuildList(list, a, (ListType)arrowType, slots, count);
            case Schema.MapType m when node is MapField map:
                return BuildMap(map, m, (Apache.Arrow.Types.MapType)arrowType, slots, count);
            default:
                throw new DeltaException(DeltaErrorKind.InvalidRequest,
                    $"The Parquet column '{node.Path}' ({node.GetType().Name}) does not match the table type {type}. " +
                    "The data file does not match the table schema; rewrite it or read the table with the engine that wrote it.");
        }
    }

    private ArrayData BuildStruct(ParquetStructField node, DeltaStructType type, ArrowStructType arrowType, IReadOnlyDictionary<DataField, int[]> slots, int count)
    {
        var first = FirstLeaf(node);
        var entries = slots[first.Field];
        var valid = new bool[count];
        for (var i = 0; i < count; i++)
        {
            valid[i] = first.Definition(entries[i]) >= node.MaxDefinitionLevel;
        }

        var children = new ArrayData[type.Fields.Count];
        for (var c = 0; c < children.Length; c++)
        {
            var childType = arrowType.Fields[c].DataType;
            children[c] = Match(node.Fields, type.Fields[c], _mode) is { } child
                ? Build(child, type.Fields[c].Type, childType, slots, count)
                : NullArrays.Create(childType, count);
        }

        var (validity, nulls) = ArrowBuffers.Validity(valid);
        return new ArrayData(arrowType, count, nulls, 0, [validity], children);
    }

    private ArrayData BuildList(ListField node, Schema.ArrayType type, ListType arrowType, IReadOnlyDictionary<DataField, int[]> slots, int count)
    {
        var (validity, nulls, offsets, elementSlots, elements) = Repeated(node, node.MaxDefinitionLevel, node.MaxRepetitionLevel, slots, count);
        var child = Build(node.Item, type.ElementType, arrowType.ValueDataType, elementSlots, elements);
        return new ArrayData(arrowType, count, nulls, 0, [validity, offsets], [child]);
    }

    private ArrayData BuildMap(MapField node, Schema.MapType type, Apache.Arrow.Types.MapType arrowType, IReadOnlyDictionary<DataField, int[]> slots, int count)
    {
        var (validity, nulls, offsets, entrySlots, entries) = Repeated(node, node.MaxDefinitionLevel, node.MaxRepetitionLevel, slots, count);
        var keys = Build(node.Key, type.KeyType, arrowType.KeyField.DataType, entrySlots, entries);
        var values = Build(node.Value, type.ValueType, arrowType.ValueField.DataType, entrySlots, entries);
        var pairs = new ArrayData(arrowType.KeyValueType, entries, 0, 0, [ArrowBuffer.Empty], [keys, values]);
        return new ArrayData(arrowType, count, nulls, 0, [validity, offsets], [pairs]);
    }

    /// <summary>
    /// Splits each slot of a list or map into its elements. The repeated group sits one definition level below
    /// <paramref name="elementDefinition"/>: below that the value is null, at it the value is empty.
    /// </summary>
    private (ArrowBuffer Validity, int Nulls, ArrowBuffer Offsets, Dictionary<DataField, int[]> ElementSlots, int Elements) Repeated(
        Field node, int elementDefinition, int repetition, IReadOnlyDictionary<DataField, int[]> slots, int count)
    {
        var leaves = LeavesOf(node).ToList();
        var elementSlots = new Dictionary<DataField, int[]>(ReferenceEqualityComparer.Instance);
        var offsets = new int[count + 1];
        var valid = new bool[count];
        var elements = -1;
        foreach (var field in leaves)
        {
            var leaf = _leaves[field];
            var starts = new List<int>();
            var entries = slots[field];
            for (var s = 0; s < count; s++)
            {
                var a = entries[s];
                var def = leaf.Definition(a);
                if (elements < 0)
                {
                    valid[s] = def >= elementDefinition - 1;
                }

                if (def >= elementDefinition)
                {
                    starts.Add(a);
                    for (var i = a + 1; i < leaf.EntryCount && leaf.Repetition(i) >= repetition; i++)
                    {
                        if (leaf.Repetition(i) == repetition)
                        {
                            starts.Add(i);
                        }
                    }
                }

                if (elements < 0)
                {
                    offsets[s + 1] = starts.Count;
                }
            }

            if (elements >= 0 && starts.Count != elements)
            {
                throw new DeltaException(DeltaErrorKind.CorruptLog, $"The Parquet leaves under '{node.Path}' disagree on the number of elements; the data file is corrupt.");
            }

            elements = starts.Count;
            elementSlots[field] = starts.ToArray();
        }

        var (validity, nulls) = ArrowBuffers.Validity(valid);
        return (validity, nulls, new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), elementSlots, Math.Max(elements, 0));
    }

    private LeafColumn FirstLeaf(Field node) =>
        _leaves[LeavesOf(node).FirstOrDefault() ?? throw new InvalidOperationException($"Parquet group '{node.Path}' has no leaf columns.")];
}
