using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>Logs that break the protocol's invariants: each load fails with the kind that names the problem and a message that says what to do.</summary>
public sealed class LogErrorTests
{
    private const string Schema = """{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}""";

    [Fact]
    public void Load_CommitMissingInTheMiddle_NonContiguousVersionsNamingTheGap()
    {
        using var dir = new TempDirectory("gap");
        var store = new LocalLogStore(dir.Path);
        store.TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new Protocol(), new Metadata { SchemaString = Schema }]));
        store.TryCreate(LogFileName.Commit(1), ActionJson.WriteCommit([new CommitInfo { Operation = "WRITE" }]));
        store.TryCreate(LogFileName.Commit(3), ActionJson.WriteCommit([new CommitInfo { Operation = "WRITE" }]));

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));

        Assert.Equal(DeltaErrorKind.NonContiguousVersions, e.Kind);
        Assert.Contains("commit 2 is missing", e.Message);
        Assert.Contains("restore the missing commit file", e.Message);
        // Versions before the gap are still whole.
        Assert.Equal(1, Snapshot.Load(dir.Path, 1).Version);
    }

    [Fact]
    public void Load_NoProtocolAction_MissingProtocolWithRemedy()
    {
        using var dir = new TempDirectory("no-protocol");
        new LocalLogStore(dir.Path).TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new Metadata { SchemaString = Schema }]));

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));

        Assert.Equal(DeltaErrorKind.MissingProtocol, e.Kind);
        Assert.Contains("no protocol action", e.Message);
        Assert.Contains("Restore the first commit", e.Message);
    }

    [Fact]
    public void Load_NoMetadataAction_MissingMetadataWithRemedy()
    {
        using var dir = new TempDirectory("no-metadata");
        new LocalLogStore(dir.Path).TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([new Protocol()]));

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));

        Assert.Equal(DeltaErrorKind.MissingMetadata, e.Kind);
        Assert.Contains("no metaData action", e.Message);
        Assert.Contains("Restore the first commit", e.Message);
    }

    [Theory]
    [InlineData(4, 7)]
    [InlineData(1, 8)]
    public void Load_UnknownProtocolVersion_UnsupportedProtocolNamingTheVersion(int reader, int writer)
    {
        using var dir = new TempDirectory("unknown-protocol");
        new LocalLogStore(dir.Path).TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([
            new Protocol { MinReaderVersion = reader, MinWriterVersion = writer },
            new Metadata { SchemaString = Schema },
        ]));

        var e = Assert.Throws<DeltaException>(() => DeltaTable.ForPath(dir.Path).AppendAsync([Writing.TestData.Ids(0, 1)]).GetAwaiter().GetResult());

        Assert.Equal(DeltaErrorKind.UnsupportedProtocol, e.Kind);
        Assert.Contains(reader > 3 ? $"reader version {reader}" : $"writer version {writer}", e.Message);
        Assert.Contains("Apache Spark", e.Message);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "_delta_log")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.parquet"));
    }

    [Fact]
    public void Load_UnknownReaderFeature_UnsupportedProtocolNamingTheFeature()
    {
        using var dir = new TempDirectory("unknown-feature");
        new LocalLogStore(dir.Path).TryCreate(LogFileName.Commit(0), ActionJson.WriteCommit([
            new Protocol { MinReaderVersion = 3, MinWriterVersion = 7, ReaderFeatures = ["futureReaderFeature"], WriterFeatures = ["futureReaderFeature"] },
            new Metadata { SchemaString = Schema },
        ]));

        var e = Assert.Throws<DeltaException>(() => Snapshot.Load(dir.Path));

        Assert.Equal(DeltaErrorKind.UnsupportedProtocol, e.Kind);
        Assert.Contains("futureReaderFeature", e.Message);
        Assert.Contains("Read this table with Apache Spark", e.Message);
    }
}
