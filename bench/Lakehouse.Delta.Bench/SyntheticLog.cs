using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Bench;

/// <summary>
/// Builds Delta logs of a given shape directly with the log store (no data files: snapshot loading and commit
/// work only touch the log). Every add carries a stats string of the size Spark writes for a 4-column table.
/// </summary>
internal static class SyntheticLog
{
    private static readonly StructType Schema = new(
    [
        new StructField("id", PrimitiveType.Long),
        new StructField("customer", PrimitiveType.String),
        new StructField("amount", new DecimalType(18, 2)),
        new StructField("day", PrimitiveType.Date),
    ]);

    public static AddFile File(long n) => new()
    {
        Path = $"day=2024-01-{n % 28 + 1:D2}/part-{n:D5}-{Guid.NewGuid()}-c000.snappy.parquet",
        PartitionValues = new Dictionary<string, string?> { ["day"] = $"2024-01-{n % 28 + 1:D2}" },
        Size = 1_048_576 + n,
        ModificationTime = 1_700_000_000_000 + n,
        DataChange = true,
        Stats = string.Create(CultureInfo.InvariantCulture,
            $"{{\"numRecords\":10000,\"minValues\":{{\"id\":{n * 10000},\"customer\":\"c-{n:D8}\",\"amount\":0.01}},\"maxValues\":{{\"id\":{n * 10000 + 9999},\"customer\":\"c-{n + 1:D8}\",\"amount\":9999.99}},\"nullCount\":{{\"id\":0,\"customer\":0,\"amount\":3}}}}"),
    };

    /// <summary>
    /// A table whose commit 0 creates it with <paramref name="files"/> files, followed by <paramref name="commits"/> - 1
    /// commits that each replace one file (a remove and an add, as a small MERGE or UPDATE writes), so the number of
    /// active files stays the same however long the log grows. Tombstones are dated 2023, so a checkpoint written now
    /// has expired them, as it would have in a table whose commits span more than the 7-day retention.
    /// </summary>
    public static string Create(string root, int commits, int files, bool checkpoints)
    {
        var path = Path.Combine(root, $"t-{commits}-{files}-{(checkpoints ? "cp" : "json")}");
        var store = new LocalLogStore(path);
        var first = new List<DeltaAction>
        {
            new CommitInfo { Timestamp = 1_700_000_000_000, Operation = "CREATE TABLE" },
            new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 },
            new Metadata { SchemaString = SchemaJson.ToJson(Schema), PartitionColumns = ["day"], CreatedTime = 1_700_000_000_000 },
        };
        var slots = new AddFile[files];
        for (var i = 0; i < files; i++)
        {
            slots[i] = File(i);
            first.Add(slots[i]);
        }

        store.TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit(first));
        for (long v = 1; v < commits; v++)
        {
            var slot = (int)(v % files);
            var removed = RemoveFile.For(slots[slot], deletionTimestamp: 1_700_000_000_000 + v);
            slots[slot] = File(files + v);
            var actions = new DeltaAction[]
            {
                new CommitInfo { Timestamp = 1_700_000_000_000 + v, Operation = "MERGE", ReadVersion = v - 1, IsBlindAppend = false },
                removed,
                slots[slot],
            };
            store.TryCreate(LogFileName.Commit(v), ActionJson.WriteCommit(actions));
        }

        if (checkpoints)
        {
            // A table with the default delta.checkpointInterval (10) has its newest checkpoint at the last multiple of 10;
            // only that one matters to a reader. A one-commit table gets its checkpoint at version 0.
            var last = commits - 1;
            var at = last >= 10 ? last / 10 * 10 : last;
            CheckpointWriter.Write(Snapshot.Load(store, at));
        }

        return path;
    }
}
