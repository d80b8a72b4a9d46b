using System.Text.Json.Nodes;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Tests.Writing;

namespace Lakehouse.Delta.Tests.Maintenance;

public sealed class TimestampTravelTests
{
    private const string TimeTravelTable = "time-travel-start-start20-start40";

    public static TheoryData<long, long?, string?> ConformanceCases()
    {
        var data = new TheoryData<long, long?, string?>();
        foreach (var c in TimestampCheck()["cases"]!.AsArray())
        {
            data.Add(c!["timestampMs"]!.GetValue<long>(), c["version"]?.GetValue<long>(), c["error"]?.GetValue<string>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConformanceCases))]
    public void LoadAtTimestamp_ConformanceCase_MatchesExpected(long timestampMs, long? version, string? error)
    {
        using var table = TableCopy.Of(TimeTravelTable);
        foreach (var (file, mtime) in TimestampCheck()["setLastModifiedMs"]!.AsObject())
        {
            table.SetModified(file, mtime!.GetValue<long>());
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
        if (version is { } expected)
        {
            Assert.Equal(expected, Snapshot.LoadAtTimestamp(table.Path, at).Version);
            return;
        }

        var e = Assert.Throws<DeltaException>(() => Snapshot.LoadAtTimestamp(table.Path, at));
        Assert.Equal(DeltaErrorKind.VersionNotFound, e.Kind);
        Assert.Contains(error == "timestamp-after-latest-commit" ? "after the latest commit" : "before the earliest commit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAtTimestamp_AfterLatest_MessageNamesLatestCommitTime()
    {
        using var table = TableCopy.Of(TimeTravelTable);
        table.SetModified("_delta_log/00000000000000000000.json", 1540415658000);
        table.SetModified("_delta_log/00000000000000000001.json", 1540416858000);
        table.SetModified("_delta_log/00000000000000000002.json", 1540418058000);

        var e = Assert.Throws<DeltaException>(() => Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1540418058001)));

        Assert.Contains("2018-10-24T21:54:18.000Z", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAtTimestamp_EqualFileTimes_LaterCommitCountsOneMillisecondLater()
    {
        using var table = TableCopy.Of(TimeTravelTable);
        foreach (var v in new[] { 0, 1, 2 })
        {
            table.SetModified("_delta_log/" + LogFileName.Commit(v), 1_000_000);
        }

        // Monotonized: v0 = 1 000 000, v1 = 1 000 001, v2 = 1 000 002.
        Assert.Equal(0, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_000_000)).Version);
        Assert.Equal(1, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_000_001)).Version);
        Assert.Equal(2, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_000_002)).Version);
    }

    [Fact]
    public void LoadAtTimestamp_InCommitTimestamps_UsesCommitInfoNotFileTimes()
    {
        using var table = TableCopy.Empty();
        var store = new LocalLogStore(table.Path);
        var metadata = new Metadata
        {
            SchemaString = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}""",
            Configuration = new Dictionary<string, string> { ["delta.enableInCommitTimestamps"] = "true" },
        };
        var protocol = new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = ["inCommitTimestamp"] };
        store.TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new CommitInfo { InCommitTimestamp = 5_000, Operation = "CREATE TABLE" }, protocol, metadata]));
        store.TryCreate(LogFileName.Commit(1), ActionJson.WriteCommit([new CommitInfo { InCommitTimestamp = 9_000, Operation = "WRITE" }]));
        // File times say the opposite order; in-commit timestamps win.
        table.SetModified("_delta_log/" + LogFileName.Commit(0), 50_000);
        table.SetModified("_delta_log/" + LogFileName.Commit(1), 40_000);

        Assert.Equal(0, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(8_999)).Version);
        Assert.Equal(1, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(9_000)).Version);
        Assert.Throws<DeltaException>(() => Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(4_999)));
    }

    [Fact]
    public void LoadAtTimestamp_CommitsBeforeCheckpointCleanedUp_EarliestIsTheCheckpointVersion()
    {
        using var table = TableCopy.Of("basic-with-inserts-deletes-checkpoint");
        for (var v = 0; v <= 13; v++)
        {
            var name = "_delta_log/" + LogFileName.Commit(v);
            if (v < 10)
            {
                File.Delete(Path.Combine(table.Path, name));
            }
            else
            {
                table.SetModified(name, 1_000_000 + (v * 1_000));
            }
        }

        Assert.Equal(10, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_010_500)).Version);
        Assert.Equal(12, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_012_000)).Version);
        var e = Assert.Throws<DeltaException>(() => Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_009_999)));
        Assert.Contains("before the earliest commit", e.Message, StringComparison.Ordinal);
        Assert.Contains("version 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_EnablesInCommitTimestampsOnExistingTable_RecordsEnablementVersionAndTimestamp()
    {
        using var table = TableCopy.Empty();
        var delta = DeltaTable.ForPath(table.Path);
        delta.Create(TestData.IdPartSchema);
        var before = delta.Snapshot();

        var tx = delta.StartTransaction("SET TBLPROPERTIES");
        var enabled = new Dictionary<string, string>(before.Metadata.Configuration) { ["delta.enableInCommitTimestamps"] = "true" };
        tx.SetProtocol(new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = ["inCommitTimestamp"] });
        tx.SetMetadata(before.Metadata with { Configuration = enabled });
        tx.Commit();

        // PROTOCOL.md, In-Commit Timestamps: enablement version = the enabling commit, enablement timestamp = its ICT.
        var after = delta.Snapshot();
        var commitInfo = ActionJson.ParseCommit(File.ReadAllBytes(Path.Combine(table.Path, "_delta_log", LogFileName.Commit(1))), "1")
            .Select(a => a.CommitInfo).First(c => c is not null)!;
        Assert.Equal("1", after.Metadata.Configuration["delta.inCommitTimestampEnablementVersion"]);
        Assert.Equal(commitInfo.InCommitTimestamp!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), after.Metadata.Configuration["delta.inCommitTimestampEnablementTimestamp"]);
    }

    [Fact]
    public void LoadAtTimestamp_InCommitTimestampsEnabledLater_SearchesFileTimesBeforeAndCommitTimestampsAfter()
    {
        using var table = TableCopy.Empty();
        var store = new LocalLogStore(table.Path);
        const string schema = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}""";
        store.TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new CommitInfo { Operation = "CREATE TABLE" },
            new Protocol { MinReaderVersion = 1, MinWriterVersion = 2 }, new Metadata { SchemaString = schema }]));
        store.TryCreate(LogFileName.Commit(1), ActionJson.WriteCommit([new CommitInfo { Operation = "WRITE" }]));
        store.TryCreate(LogFileName.Commit(2), ActionJson.WriteCommit([new CommitInfo { InCommitTimestamp = 10_000, Operation = "SET TBLPROPERTIES" },
            new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = ["inCommitTimestamp"] },
            new Metadata
            {
                SchemaString = schema,
                Configuration = new Dictionary<string, string>
                {
                    ["delta.enableInCommitTimestamps"] = "true",
                    ["delta.inCommitTimestampEnablementVersion"] = "2",
                    ["delta.inCommitTimestampEnablementTimestamp"] = "10000",
                },
            }]));
        store.TryCreate(LogFileName.Commit(3), ActionJson.WriteCommit([new CommitInfo { InCommitTimestamp = 20_000, Operation = "WRITE" }]));
        // File times of versions 0 and 1 lie after the in-commit timestamps (a skewed clock); each clock orders its own side.
        table.SetModified("_delta_log/" + LogFileName.Commit(0), 30_000);
        table.SetModified("_delta_log/" + LogFileName.Commit(1), 40_000);
        table.SetModified("_delta_log/" + LogFileName.Commit(2), 1);
        table.SetModified("_delta_log/" + LogFileName.Commit(3), 1);

        Assert.Equal(2, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(10_000)).Version);
        Assert.Equal(2, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(19_999)).Version);
        Assert.Equal(3, Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(20_000)).Version);
        // Before the enablement timestamp: only versions 0 and 1 (file times 30 000 and 40 000) are candidates.
        Assert.Throws<DeltaException>(() => Snapshot.LoadAtTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(9_999)));
    }

    private static JsonNode TimestampCheck()
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(ConformanceData.Root, "expected.json")))!;
        return expected[TimeTravelTable]!["checks"]!["timestampTravel"]!;
    }
}
