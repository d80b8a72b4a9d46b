using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Tests.Reference;
using Lakehouse.Pipeline.Tests.Support;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.EndToEnd;

/// <summary>The whole demo pipeline, run as <c>lakehouse run</c> runs it, against the reference computed straight from
/// the landing files by test code that shares nothing with the pipeline.</summary>
public sealed class DemoPipelineTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_TwoBatches_GoldEqualsTheReferenceAfterEach()
    {
        await using var h = await PipelineHarness.StartAsync();
        var config = h.Config(DemoData.PipelineFile);

        for (var batch = 1; batch <= 2; batch++)
        {
            DemoData.Generate(h.Landing, new DemoOptions { Rows = 300, Batch = batch, Anchor = Anchor });
            var interval = new DataInterval(Anchor.AddHours(4 * (batch - 1)), Anchor.AddHours(4 * batch));
            var settings = new RunSettings { RunId = $"e2e-{batch}", Interval = interval, Clock = new FixedClock(interval.End.AddMinutes(5)) };

            var outcomes = await h.Graph(config, settings).RunAsync(parallelism: 3);

            Assert.True(outcomes.All(o => o.State == TaskState.Succeeded),
                string.Join(Environment.NewLine, outcomes.Select(o => $"{o.Task.Id}: {o.State} {o.Report?.Error}")) + Environment.NewLine + h.Logs);
            var reference = ReferenceSilver.Compute(h.Landing);
            Assert.Equal(reference.Orders.Count, await h.Table(config, "silver.orders").CountAsync());
            // Customers are SCD type 2: their current rows are the latest per key, and every version is a row.
            var customers = h.Table(config, "silver.customers");
            Assert.Equal(reference.Customers.Count, await customers.Filter(Col("is_current")).CountAsync());
            Assert.Equal(reference.CustomerVersions, await customers.CountAsync());
            Assert.True(batch == 1 || reference.CustomerVersions > reference.Customers.Count, "batch 2 changes segments, so history has closed rows");
            Assert.Equal(reference.Products.Count, await h.Table(config, "silver.products").CountAsync());
            ReferenceAssert.Customer360Equal(ReferenceGold.Customer360(reference, interval.End), await h.Table(config, "gold.customer_360").CollectAsync());
            ReferenceAssert.ProductPerformanceEqual(ReferenceGold.ProductPerformance(reference), await h.Table(config, "gold.product_performance").CollectAsync());
            ReferenceAssert.DailyRevenueEqual(ReferenceGold.DailyRevenue(reference), await h.Table(config, "gold.daily_revenue").CollectAsync());
        }
    }
}
