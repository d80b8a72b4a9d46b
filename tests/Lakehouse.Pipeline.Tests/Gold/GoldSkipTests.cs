using System.Globalization;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Pipeline.Tests.Reference;
using Lakehouse.Pipeline.Tests.Support;
using Lakehouse.Spark.Delta;

namespace Lakehouse.Pipeline.Tests.Gold;

/// <summary>
/// When the gold job may skip a model ("inputs unchanged, not rebuilt"): only when the inputs' versions, those versions'
/// commit times, the model code and the settings (session time zone, the inputs' key and cleaning config) all match
/// the newest gold commit. Expected rows are computed here from the landed orders, per time zone, in plain C#.
/// </summary>
public sealed class GoldSkipTests
{
    private const string TimeZoneConf = "spark.sql.session.timeZone";

    private const string Yaml = """
        name: t
        warehouse: w
        landing: l
        sources:
          - name: orders
            format: json
            path: orders
            schema: "order_id STRING, customer_id STRING, amount STRING, status STRING, order_ts STRING, updated_at STRING"
            business_key: [order_id]
            sequence: updated_at
            clean:
              trim: [order_id, customer_id, status]
              lower: [status]
              cast: { amount: "decimal(12,2)", order_ts: timestamp, updated_at: timestamp }
        checks:
          silver.orders:
            - { name: order_id_unique, type: unique, columns: [order_id], severity: critical }
        gold:
          - { name: daily_revenue, inputs: [silver.orders] }
        """;

    private sealed record LandedOrder(string Id, string Customer, decimal Amount, string Status, DateTimeOffset At);

    // Orders near midnight UTC, so UTC and New York give different days.
    private static readonly LandedOrder[] First =
    [
        new("O1", "C1", 10.00m, "placed", At(2026, 2, 10, 23, 30)),
        new("O2", "C2", 5.50m, " Shipped ", At(2026, 2, 11, 2, 0)),
        new("O3", "C1", 7.25m, "delivered", At(2026, 2, 11, 12, 0)),
        new("O4", "C3", 100.00m, "cancelled", At(2026, 2, 11, 13, 0)),
    ];

    private static readonly LandedOrder[] Second =
    [
        new("O5", "C4", 20.00m, "placed", At(2026, 2, 12, 3, 0)),
        new("O6", "C2", 1.25m, "placed", At(2026, 2, 10, 4, 0)),
    ];

    [Fact]
    public async Task Gold_NothingChanged_NotRebuilt()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await h.Spark.Conf.SetAsync(TimeZoneConf, "UTC");
        await LoadAsync(h, config, "b1", First);
        await GoldAsync(h, config);
        var built = await VersionAsync(h, config, "gold.daily_revenue");

        var report = await GoldAsync(h, config);

