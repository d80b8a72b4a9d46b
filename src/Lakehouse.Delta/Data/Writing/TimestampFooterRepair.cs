using System.Buffers.Binary;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>
/// Corrects the min/max statistics Parquet.Net writes for TIMESTAMP(MICROS) column chunks in a file it has just
/// written. Parquet.Net encodes them in milliseconds whatever the column's unit, so a reader that trusts them (DuckDB
/// folds comparisons with them, Spark skips row groups with them) sees every timestamp near 1970 and answers
/// comparisons wrongly. The exact bounds are computed from the values read back and written over the wrong ones in
/// place (both are 8-byte INT64s, so the footer keeps its length); the data pages are untouched.
/// </summary>
internal static class TimestampFooterRepair
{
    /// <summary>Rewrites the timestamp bounds in the footer of <paramref name="fullPath"/>; does nothing when it has no timestamp column.</summary>
    public static async Task RunAsync(string fullPath, CancellationToken cancellationToken)
    {
        var patches = new List<(int Offset, long Value)>();
        List<ThriftStatisticsLocator.Chunk> chunks;
        await using (var reader = await ParquetReader.CreateAsync(fullPath, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields().OfType<DateTimeDataField>().Where(f => f.Unit == DateTimeTimeUnit.Micros).ToList();
            if (fields.Count == 0)
            {
                return;
            }

            chunks = ThriftStatisticsLocator.Locate(await FooterBytesAsync(fullPath, cancellationToken).ConfigureAwait(false));
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                foreach (var field in fields)
                {
                    var path = field.Path.ToList();
                    var chunk = chunks.FirstOrDefault(c => c.RowGroup == g && c.Path.SequenceEqual(path));
                    if (chunk is null || (chunk.Mins.Count == 0 && chunk.Maxes.Count == 0))
                    {
                        continue;
                    }

                    var (min, max) = await BoundsAsync(group, field, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidDataException($"Column '{field.Path}' of {fullPath} has min/max statistics but no values.");
                    patches.AddRange(chunk.Mins.Select(m => (m.Offset, min)));
                    patches.AddRange(chunk.Maxes.Select(m => (m.Offset, max)));
                    if (chunk.Mins.Concat(chunk.Maxes).Any(m => m.Length != 8))
                    {
                        throw new InvalidDataException($"Column '{field.Path}' of {fullPath} has timestamp statistics that are not 8-byte INT64s.");
                    }
                }
            }
        }

        if (patches.Count == 0)
        {
            return;
        }

        await using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var footerStart = await FooterStartAsync(stream, cancellationToken).ConfigureAwait(false);
        var bytes = new byte[8];
        foreach (var (offset, value) in patches)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            stream.Seek(footerStart + offset, SeekOrigin.Begin);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(long Min, long Max)?> BoundsAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellationToken)
    {
        using var raw = await group.ReadRawColumnDataBaseAsync(field, cancellationToken).ConfigureAwait(false);
        IEnumerable<long> micros = raw switch
        {
            RawColumnData<DateTime> r => Defined(field, r).Select(v => (v.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond),
            RawColumnData<DateTimeOffset> r => Defined(field, r).Select(v => (v.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond),
            _ => throw new InvalidDataException($"Column '{field.Path}' is a timestamp read as {raw.GetType().Name}."),
        };
        long? min = null, max = null;
        foreach (var v in micros)
        {
            min = min is { } a && a <= v ? a : v;
            max = max is { } b && b >= v ? b : v;
        }

        return min is { } lo && max is { } hi ? (lo, hi) : null;
    }

    private static IEnumerable<T> Defined<T>(DataField field, RawColumnData<T> raw) where T : struct
    {
        // The value buffer is sized for every entry; only fully defined entries carry a value.
        var count = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray().Count(d => d == field.MaxDefinitionLevel) : raw.Values.Length;
        return raw.Values[..count].ToArray();
    }

    private static async Task<byte[]> FooterBytesAsync(string fullPath, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var start = await FooterStartAsync(stream, cancellationToken).ConfigureAwait(false);
        var footer = new byte[stream.Length - 8 - start];
        stream.Seek(start, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(footer, cancellationToken).ConfigureAwait(false);
        return footer;
    }

    // A Parquet file ends with the footer, its 4-byte little-endian length and "PAR1".
    private static async Task<long> FooterStartAsync(FileStream stream, CancellationToken cancellationToken)
    {
        var tail = new byte[8];
        stream.Seek(-8, SeekOrigin.End);
        await stream.ReadExactlyAsync(tail, cancellationToken).ConfigureAwait(false);
        return stream.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(tail);
    }
}
