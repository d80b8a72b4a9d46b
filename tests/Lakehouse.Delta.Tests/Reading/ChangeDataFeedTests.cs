using Lakehouse.Delta.Actions;
using Lakehouse.Delta.ChangeData;
using Lakehouse.Delta.Checkpoints;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>
/// <see cref="ChangeDataFeed"/> reads only the log: these logs are written by hand, action by action, and the files
/// their actions name need not exist. Each expectation follows from PROTOCOL.md, Change Data Files.
/// </summary>
public sealed class ChangeDataFeedTests
{
    private static readonly Dictionary<string, string> FeedOn = new() { ["delta.enableChangeDataFeed"] = "true" };

    private static Metadata Meta(Dictionary<string, string> configuration) => new()
    {
        Id = "t",
        SchemaString = SchemaJson.ToJson(new StructType([new StructField("id", PrimitiveType.Long)])),
        Configuration = configuration,
    };

    private static AddFile Add(string path, bool dataChange = true) => new() { Path = path, Size = 1, DataChange = dataChange };

    private static void Commit(ILogStore store, long version, params DeltaAction[] actions) =>
        Assert.True(store.TryCreate(LogFileName.Commit(version), ActionJson.WriteCommit([new CommitInfo { Operation = "TEST" }, .. actions])));

    private static string Describe(CommitChanges c) =>
        $"{c.Version}:" + string.Join(",", c.Files.Select(f => $"{f.Kind}({f.Path}{(f.DeletionVector is null ? "" : "+dv")})"));

    /// <summary>v1 adds a; v2 compacts a into b (dataChange = false); v3 has a cdc file beside its add and remove; v4
    /// removes b and adds c; v5 only changes a property.</summary>
    private static LocalLogStore Log(string path)
    {
        var store = new LocalLogStore(path);
        Commit(store, 0, new Protocol { MinReaderVersion = 1, MinWriterVersion = 4 }, Meta(FeedOn));
        Commit(store, 1, Add("a"));
        Commit(store, 2, RemoveFile.For(Add("a"), 0, dataChange: false), Add("b", dataChange: false));
        Commit(store, 3, new DeltaAction { Cdc = new Cdc { Path = "_change_data/x", Size = 1 } }, RemoveFile.For(Add("b"), 0), Add("b2"));
        Commit(store, 4, RemoveFile.For(Add("b2"), 0), Add("c"));
        Commit(store, 5, Meta(new Dictionary<string, string>(FeedOn) { ["user.note"] = "x" }));
        return store;
    }

    [Fact]
    public void Read_EachKindOfCommit_ItsChangeFilesOnly()
    {
        using var dir = new TempDirectory("cdf");
        var store = Log(dir.Path);

        var changes = ChangeDataFeed.Read(store, 1);

        Assert.Equal((1L, 5L), (changes.StartVersion, changes.EndVersion));
        Assert.Equal(
            ["1:Added(a)", "2:", "3:ChangeData(_change_data/x)", "4:Removed(b2),Added(c)", "5:"],
            changes.Commits.Select(Describe));
        Assert.Equal("x", changes.Metadata.Configuration["user.note"]);
        Assert.Equal(["delete", "insert"], changes.Commits[3].Files.Select(f => f.ChangeType));
    }

    [Fact]
    public void Read_AfterLogCleanup_CommitsStillThereReadAndEarlierOnesAreNotFound()
    {
        using var dir = new TempDirectory("cdf");
        var store = Log(dir.Path);
        CheckpointWriter.Write(Snapshot.Load(store, 3), DateTimeOffset.UtcNow);
        foreach (var v in new[] { 0, 1, 2 })
        {
            store.Delete(LogFileName.Commit(v));
        }

        var e = Assert.Throws<DeltaException>(() => ChangeDataFeed.Read(store, 2));

        Assert.Equal(DeltaErrorKind.VersionNotFound, e.Kind);
        Assert.Contains("Start at version 3", e.Message, StringComparison.Ordinal);
        Assert.Equal(["3:ChangeData(_change_data/x)", "4:Removed(b2),Added(c)"], ChangeDataFeed.Read(store, 3, 4).Commits.Select(Describe));
    }

    [Fact]
    public void Read_FeedTurnedOffByACommitInTheRange_RefusedAtThatVersion()
    {
        using var dir = new TempDirectory("cdf");
        var store = Log(dir.Path);
        Commit(store, 6, Meta([]));
        Commit(store, 7, Add("d"));

        var e = Assert.Throws<DeltaException>(() => ChangeDataFeed.Read(store, 4, 7));

        Assert.Equal(DeltaErrorKind.ChangeDataNotRecorded, e.Kind);
        Assert.Contains("at version 6 ", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, ChangeDataFeed.Read(store, 4, 5).Commits.Count);
    }
}
