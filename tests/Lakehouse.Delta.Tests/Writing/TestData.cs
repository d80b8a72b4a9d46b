using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Actions;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Small Arrow batches and log helpers for the writing tests.</summary>
internal static class TestData
{
    public static RecordBatch Ids(long from, int count, string? part = null)
    {
        var ids = new Int64Array.Builder();
        var parts = new StringArray.Builder();
        for (var i = 0; i < count; i++)
        {
            ids.Append(from + i);
            parts.Append(part ?? "p");
        }

        return new RecordBatch.Builder().Append("id", false, ids.Build()).Append("part", true, parts.Build()).Build();
    }

    public static Schema.StructType IdPartSchema { get; } = new([
        new Schema.StructField("id", Schema.PrimitiveType.Long, false),
        new Schema.StructField("part", Schema.PrimitiveType.String),
    ]);

    public static List<DeltaAction> Commit(string table, long version) =>
        ActionJson.ParseCommit(File.ReadAllBytes(Path.Combine(table, "_delta_log", $"{version:D20}.json")), "test");

    public static long RowCount(Snapshots.Snapshot snapshot) =>
        snapshot.Files.Sum(f => System.Text.Json.JsonDocument.Parse(f.Stats!).RootElement.GetProperty("numRecords").GetInt64());

    public static TimestampType UtcMicros { get; } = new(TimeUnit.Microsecond, "UTC");
}
