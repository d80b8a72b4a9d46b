using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Delta.Data.Reading;

/// <summary>All-null Arrow arrays of any type: columns that a data file lacks (PROTOCOL.md, Schema Evolution: added columns read as null).</summary>
internal static class NullArrays
{
    /// <summary>An array of <paramref name="length"/> nulls of <paramref name="type"/>.</summary>
    public static ArrayData Create(IArrowType type, int length)
    {
        var validity = new ArrowBuffer(new byte[BitUtility.ByteCount(length)]);
        return type switch
        {
            Apache.Arrow.Types.StructType s => new ArrayData(type, length, length, 0, [validity], s.Fields.Select(f => Create(f.DataType, length)).ToArray()),
            Apache.Arrow.Types.MapType m => new ArrayData(type, length, length, 0, [validity, Zeros(4 * (length + 1))], [Create(m.KeyValueType, 0)]),
            ListType l => new ArrayData(type, length, length, 0, [validity, Zeros(4 * (length + 1))], [Create(l.ValueDataType, 0)]),
            StringType or BinaryType => new ArrayData(type, length, length, 0, [validity, Zeros(4 * (length + 1)), ArrowBuffer.Empty], []),
            BooleanType => new ArrayData(type, length, length, 0, [validity, Zeros(BitUtility.ByteCount(length))], []),
            FixedWidthType f => new ArrayData(type, length, length, 0, [validity, Zeros(length * ((f.BitWidth + 7) / 8))], []),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no null array for this type"),
        };
    }

    private static ArrowBuffer Zeros(int bytes) => new(new byte[bytes]);
}