        Assert.Equal(0, report.RecordsWritten);
        Assert.Equal(built, await VersionAsync(h, config, "gold.daily_revenue"));
        ReferenceAssert.DailyRevenueEqual(Expected(First, "UTC"), await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Gold_SessionTimeZoneChanged_RebuiltWithTheNewZonesDays()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await h.Spark.Conf.SetAsync(TimeZoneConf, "UTC");
        await LoadAsync(h, config, "b1", First);
        await GoldAsync(h, config);
        ReferenceAssert.DailyRevenueEqual(Expected(First, "UTC"), await h.Table(config, "gold.daily_revenue").CollectAsync());
        var built = await VersionAsync(h, config, "gold.daily_revenue");

        await h.Spark.Conf.SetAsync(TimeZoneConf, "America/New_York");
        var report = await GoldAsync(h, config);

        Assert.Equal(built + 1, await VersionAsync(h, config, "gold.daily_revenue"));
        var expected = Expected(First, "America/New_York");
        Assert.Equal(expected.Count, report.RecordsWritten);
        ReferenceAssert.DailyRevenueEqual(expected, await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Gold_CleaningRuleChanged_Rebuilt()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await h.Spark.Conf.SetAsync(TimeZoneConf, "UTC");
        await LoadAsync(h, config, "b1", First);
        await GoldAsync(h, config);
        var built = await VersionAsync(h, config, "gold.daily_revenue");
        var silver = await VersionAsync(h, config, "silver.orders");

        var trimMore = h.Config(Yaml.Replace("trim: [order_id, customer_id, status]", "trim: [order_id, customer_id, status, amount]", StringComparison.Ordinal));
        var report = await GoldAsync(h, trimMore);

        Assert.Equal(silver, await VersionAsync(h, config, "silver.orders"));
        Assert.Equal(built + 1, await VersionAsync(h, config, "gold.daily_revenue"));
        var expected = Expected(First, "UTC");
        Assert.Equal(expected.Count, report.RecordsWritten);
        ReferenceAssert.DailyRevenueEqual(expected, await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    [Fact]
    public async Task Gold_SilverRebuiltToTheRecordedVersionNumber_RebuiltFromTheNewTable()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(Yaml);
        await h.Spark.Conf.SetAsync(TimeZoneConf, "UTC");
        await LoadAsync(h, config, "b1", First);
        await GoldAsync(h, config);
        var silver = await VersionAsync(h, config, "silver.orders");
        var built = await VersionAsync(h, config, "gold.daily_revenue");

        // New orders reach bronze; silver is deleted and rebuilt from all of bronze in as many commits as before.
        h.Land("orders/b2.json", Lines(Second));
        Assert.True((await h.RunAsync(config, JobKind.Bronze, "orders")).Status == JobStatus.Succeeded, h.Logs.ToString());
        Directory.Delete(TableLocations.Path(config, "silver.orders"), recursive: true);
        Assert.True((await h.RunAsync(config, JobKind.Silver, "orders")).Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.True((await h.RunAsync(config, JobKind.Quality, "silver.orders")).Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.Equal(silver, await VersionAsync(h, config, "silver.orders"));

        var report = await GoldAsync(h, config);

        Assert.Equal(built + 1, await VersionAsync(h, config, "gold.daily_revenue"));
        var expected = Expected([.. First, .. Second], "UTC");
        Assert.Equal(expected.Count, report.RecordsWritten);
        ReferenceAssert.DailyRevenueEqual(expected, await h.Table(config, "gold.daily_revenue").CollectAsync());
    }

    /// <summary>daily_revenue by definition: orders not cancelled or returned (status trimmed and lower-cased, as the
    /// source cleans it), grouped by the date of <c>order_ts</c> in <paramref name="zone"/>.</summary>
    private static List<RefDailyRevenue> Expected(IEnumerable<LandedOrder> orders, string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return [.. orders
            .Where(o => o.Status.Trim().ToLowerInvariant() is not ("cancelled" or "returned"))
            .GroupBy(o => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(o.At, tz).DateTime))
            .OrderBy(g => g.Key)
            .Select(g => new RefDailyRevenue(g.Key, g.Sum(o => o.Amount), g.Count(), g.Select(o => o.Customer).Distinct().Count()))];
    }

    private static async Task LoadAsync(PipelineHarness h, PipelineConfig config, string file, IEnumerable<LandedOrder> orders)
    {
        h.Land($"orders/{file}.json", Lines(orders));
        Assert.True((await h.RunAsync(config, JobKind.Bronze, "orders")).Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.True((await h.RunAsync(config, JobKind.Silver, "orders")).Status == JobStatus.Succeeded, h.Logs.ToString());
        Assert.True((await h.RunAsync(config, JobKind.Quality, "silver.orders")).Status == JobStatus.Succeeded, h.Logs.ToString());
    }

    private static async Task<JobRunReport> GoldAsync(PipelineHarness h, PipelineConfig config)
    {
        var report = await h.RunAsync(config, JobKind.Gold, "daily_revenue");
        Assert.True(report.Status == JobStatus.Succeeded, h.Logs.ToString());
        return report;
    }

    private static string Lines(IEnumerable<LandedOrder> orders) => string.Concat(orders.Select(o =>
        $"{{\"order_id\":\"{o.Id}\",\"customer_id\":\"{o.Customer}\",\"amount\":\"{o.Amount.ToString(CultureInfo.InvariantCulture)}\",\"status\":\"{o.Status}\"," +
        $"\"order_ts\":\"{o.At:yyyy-MM-ddTHH:mm:ssZ}\",\"updated_at\":\"{o.At:yyyy-MM-ddTHH:mm:ssZ}\"}}\n"));

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static async Task<long> VersionAsync(PipelineHarness h, PipelineConfig config, string table) =>
        (await DeltaTable.ForPath(h.Spark, TableLocations.Path(config, table)).History(1).Select("version").CollectAsync())[0].Get<long>("version");
}
