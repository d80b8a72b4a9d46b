using Lakehouse.Delta.Actions;
using Lakehouse.Delta.TableFeatures;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>
/// The protocol a table with <c>delta.enableChangeDataFeed=true</c> gets (PROTOCOL.md, Writer Version Requirements:
/// writer version 4 brings the change data feed; at writer version 7 the <c>changeDataFeed</c> writer feature), on
/// creation and when the property is set later, and the <c>cdc</c> actions a transaction records.
/// </summary>
public sealed class ChangeDataFeedProtocolTests
{
    private static readonly Dictionary<string, string> FeedOn = new() { ["delta.enableChangeDataFeed"] = "true" };

    [Fact]
    public void Create_FeedOn_WriterVersionFour()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: FeedOn);

        var snapshot = table.Snapshot();
        Assert.Equal((1, 4, null), (snapshot.Protocol.MinReaderVersion, snapshot.Protocol.MinWriterVersion, snapshot.Protocol.WriterFeatures));
        Assert.True(TableFeatureSupport.WritesChangeData(snapshot.Protocol, snapshot.Metadata));
    }

    [Fact]
    public void Create_FeedAndDeletionVectors_FeatureInTheWriterList()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string>(FeedOn) { ["delta.enableDeletionVectors"] = "true" });

        var protocol = table.Snapshot().Protocol;
        Assert.Equal((3, 7), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.Equal(["appendOnly", "invariants", "changeDataFeed", "deletionVectors"], protocol.WriterFeatures!);
        Assert.Equal(["deletionVectors"], protocol.ReaderFeatures!);
    }

    [Fact]
    public void SetProperties_FeedOnLegacyTable_RaisesTheWriterVersionToFour()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        Assert.False(TableFeatureSupport.WritesChangeData(table.Snapshot().Protocol, table.Snapshot().Metadata));

        var version = table.SetProperties(FeedOn).Version;

        var protocol = Assert.Single(TestData.Commit(dir.Path, version), a => a.Protocol is not null).Protocol!;
        Assert.Equal((1, 4), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.True(TableFeatureSupport.WritesChangeData(table.Snapshot().Protocol, table.Snapshot().Metadata));
        // Writer 4 already carries the feed: turning it off and on again changes only the metadata.
        Assert.DoesNotContain(TestData.Commit(dir.Path, table.SetProperties(new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "false" }).Version), a => a.Protocol is not null);
        Assert.False(TableFeatureSupport.WritesChangeData(table.Snapshot().Protocol, table.Snapshot().Metadata));
    }

    [Fact]
    public void SetProperties_FeedOnWriterSevenTable_AddsTheFeatureKeepingTheOthers()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.enableDeletionVectors"] = "true" });

        var version = table.SetProperties(FeedOn).Version;

        var protocol = Assert.Single(TestData.Commit(dir.Path, version), a => a.Protocol is not null).Protocol!;
        Assert.Equal((3, 7), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.Equal(["deletionVectors"], protocol.ReaderFeatures!);
        Assert.Equal(["appendOnly", "invariants", "deletionVectors", "changeDataFeed"], protocol.WriterFeatures!);
    }

    [Fact]
    public void SetProperties_FeedAndDeletionVectorsOnLegacyTable_OneUpgradeWithBothFeatures()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);

        table.SetProperties(new Dictionary<string, string>(FeedOn) { ["delta.enableDeletionVectors"] = "true" });

        var protocol = table.Snapshot().Protocol;
        Assert.Equal((3, 7), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.Equal(["appendOnly", "invariants", "changeDataFeed", "deletionVectors"], protocol.WriterFeatures!);
    }

    [Fact]
    public void Validate_WriterSevenWithoutTheFeature_PropertyAloneAsksForNoChangeData()
    {
        // PROTOCOL.md, Writer Requirements for AddCDCFile: at writer version 7 the property binds writers only when the
        // feature is in the protocol.
        var protocol = new Protocol { MinReaderVersion = 1, MinWriterVersion = 7, WriterFeatures = ["appendOnly", "invariants"] };
        var metadata = new Metadata { SchemaString = "{\"type\":\"struct\",\"fields\":[]}", Configuration = FeedOn };
        Assert.False(TableFeatureSupport.WritesChangeData(protocol, metadata));
        Assert.True(TableFeatureSupport.WritesChangeData(protocol with { WriterFeatures = ["appendOnly", "invariants", "changeDataFeed"] }, metadata));
    }

    [Fact]
    public async Task Commit_AddChangeData_WritesCdcActionsWithDataChangeFalse()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, partitionColumns: ["part"], properties: FeedOn);
        await table.AppendAsync([TestData.Ids(0, 3, "x")]);
        var snapshot = table.Snapshot();

        var txn = Transaction.Start(snapshot, "DELETE");
        txn.Remove(Assert.Single(snapshot.Files));
        txn.AddChangeData(new Cdc { Path = "_change_data/part=x/cdc-1.parquet", PartitionValues = new Dictionary<string, string?> { ["part"] = "x" }, Size = 7, DataChange = true });
        var version = txn.Commit().Version;

        var cdc = Assert.Single(TestData.Commit(dir.Path, version), a => a.Cdc is not null).Cdc!;
        Assert.Equal(("_change_data/part=x/cdc-1.parquet", "x", 7L, false), (cdc.Path, cdc.PartitionValues["part"], cdc.Size, cdc.DataChange));
        Assert.Empty(table.Snapshot().Files);
    }

    [Fact]
    public async Task Commit_ChangeDataWithWrongPartitionValues_IsRejected()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, partitionColumns: ["part"], properties: FeedOn);
        await table.AppendAsync([TestData.Ids(0, 3, "x")]);

        var txn = Transaction.Start(table.Snapshot(), "DELETE");
        txn.AddChangeData(new Cdc { Path = "_change_data/cdc-1.parquet", Size = 7 });
        Assert.Throws<ArgumentException>(() => txn.Commit());
    }

    [Fact]
    public async Task DeleteAsync_FeedOn_RefusesBecauseItWritesNoChangeData()
    {
        using var dir = new TempDirectory("cdf-protocol");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: FeedOn);
        await table.AppendAsync([TestData.Ids(0, 3)]);

        var e = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteAsync("id = 1"));
        Assert.Equal(DeltaErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("delta.enableChangeDataFeed", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, TestData.RowCount(table.Snapshot()));
    }
}
