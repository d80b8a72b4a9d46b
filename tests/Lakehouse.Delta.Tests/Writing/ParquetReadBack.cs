using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Reads a written Parquet file back with Parquet.Net's raw column API: values plus Dremel levels per leaf.</summary>
internal static class ParquetReadBack
{
    public sealed record Leaf(DataField Field, object[] Values, int[] Definitions, int[] Repetitions);

    public static async Task<(ParquetSchema Schema, Parquet.Meta.FileMetaData Meta, Dictionary<string, Leaf> Leaves)> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var leaves = new Dictionary<string, Leaf>(StringComparer.Ordinal);
        using var group = reader.OpenRowGroupReader(0);
        foreach (var field in reader.Schema.GetDataFields())
        {
            using var raw = await group.ReadRawColumnDataBaseAsync(field, default);
            var values = CopyValues(raw);
            var defs = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : [];
            var reps = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : [];
            // The value buffer is sized for every level; only fully defined entries carry a value.
            var count = field.MaxDefinitionLevel > 0 ? defs.Count(d => d == field.MaxDefinitionLevel) : values.Length;
            leaves[field.Path.ToString()] = new Leaf(field, values[..count], defs, reps);
        }

        return (reader.Schema, reader.Metadata!, leaves);
    }

    // RawColumnData<T>.Values is a Span, which reflection cannot return; copy it in a typed helper.
    private static object[] CopyValues(Parquet.Data.RawColumnData raw)
    {
        var t = raw.GetType().GetGenericArguments()[0];
        var method = typeof(ParquetReadBack).GetMethod(nameof(Copy), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(t);
        return (object[])method.Invoke(null, [raw])!;
    }

    private static object[] Copy<T>(Parquet.Data.RawColumnData<T> raw) where T : struct => raw.Values.ToArray().Cast<object>().ToArray();
}
