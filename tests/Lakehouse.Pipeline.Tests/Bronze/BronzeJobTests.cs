using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Bronze;

public sealed class BronzeJobTests
{
    private const string Yaml = """
        name: t
        warehouse: w
        landing: l
        sources:
          - { name: orders, format: json, path: orders, business_key: [order_id] }
          - { name: items, format: parquet, path: items, business_key: [id] }
        """;

    private static readonly DataInterval Interval = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-01T04:00:00Z"));

    [Fact]
    public async Task Run_NewFiles_AppendsThemWithMetadataColumns()
    {
        await using var h = await PipelineHarness.StartAsync();
        var file = h.Land("orders/a.json", "{\"order_id\":\"1\",\"amount\":5}\n{\"order_id\":\"2\",\"amount\":6}\n");
        var config = h.Config(Yaml);

        var report = await h.RunAsync(config, JobKind.Bronze, "orders", Interval);

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(2, report.RecordsWritten);
        var rows = await h.Table(config, "bronze.orders").OrderBy("order_id").CollectAsync();
        Assert.Equal(["1", "2"], rows.Select(r => r.Get<string>("order_id")));
        Assert.All(rows, r => Assert.Equal("orders", r.Get<string>(BronzeColumns.SourceName)));
        Assert.All(rows, r => Assert.Equal(file, EnginePaths.Normalize(r.Get<string>(BronzeColumns.SourceFile)!)));
        Assert.All(rows, r => Assert.Equal(Interval.End.ToUnixTimeSeconds(), r.Get<long>(BronzeColumns.BatchId)));
        Assert.All(rows, r => Assert.Null(r[BronzeColumns.RescuedData]));
    }

    [Fact]
    public async Task Run_SameIntervalAgain_AddsNothing()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/a.json", "{\"order_id\":\"1\"}\n");
        var config = h.Config(Yaml);
        await h.RunAsync(config, JobKind.Bronze, "orders", Interval);

        var again = await h.RunAsync(config, JobKind.Bronze, "orders", Interval);

        Assert.Equal(JobStatus.Succeeded, again.Status);
        Assert.Equal(0, again.RecordsWritten);
        Assert.Equal(1, await h.Table(config, "bronze.orders").CountAsync());
        Assert.Equal(1, await h.Table(config, TableLocations.Manifest).CountAsync());
    }

    [Fact]
    public async Task Run_AfterCrashBetweenDataCommitAndManifest_CompletesManifestWithoutDuplicates()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/a.json", "{\"order_id\":\"1\"}\n{\"order_id\":\"2\"}\n");
        var config = h.Config(Yaml);
        await h.RunAsync(config, JobKind.Bronze, "orders");
        // The manifest commit never happened: what a process killed right after the data commit leaves behind.
        Directory.Delete(TableLocations.Path(config, TableLocations.Manifest), recursive: true);

        var rerun = await h.RunAsync(config, JobKind.Bronze, "orders");
        var third = await h.RunAsync(config, JobKind.Bronze, "orders");

        Assert.True(rerun.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(2, await h.Table(config, "bronze.orders").CountAsync());
        var manifest = await h.Table(config, TableLocations.Manifest).CollectAsync();
        Assert.Equal("ingested", Assert.Single(manifest).Get<string>("status"));
        Assert.Equal(0, third.RecordsWritten);
        Assert.Equal(2, await h.Table(config, "bronze.orders").CountAsync());
    }

    [Fact]
    public async Task Run_LaterFiles_GetANewLargerBatch()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/a.json", "{\"order_id\":\"1\"}\n");
        var config = h.Config(Yaml);
        await h.RunAsync(config, JobKind.Bronze, "orders");
        h.Land("orders/b.json", "{\"order_id\":\"2\",\"note\":\"new column\"}\n");

        var second = await h.RunAsync(config, JobKind.Bronze, "orders");

        Assert.Equal(1, second.RecordsWritten);
        var rows = await h.Table(config, "bronze.orders").OrderBy("order_id").CollectAsync();
        Assert.Equal([1L, 2L], rows.Select(r => r.Get<long>(BronzeColumns.BatchId)));
        Assert.Equal([null, "new column"], rows.Select(r => r.Get<string>("note")));
    }

    [Fact]
    public async Task Run_MalformedLines_AreKeptInTheRescueColumnAndCounted()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Land("orders/a.json", "{\"order_id\":\"1\"}\n{not json at all\n{\"order_id\":\"3\"}\n");
        var config = h.Config(Yaml);

        var report = await h.RunAsync(config, JobKind.Bronze, "orders");

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(3, report.RecordsWritten);
        Assert.Equal(1, report.RecordsRescued);
        var rescued = await h.Table(config, "bronze.orders").Filter(Col(BronzeColumns.RescuedData).IsNotNull()).CollectAsync();
        Assert.Equal("{not json at all", Assert.Single(rescued).Get<string>(BronzeColumns.RescuedData));
    }

    [Fact]
    public async Task Run_UnreadableFile_IsRecordedAsFailedAndTheOthersIngest()
    {
        await using var h = await PipelineHarness.StartAsync();
        var itemsDir = Path.Combine(h.Landing, "items");
        await h.Spark.Range(0, 3).WithColumnRenamed("id", "id").Write.Format("parquet").Mode("overwrite").SaveAsync(Path.Combine(itemsDir, "good"));
        h.Land("items/bad.parquet", "this is not parquet");
        var config = h.Config(Yaml);

        var report = await h.RunAsync(config, JobKind.Bronze, "items");

        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(3, await h.Table(config, "bronze.items").CountAsync());
        var failed = await h.Table(config, TableLocations.Manifest).Filter(Col("status") == Lit("failed")).CollectAsync();
        var row = Assert.Single(failed);
        Assert.EndsWith("bad.parquet", row.Get<string>("path"));
        Assert.False(string.IsNullOrEmpty(row.Get<string>("error")));
        Assert.Contains(report.Checks, c => c.Check == "readable_files" && !c.Passed && c.FailingRows == 1);
    }

    [Fact]
    public async Task Run_MissingLandingPath_IsBadInput()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);

        var report = await h.RunAsync(config, JobKind.Bronze, "orders");

        Assert.Equal(JobStatus.Failed, report.Status);
        Assert.Equal(JobExitCodes.BadInput, JobExitCodes.For(report));
        Assert.Contains("sources.orders.path", report.Error);
    }
}
