using System.Text.Json.Nodes;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Maintenance;

public sealed class RestoreTests
{
    private const string SparkRestored = "basic-with-inserts-overwrite-restore";

    /// <summary>The Spark table as it was before Spark restored it: versions 0–2 (append, append, overwrite).</summary>
    private static TableCopy SparkTableBeforeRestore()
    {
        var table = TableCopy.Of(SparkRestored);
        var log = Path.Combine(table.Path, "_delta_log");
        foreach (var name in new[] { "00000000000000000003.json", "00000000000000000003.checkpoint.parquet", "_last_checkpoint" })
        {
            File.Delete(Path.Combine(log, name));
        }

        return table;
    }

    [Fact]
    public void ToVersion_SparkTable_CommitsWhatSparkRestoreCommitted()
    {
        using var table = SparkTableBeforeRestore();
        var spark = File.ReadLines(Path.Combine(ConformanceData.Root, "tables", SparkRestored, "_delta_log", "00000000000000000003.json"))
            .Select(l => JsonNode.Parse(l)!).ToList();

        var result = Restore.ToVersion(table.Path, 1);

        Assert.Equal(3, result.Version);
        var ours = File.ReadLines(Path.Combine(table.Path, "_delta_log", "00000000000000000003.json")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Paths(spark, "add"), Paths(ours, "add"));
        Assert.Equal(Paths(spark, "remove"), Paths(ours, "remove"));
        Assert.All(ours.Where(a => a["add"] is not null || a["remove"] is not null), a => Assert.True((a["add"] ?? a["remove"])!["dataChange"]!.GetValue<bool>()));
        var sparkInfo = spark.First(a => a["commitInfo"] is not null)["commitInfo"]!;
        var ourInfo = ours.First(a => a["commitInfo"] is not null)["commitInfo"]!;
        Assert.Equal("RESTORE", ourInfo["operation"]!.GetValue<string>());
        Assert.Equal("1", ourInfo["operationParameters"]!["version"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(sparkInfo["operationMetrics"], ourInfo["operationMetrics"]), ourInfo["operationMetrics"]!.ToJsonString());
    }

    [Fact]
    public void ToVersion_SparkTable_SnapshotFilesEqualTargetVersion()
    {
        using var table = SparkTableBeforeRestore();

        Restore.ToVersion(table.Path, 0);

        var restored = Snapshot.Load(table.Path);
        Assert.Equal(3, restored.Version);
        Assert.Equal(Snapshot.Load(table.Path, 0).Files.Select(f => f.Path).Order(), restored.Files.Select(f => f.Path).Order());
    }

    [Fact]
    public void ToVersion_TargetFileVacuumed_FailsWithDataFileNotFoundAndCommitsNothing()
    {
        using var table = SparkTableBeforeRestore();
        var gone = Snapshot.Load(table.Path, 0).Files.First();
        File.Delete(TablePaths.ResolveDataFile(table.Path, gone.Path));

        var e = Assert.Throws<DeltaException>(() => Restore.ToVersion(table.Path, 0));

        Assert.Equal(DeltaErrorKind.DataFileNotFound, e.Kind);
        Assert.Contains(gone.Path, e.Message, StringComparison.Ordinal);
        Assert.Equal(2, Snapshot.Load(table.Path).Version);
    }

    [Fact]
    public void ToVersion_MetadataChangedSince_RestoresTargetMetadata()
    {
        using var table = TableCopy.Empty();
        var store = new LocalLogStore(table.Path);
        var v0 = new Metadata { SchemaString = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}""" };
        var v1 = v0 with { SchemaString = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"x","type":"string","nullable":true,"metadata":{}}]}""" };
        store.TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new CommitInfo { Operation = "CREATE TABLE" }, new Protocol(), v0]));
        store.TryCreate(LogFileName.Commit(1), ActionJson.WriteCommit([new CommitInfo { Operation = "ADD COLUMNS" }, v1]));

        var result = Restore.ToVersion(table.Path, 0);

        Assert.Equal(2, result.Version);
        Assert.Equal(0, result.NumRestoredFiles);
        Assert.Equal(["id"], Snapshot.Load(table.Path).Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public void ToTimestamp_SparkTable_RestoresVersionCurrentAtThatTime()
    {
        using var table = SparkTableBeforeRestore();
        for (var v = 0; v <= 2; v++)
        {
            table.SetModified("_delta_log/" + LogFileName.Commit(v), 1_700_000_000_000 + (v * 60_000));
        }

        var result = Restore.ToTimestamp(table.Path, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_090_000));

        Assert.Equal(1, result.RestoredVersion);
        Assert.Equal(Snapshot.Load(table.Path, 1).Files.Select(f => f.Path).Order(), Snapshot.Load(table.Path).Files.Select(f => f.Path).Order());
        Assert.Equal("RESTORE", TableHistory.Read(table.Path, limit: 1).Single().Operation);
    }

    private static List<string> Paths(IEnumerable<JsonNode> actions, string kind) =>
        actions.Where(a => a[kind] is not null).Select(a => a[kind]!["path"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
}
