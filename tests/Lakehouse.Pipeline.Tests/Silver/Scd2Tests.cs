using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Silver;

/// <summary>
/// SCD type 2 silver. Every expected history is written by hand from the definition: a version's interval is
/// [its sequence value, the next kept change's sequence value); a version that changes no tracked column opens no
/// row; a delete closes the open row; the row with no end is the current one. Rows print as
/// <c>key|segment|valid_from|valid_to|is_current</c>, <c>-</c> for a null end.
/// </summary>
public sealed class Scd2Tests
{
    private const string Yaml = """
        name: t
        warehouse: w
        landing: l
        sources:
          - name: customers
            format: json
            path: customers
            business_key: [customer_id]
            sequence: updated_at
            delete_flag: is_deleted
            scd2: true
            clean:
              trim: [segment]
              cast: { updated_at: timestamp, is_deleted: boolean, credit: int }
            expectations:
              - { name: credit_not_negative, condition: "credit >= 0", action: quarantine }
        """;

    private static string C(string id, string segment, string updatedAt, bool deleted = false, int credit = 0) =>
        $"{{\"customer_id\":\"{id}\",\"segment\":\"{segment}\",\"credit\":\"{credit}\",\"updated_at\":\"2026-{updatedAt}:00Z\",\"is_deleted\":\"{(deleted ? "true" : "false")}\"}}\n";

