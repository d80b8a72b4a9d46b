using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Checkpoints;

/// <summary><see cref="DeltaTable.Exists"/>: true exactly when <c>_delta_log</c> holds a commit, whatever
/// <c>_last_checkpoint</c> says.</summary>
public class TableExistsTests
{
    [Fact]
    public void Exists_EmptyLogDirectory_IsFalse()
    {
        using var table = TestTable.Empty();

        Assert.False(DeltaTable.ForPath(table.Path).Exists);
    }

    [Fact]
    public void Exists_LastCheckpointWithoutAnyCommit_IsFalse()
    {
        using var table = TestTable.Empty();
        File.WriteAllText(table.Log(LastCheckpoint.FileName), "{\"version\":10,\"size\":3}");

        Assert.False(DeltaTable.ForPath(table.Path).Exists);
    }

    [Fact]
    public void Exists_CommitsAfterACheckpoint_IsTrue()
    {
        using var table = TestTable.Empty();
        Build(table, versions: 13, checkpointAt: 10);

        Assert.True(DeltaTable.ForPath(table.Path).Exists);
    }

    [Fact]
    public void Exists_HintNamesAVersionPastEveryCommit_FallsBackToTheWholeLog()
    {
        using var table = TestTable.Empty();
        Build(table, versions: 3, checkpointAt: null);
        // A stale or foreign hint: no commit at or after version 50.
        File.WriteAllText(table.Log(LastCheckpoint.FileName), "{\"version\":50,\"size\":3}");

        Assert.True(DeltaTable.ForPath(table.Path).Exists);
    }

    [Fact]
    public void Exists_OnlyCommitsBeforeTheHint_IsTrue()
    {
        using var table = TestTable.Empty();
        Build(table, versions: 11, checkpointAt: 10);
        // The checkpoint's own commit and everything after it gone: the earlier commits still make a table.
        File.Delete(table.Log(LogFileName.Commit(10)));

        Assert.True(DeltaTable.ForPath(table.Path).Exists);
    }

    private static void Build(TestTable table, int versions, long? checkpointAt)
    {
        var store = new LocalLogStore(table.Path);
        for (var v = 0L; v < versions; v++)
        {
            List<DeltaAction> actions = v == 0
                ? [new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 }, new Metadata
                {
                    SchemaString = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}",
                    Configuration = new Dictionary<string, string>(),
                }]
                : [new AddFile { Path = $"part-{v}.parquet", Size = v, ModificationTime = v }];
            Assert.True(store.TryCreate(LogFileName.Commit(v), ActionJson.WriteCommit(actions)));
            if (v == checkpointAt)
            {
                CheckpointWriter.Write(Snapshot.Load(table.Path, v), DateTimeOffset.UtcNow);
            }
        }
    }
}
