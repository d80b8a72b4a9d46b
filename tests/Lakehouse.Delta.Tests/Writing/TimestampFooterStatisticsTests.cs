using System.Buffers.Binary;
using Apache.Arrow;
using Lakehouse.Delta.Data.Writing;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>
/// The Parquet footer statistics of TIMESTAMP(MICROS) columns in files this library writes: other readers (DuckDB,
/// Spark) prune and fold comparisons with them, so they must be microseconds since the epoch like the values.
/// </summary>
public sealed class TimestampFooterStatisticsTests
{
    private static readonly DateTimeOffset Early = new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990);
    private static readonly DateTimeOffset Late = new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);

    // Microseconds since 1970-01-01T00:00:00Z, from the calendar: days since the epoch times the microseconds of a day, plus the time of day.
    private static long Micros(DateTimeOffset t) =>
        (long)(t.UtcDateTime.Date - new DateTime(1970, 1, 1)).TotalDays * 86_400_000_000L + t.UtcDateTime.TimeOfDay.Ticks / 10;

    private static RecordBatch Batch() => new RecordBatch.Builder()
        .Append("id", false, new Int64Array.Builder().Append(1).Append(2).Append(3).Build())
        .Append("ts", true, new TimestampArray.Builder(TestData.UtcMicros).Append(Late).AppendNull().Append(Early).Build())
        .Build();

    [Fact]
    public async Task AppendAsync_TimestampColumn_FooterMinMaxAreMicroseconds()
    {
        using var dir = new TempDirectory("footer-ts");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(ArrowSchemaMapper.ToDelta(Batch().Schema));
        await table.AppendAsync([Batch()]);

        var (min, max, nulls) = await TimestampStatisticsAsync(Assert.Single(Directory.GetFiles(dir.Path, "*.parquet")));

        Assert.Equal((Micros(Early), Micros(Late), 1L), (min, max, nulls));
    }

    [Fact]
    public async Task DeleteAsync_RewrittenFileWithTimestampColumn_FooterMinMaxAreMicroseconds()
    {
        using var dir = new TempDirectory("footer-ts-delete");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(ArrowSchemaMapper.ToDelta(Batch().Schema));
        await table.AppendAsync([Batch()]);

        await table.DeleteAsync("id = 3");

        var file = Path.Combine(dir.Path, Assert.Single(table.Snapshot().Files).Path);
        var (min, max, nulls) = await TimestampStatisticsAsync(file);
        Assert.Equal((Micros(Late), Micros(Late), 1L), (min, max, nulls));
    }

    private static async Task<(long? Min, long? Max, long? Nulls)> TimestampStatisticsAsync(string file)
    {
        var (_, meta, _) = await ParquetReadBack.ReadAsync(file);
        var chunk = meta.RowGroups.Single().Columns.Single(c => c.MetaData!.PathInSchema.SequenceEqual(["ts"])).MetaData!;
        var s = chunk.Statistics!;
        long? Int64(byte[]? b) => b is null ? null : BinaryPrimitives.ReadInt64LittleEndian(b);
        // The deprecated min/max, when present, must say the same.
        Assert.Equal(s.Min is null ? null : Int64(s.MinValue), Int64(s.Min));
        Assert.Equal(s.Max is null ? null : Int64(s.MaxValue), Int64(s.Max));
        return (Int64(s.MinValue), Int64(s.MaxValue), s.NullCount);
    }
}