    [Fact]
    public async Task Silver_FirstLoad_OneCurrentRowPerKey()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);

        var report = await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00") + C("2", "corporate", "01-01T11:00"));

        Assert.Equal(2, report.RecordsWritten);
        Assert.Equal(["1|consumer|01-01 10:00|-|true", "2|corporate|01-01 11:00|-|true"], await History(h, config));
    }

    [Fact]
    public async Task Silver_Update_ClosesTheCurrentRowAndOpensTheNewOneInOneCommit()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00") + C("2", "corporate", "01-01T11:00"));
        var before = await Versions(h, config);

        var report = await LoadAsync(h, config, "b2", C("1", "corporate", "01-02T10:00"));

        Assert.Equal(2, report.RecordsWritten); // one row closed (updated), one inserted
        Assert.Equal(before + 1, await Versions(h, config));
        Assert.Equal(
            ["1|consumer|01-01 10:00|01-02 10:00|false", "1|corporate|01-02 10:00|-|true", "2|corporate|01-01 11:00|-|true"],
            await History(h, config));
    }

    [Fact]
    public async Task Silver_TwoUpdatesInOneBatch_BothLandInSequenceOrder()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00"));

        // Written newest first: only the sequence column orders them.
        await LoadAsync(h, config, "b2", C("1", "corporate", "01-03T10:00") + C("1", "small_business", "01-02T10:00"));

        Assert.Equal(
            ["1|consumer|01-01 10:00|01-02 10:00|false", "1|small_business|01-02 10:00|01-03 10:00|false", "1|corporate|01-03 10:00|-|true"],
            await History(h, config));
    }

    [Fact]
    public async Task Silver_LateVersions_AreInsertedInPlaceAndNeverBecomeCurrent()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00"));
        await LoadAsync(h, config, "b2", C("1", "corporate", "01-03T10:00"));

        // One between the two versions, one older than the first.
        await LoadAsync(h, config, "b3", C("1", "small_business", "01-02T10:00") + C("1", "public_sector", "01-01T08:00"));

        Assert.Equal(
            [
                "1|public_sector|01-01 08:00|01-01 10:00|false",
                "1|consumer|01-01 10:00|01-02 10:00|false",
                "1|small_business|01-02 10:00|01-03 10:00|false",
                "1|corporate|01-03 10:00|-|true",
            ],
            await History(h, config));
    }

    [Fact]
    public async Task Silver_LateVersionEqualToTheNext_MovesTheNextRowsStart()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00"));
        await LoadAsync(h, config, "b2", C("1", "corporate", "01-03T10:00"));

        // corporate already from 01-02: the 01-03 version then changes nothing, so the row starts at 01-02.
        await LoadAsync(h, config, "b3", C("1", "corporate", "01-02T10:00"));

        Assert.Equal(["1|consumer|01-01 10:00|01-02 10:00|false", "1|corporate|01-02 10:00|-|true"], await History(h, config));
    }

    [Fact]
    public async Task Silver_ReplayOfTheSameBatch_ChangesNothing()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        var batch = C("1", "consumer", "01-01T10:00") + C("1", "corporate", "01-02T10:00") + C("2", "corporate", "01-01T11:00", deleted: false);
        await LoadAsync(h, config, "b1", batch);
        var expected = await History(h, config);

        var rerun = await h.RunAsync(config, JobKind.Silver, "customers");
        // The same records again in a new file: a new bronze batch whose versions silver has all seen.
        var replay = await LoadAsync(h, config, "b1-again", batch);

        Assert.Equal(0, rerun.RecordsRead);
        Assert.Equal(3, replay.RecordsRead);
        Assert.Equal(0, replay.RecordsWritten);
        Assert.Equal(expected, await History(h, config));
        Assert.Equal(
            ["1|consumer|01-01 10:00|01-02 10:00|false", "1|corporate|01-02 10:00|-|true", "2|corporate|01-01 11:00|-|true"],
            expected);
    }

    [Fact]
    public async Task Silver_Delete_ClosesTheCurrentRowAndKeepsHistory()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00") + C("2", "corporate", "01-01T10:00"));

        await LoadAsync(h, config, "b2", C("1", "consumer", "01-02T10:00", deleted: true));
        var afterDelete = await History(h, config);
        // Late data older than the delete fills history but stays closed by it; a version after the delete reopens the key.
        await LoadAsync(h, config, "b3", C("1", "small_business", "01-01T12:00") + C("2", "corporate", "01-02T10:00", deleted: true));
        await LoadAsync(h, config, "b4", C("2", "corporate", "01-03T10:00"));

        Assert.Equal(["1|consumer|01-01 10:00|01-02 10:00|false", "2|corporate|01-01 10:00|-|true"], afterDelete);
        Assert.Equal(
            [
                "1|consumer|01-01 10:00|01-01 12:00|false",
                "1|small_business|01-01 12:00|01-02 10:00|false",
                "2|corporate|01-01 10:00|01-02 10:00|false",
                "2|corporate|01-03 10:00|-|true",
            ],
            await History(h, config));
    }

    [Fact]
    public async Task Silver_UnchangedVersion_OpensNoRowButIsRemembered()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00"));

        // Only the sequence moved (and the delete flag, which is not tracked, stayed false): no new version.
        var unchanged = await LoadAsync(h, config, "b2", C("1", "consumer", "01-02T10:00"));
        var afterUnchanged = await History(h, config);
        // A late change between the two: the 01-02 version now differs from the one before it, so it opens a row.
        await LoadAsync(h, config, "b3", C("1", "small_business", "01-01T12:00"));

        Assert.Equal(0, unchanged.RecordsWritten);
        Assert.Equal(["1|consumer|01-01 10:00|-|true"], afterUnchanged);
        Assert.Equal(
            ["1|consumer|01-01 10:00|01-01 12:00|false", "1|small_business|01-01 12:00|01-02 10:00|false", "1|consumer|01-02 10:00|-|true"],
            await History(h, config));
    }

    [Fact]
    public async Task Silver_CompositeKey_KeepsAHistoryPerKey()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml.Replace("business_key: [customer_id]", "business_key: [customer_id, segment]", StringComparison.Ordinal));
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00") + C("1", "corporate", "01-01T10:00"));

        // credit is the only tracked column now: it changes for (1, consumer) only; (1, corporate) repeats itself.
        await LoadAsync(h, config, "b2", C("1", "consumer", "01-02T10:00", credit: 5) + C("1", "corporate", "01-02T10:00"));

        Assert.Equal(
            ["1|consumer|01-01 10:00|01-02 10:00|false", "1|consumer|01-02 10:00|-|true", "1|corporate|01-01 10:00|-|true"],
            await History(h, config, "segment"));
    }

    [Fact]
    public async Task Silver_IncrementalBatches_EqualARebuildFromAllFiles()
    {
        string[] batches =
        [
            C("1", "consumer", "01-01T10:00") + C("2", "corporate", "01-01T10:00") + C("3", "consumer", "01-01T10:00"),
            C("1", "corporate", "01-03T10:00") + C("2", "corporate", "01-02T10:00", deleted: true) + C("3", "consumer", "01-02T10:00"),
            C("1", "small_business", "01-02T10:00") + C("2", "consumer", "01-01T12:00") + C("3", "corporate", "01-01T12:00") + C("4", "consumer", "01-02T10:00"),
        ];
        await using var incremental = await PipelineHarness.StartAsync();
        var config = incremental.Config(Yaml);
        for (var i = 0; i < batches.Length; i++)
        {
            await LoadAsync(incremental, config, $"b{i}", batches[i]);
        }

        await using var rebuild = await PipelineHarness.StartAsync();
        var rebuildConfig = rebuild.Config(Yaml);
        for (var i = 0; i < batches.Length; i++)
        {
            rebuild.Land($"customers/b{i}.json", batches[i]);
        }

        await rebuild.RunAsync(rebuildConfig, JobKind.Bronze, "customers");
        await rebuild.RunAsync(rebuildConfig, JobKind.Silver, "customers");

        Assert.Equal(await History(rebuild, rebuildConfig), await History(incremental, config));
    }

    [Fact]
    public async Task Silver_StoppedAfterTheChangesAppend_RerunCompletesTheHistory()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00"));
        await LoadAsync(h, config, "b2", C("1", "corporate", "01-02T10:00") + C("2", "consumer", "01-02T10:00"));
        var expected = await History(h, config);
        var changes = await h.Table(config, "silver.customers_changes").CountAsync();
        // A run that stopped after its changes append and before its MERGE committed: the MERGE's commit file is absent
        // (PROTOCOL.md, Delta Log Entries: a version exists exactly when its commit file does).
        var log = Path.Combine(TableLocations.Path(config, "silver.customers"), "_delta_log");
        File.Delete(Directory.GetFiles(log, "*.json").Order(StringComparer.Ordinal).Last());
        Assert.Equal(["1|consumer|01-01 10:00|-|true"], await History(h, config));

        var rerun = await h.RunAsync(config, JobKind.Silver, "customers");

        Assert.True(rerun.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(2, rerun.RecordsRead);
        Assert.Equal(expected, await History(h, config));
        Assert.Equal(changes, await h.Table(config, "silver.customers_changes").CountAsync());
        Assert.Equal(["1|consumer|01-01 10:00|01-02 10:00|false", "1|corporate|01-02 10:00|-|true", "2|consumer|01-02 10:00|-|true"], expected);
    }

    [Fact]
    public async Task Replay_Scd2Source_MergesReleasedRowsIntoHistory()
    {
        await using var h = await PipelineHarness.StartAsync();
        var strict = h.Config(Yaml);
        await LoadAsync(h, strict, "b1", C("1", "consumer", "01-01T10:00") + C("1", "corporate", "01-03T10:00"));
        var quarantined = await LoadAsync(h, strict, "b2", C("1", "small_business", "01-02T10:00", credit: -5));
        var relaxed = h.Config(Yaml.Replace("credit >= 0", "credit >= -10", StringComparison.Ordinal));

        var report = await h.RunAsync(relaxed, JobKind.Replay, "customers", runId: "replay-run");
        var rerun = await h.RunAsync(relaxed, JobKind.Replay, "customers", runId: "replay-run-2");

        Assert.Equal(1, quarantined.RecordsQuarantined);
        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(2, report.RecordsWritten); // consumer closed at 01-02, small_business inserted
        Assert.Equal(0, rerun.RecordsRead);
        Assert.Equal(
            ["1|consumer|01-01 10:00|01-02 10:00|false", "1|small_business|01-02 10:00|01-03 10:00|false", "1|corporate|01-03 10:00|-|true"],
            await History(h, relaxed));
    }

    [Fact]
    public async Task Silver_NullSequence_IsQuarantined()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);

        var report = await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00") + "{\"customer_id\":\"2\",\"segment\":\"consumer\",\"credit\":\"0\"}\n");

        Assert.Equal(1, report.RecordsQuarantined);
        Assert.Contains(report.Checks, c => c.Check == "sequence_not_null" && c.FailingRows == 1);
        Assert.Equal(["1|consumer|01-01 10:00|-|true"], await History(h, config));
    }

    [Fact]
    public async Task Silver_Scd2SettingChangedOnExistingTable_FailsWithBadInput()
    {
        await using var h = await PipelineHarness.StartAsync();
        await LoadAsync(h, h.Config(Yaml), "b1", C("1", "consumer", "01-01T10:00"));
        var latestOnly = h.Config(Yaml.Replace("scd2: true", "scd2: false", StringComparison.Ordinal));
        h.Land("customers/b2.json", C("1", "corporate", "01-02T10:00"));
        await h.RunAsync(latestOnly, JobKind.Bronze, "customers");

        var report = await h.RunAsync(latestOnly, JobKind.Silver, "customers");

        Assert.Equal(JobStatus.Failed, report.Status);
        Assert.Equal("bad_input", report.ErrorKind);
        Assert.Contains("scd2: false", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silver_ChangesLogMissing_FailsWithBadInputAndKeepsHistory()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await LoadAsync(h, config, "b1", C("1", "consumer", "01-01T10:00"));
        Directory.Delete(TableLocations.Path(config, "silver.customers_changes"), recursive: true);
        h.Land("customers/b2.json", C("1", "corporate", "01-02T10:00"));
        await h.RunAsync(config, JobKind.Bronze, "customers");

        var report = await h.RunAsync(config, JobKind.Silver, "customers");

        Assert.Equal("bad_input", report.ErrorKind);
        Assert.Contains("silver.customers_changes is missing", report.Error, StringComparison.Ordinal);
        Assert.Equal(["1|consumer|01-01 10:00|-|true"], await History(h, config));
    }

    [Fact]
    public void Parse_Scd2WithoutSequence_IsAConfigError()
    {
        var yaml = Yaml.Replace("    sequence: updated_at\n", "", StringComparison.Ordinal);

        var e = Assert.Throws<PipelineConfigException>(() => PipelineConfigLoader.Parse(yaml, "/tmp", [], "lakehouse.yaml"));

        Assert.Contains("sources.customers.scd2", e.Message, StringComparison.Ordinal);
    }

    private static async Task<JobRunReport> LoadAsync(PipelineHarness h, PipelineConfig config, string file, string lines)
    {
        h.Land($"customers/{file}.json", lines);
        var bronze = await h.RunAsync(config, JobKind.Bronze, "customers");
        Assert.True(bronze.Status == JobStatus.Succeeded, h.Logs.ToString());
        var silver = await h.RunAsync(config, JobKind.Silver, "customers");
        Assert.True(silver.Status == JobStatus.Succeeded, h.Logs.ToString());
        return silver;
    }

    private static async Task<long> Versions(PipelineHarness h, PipelineConfig config) =>
        (await Spark.Delta.DeltaTable.ForPath(h.Spark, TableLocations.Path(config, "silver.customers")).History(1).Select("version").CollectAsync())[0].Get<long>("version");

    private static async Task<List<string>> History(PipelineHarness h, PipelineConfig config, string? thenBy = null)
    {
        var rows = await h.Table(config, "silver.customers")
            .Select(
                Col("customer_id"),
                Col("segment"),
                DateFormat(Col("valid_from"), "MM-dd HH:mm").Alias("f"),
                Coalesce(DateFormat(Col("valid_to"), "MM-dd HH:mm"), Lit("-")).Alias("t"),
                Col("is_current").Cast("string").Alias("c"),
                Col("valid_from"))
            .OrderBy(thenBy is null ? [Col("customer_id"), Col("valid_from")] : [Col("customer_id"), Col(thenBy), Col("valid_from")])
            .CollectAsync();
        return rows.Select(r => $"{r.Get<string>("customer_id")}|{r.Get<string>("segment")}|{r.Get<string>("f")}|{r.Get<string>("t")}|{r.Get<string>("c")}").ToList();
    }
}
