using System.Text.Json;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Quality;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests.Quality;

public sealed class TableChecksTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_EveryCheckType_GivesHandCountedResults()
    {
        await using var t = await PathTables.CreateAsync();
        await WriteOrdersAsync(t,
            new Order("O1", "C1", "placed", 10.00m, At(3, 1, 0)),
            new Order("O2", "C2", "shipped", 250.00m, At(2, 28, 12)),
            new Order("O2", "C2", "shipped", 5.00m, At(2, 27, 0)),
            new Order("O3", null, "weird", -1.00m, At(2, 27, 0)),
            new Order("O4", "C9", "placed", 20.00m, At(2, 26, 0)),
            new Order("O5", "C1", null, 30.00m, At(2, 25, 0)));
        await t.WriteAsync("silver.customers", new[] { new Customer("C1"), new Customer("C2"), new Customer("C3") }, "customer_id");

        var outcomes = await TableChecks.RunAsync(t.Spark, "silver.orders",
        [
            Check("ids", TableCheckType.NotNull, columns: ["order_id", "customer_id"]),
            Check("id_unique", TableCheckType.Unique, columns: ["order_id"]),
            Check("status", TableCheckType.AcceptedValues, column: "status", values: ["placed", "shipped"], severity: CheckSeverity.Warning),
            Check("amount", TableCheckType.Range, column: "amount") with { Min = 0, Max = 100, Severity = CheckSeverity.Warning },
            Check("customer", TableCheckType.Relationship, column: "customer_id") with { To = "silver.customers", ToColumn = "customer_id" },
            Check("fresh_day", TableCheckType.Freshness, column: "order_ts") with { MaxAgeHours = 24 },
            Check("fresh_5h", TableCheckType.Freshness, column: "order_ts") with { MaxAgeHours = 5, Severity = CheckSeverity.Warning },
            Check("volume", TableCheckType.RowCountChange) with { MaxChangePercent = 50 },
        ], Context(t, "run-1", Now));

        // O3 has no customer; O2 twice; "weird" is not accepted (O5's null status passes); 250.00 and -1.00 are out of
        // [0, 100]; C9 is not a customer (O3's null reference is not counted); the newest order is 6 h old.
        Assert.Equal(
            [("ids", false, 1L), ("id_unique", false, 1L), ("status", false, 1L), ("amount", false, 2L), ("customer", false, 1L),
             ("fresh_day", true, 0L), ("fresh_5h", false, 0L), ("volume", true, 0L)],
            outcomes.Select(o => (o.Check, o.Passed, o.FailingRows)));
        Assert.Equal(["critical", "critical", "warning", "warning", "critical", "critical", "warning", "critical"], outcomes.Select(o => o.Severity));
        Assert.All(outcomes, o => Assert.Equal("silver.orders", o.Table));

        var results = (await t.Read("ops.dq_results").CollectAsync()).ToDictionary(r => r.Get<string>("check_name")!);
        Assert.Equal(8, results.Count);
        Assert.All(results.Values, r => Assert.Equal(["run-1", "silver.orders", 6L], [r["run_id"], r["table_name"], r["total_rows"]]));
        Assert.Equal(["O2 (x2)"], Examples(results["id_unique"]));
        Assert.Equal(["weird (x1)"], Examples(results["status"]));
        Assert.Equal(["-1.00 (x1)", "250.00 (x1)"], Examples(results["amount"]));
        Assert.Equal(["C9 (x1)"], Examples(results["customer"]));
        Assert.Contains("order_id=O3", Assert.Single(Examples(results["ids"])), StringComparison.Ordinal);
        Assert.Equal(6.0, results["fresh_5h"].Get<double>("observed_value"));
        Assert.Equal("<= 5 h", results["fresh_5h"]["threshold"]);
        Assert.Equal("[0, 100]", results["amount"]["threshold"]);
        Assert.Equal(2.0, results["amount"].Get<double>("observed_value"));
        Assert.Equal(["failed", "passed", "unique", "range"], [results["ids"]["status"], results["fresh_day"]["status"], results["id_unique"]["check_type"], results["amount"]["check_type"]]);
        Assert.Null(results["volume"]["observed_value"]);
        Assert.Equal(Now, results["volume"]["checked_at"]);
    }

    [Fact]
    public async Task RunAsync_RowCountChange_ComparesWithTheMeanOfEarlierRuns()
    {
        await using var t = await PathTables.CreateAsync();
        var volume = Check("volume", TableCheckType.RowCountChange) with { MaxChangePercent = 50, Severity = CheckSeverity.Warning };

        async Task<(bool Passed, object? Observed)> RunWithRowsAsync(int rows, string runId, int hour)
        {
            await WriteOrdersAsync(t, [.. Enumerable.Range(1, rows).Select(i => new Order($"O{i}", "C1", "placed", 1m, At(3, 1, 0)))]);
            var outcome = Assert.Single(await TableChecks.RunAsync(t.Spark, "silver.orders", [volume], Context(t, runId, Now.AddHours(hour)) with { HistoryRuns = 3 }));
            var row = (await t.Read("ops.dq_results").Filter(Col("run_id") == runId).CollectAsync()).MaxBy(r => r.Get<DateTimeOffset>("checked_at"))!;
            return (outcome.Passed, row["observed_value"]);
        }

        Assert.Equal((true, null), await RunWithRowsAsync(10, "r1", 1));      // no history
        Assert.Equal((true, 0.0), await RunWithRowsAsync(10, "r2", 2));       // mean 10 → 0 %
        Assert.Equal((false, 60.0), await RunWithRowsAsync(16, "r3", 3));     // mean 10 → 60 % > 50 %
        Assert.Equal((true, 0.0), await RunWithRowsAsync(12, "r4", 4));       // mean of 16, 10, 10 = 12 → 0 %
        Assert.Equal((false, 100.0), await RunWithRowsAsync(0, "r5", 5));     // last 3 runs: 12, 16, 10 → mean 12.67; |0 − 12.67| = 100 %
        // A rerun of r5 compares with the runs before it, not with itself.
        Assert.Equal((false, 100.0), await RunWithRowsAsync(0, "r5", 6));
    }

    [Fact]
    public async Task RunAsync_CompositeUniqueKeyAndEmptyFreshness_AreJudgedOnCompleteKeys()
    {
        await using var t = await PathTables.CreateAsync();
        await t.WriteAsync("silver.lines", new[]
        {
            new OrderLine("A", 1, null), new OrderLine("A", 2, null), new OrderLine("A", 1, null), new OrderLine("B", 1, null), new OrderLine(null, 1, null), new OrderLine(null, 1, null),
        }, "order_id", "line", "shipped_at:timestamp");

        var outcomes = await TableChecks.RunAsync(t.Spark, "silver.lines",
        [
            Check("key", TableCheckType.Unique, columns: ["order_id", "line"]),
            Check("shipped", TableCheckType.Freshness, column: "shipped_at") with { MaxAgeHours = 1000 },
        ], Context(t, "run-1", Now));

        // (A, 1) twice: one duplicate row; the two (null, 1) rows have an incomplete key and are not_null's business.
        Assert.Equal([(false, 1L), (false, 0L)], outcomes.Select(o => (o.Passed, o.FailingRows)));
        var results = (await t.Read("ops.dq_results").CollectAsync()).ToDictionary(r => r.Get<string>("check_name")!);
        Assert.Equal(["A, 1 (x2)"], Examples(results["key"]));
        Assert.Null(results["shipped"]["observed_value"]);
    }

    [Fact]
    public async Task RunAsync_MissingTables_FailTheRunOrTheRelationship()
    {
        await using var t = await PathTables.CreateAsync();
        var relationship = Check("customer", TableCheckType.Relationship, column: "customer_id") with { To = "silver.customers", ToColumn = "customer_id" };

        await Assert.ThrowsAsync<PipelineInputException>(() => TableChecks.RunAsync(t.Spark, "silver.orders", [relationship], Context(t, "run-1", Now)));

        await WriteOrdersAsync(t, new Order("O1", "C1", "placed", 1m, At(3, 1, 0)));
        var outcome = Assert.Single(await TableChecks.RunAsync(t.Spark, "silver.orders", [relationship], Context(t, "run-1", Now)));
        Assert.False(outcome.Passed);
        var message = (await t.Read("ops.dq_results").CollectAsync()).Single().Get<string>("message");
        Assert.Contains("silver.customers", message, StringComparison.Ordinal);
        Assert.Empty(await TableChecks.RunAsync(t.Spark, "silver.nothing", [], Context(t, "run-1", Now)));
    }

    [Fact]
    public async Task RunAsync_TwoRelationshipsWithRepeatedAndNullKeys_CountEachRowOnce()
    {
        await using var t = await PathTables.CreateAsync();
        await WriteOrdersAsync(t,
            new Order("O1", "C1", "placed", 1m, At(3, 1, 0)),
            new Order("O2", "C1", "placed", 2m, At(3, 1, 0)),
            new Order("O3", "C2", "placed", 3m, At(3, 1, 0)),
            new Order("O4", "C7", "placed", 4m, At(3, 1, 0)),
            new Order("O5", "C7", "placed", 5m, At(3, 1, 0)),
            new Order("O6", "C8", "placed", 6m, At(3, 1, 0)),
            new Order("O7", null, "placed", 7m, At(3, 1, 0)),
            new Order("O7", "C2", "shipped", 8m, At(3, 1, 0)));
        // C1 occurs three times among the customers and a null key once; the statuses table knows only "placed".
        await t.WriteAsync("silver.customers", new[] { new Customer("C1"), new Customer("C1"), new Customer("C2"), new Customer("C1"), new Customer(null) }, "customer_id");
        await t.WriteAsync("silver.statuses", new[] { new Status("placed"), new Status("placed") }, "status");

        var outcomes = await TableChecks.RunAsync(t.Spark, "silver.orders",
        [
            Check("customer", TableCheckType.Relationship, column: "customer_id") with { To = "silver.customers", ToColumn = "customer_id" },
            Check("status", TableCheckType.Relationship, column: "status") with { To = "silver.statuses", ToColumn = "status" },
            Check("id_unique", TableCheckType.Unique, columns: ["order_id"]),
            Check("amount", TableCheckType.Range, column: "amount") with { Max = 4 },
        ], Context(t, "run-1", Now));

        // C7 twice and C8 once are unknown (O7's null customer is not counted); only O7's "shipped" status is unknown;
        // O7 twice; amounts 5, 6, 7, 8 are above 4. Every row is counted once however often its key repeats.
        Assert.Equal([("customer", false, 3L), ("status", false, 1L), ("id_unique", false, 1L), ("amount", false, 4L)],
            outcomes.Select(o => (o.Check, o.Passed, o.FailingRows)));
        var results = (await t.Read("ops.dq_results").CollectAsync()).ToDictionary(r => r.Get<string>("check_name")!);
        Assert.All(results.Values, r => Assert.Equal(8L, r["total_rows"]));
        Assert.Equal(["C7 (x2)", "C8 (x1)"], Examples(results["customer"]));
        Assert.Equal(["shipped (x1)"], Examples(results["status"]));
    }

    [Fact]
    public async Task RunAsync_RelationshipBetweenColumnsOfDifferentTypes_CountsEachRowOnce()
    {
        await using var t = await PathTables.CreateAsync();
        await t.WriteAsync("silver.lines", new[] { new Line(1), new Line(2), new Line(3), new Line(3) }, "product:int");
        // Text keys: "1" and "01" are two distinct values that may both equal the number 1 once compared as numbers.
        await t.WriteAsync("silver.products", new[] { new Product("1"), new Product("01"), new Product("2") }, "product_id");

        var outcome = Assert.Single(await TableChecks.RunAsync(t.Spark, "silver.lines",
            [Check("product", TableCheckType.Relationship, column: "product") with { To = "silver.products", ToColumn = "product_id" }],
            Context(t, "run-1", Now)));

        Assert.Equal((false, 2L), (outcome.Passed, outcome.FailingRows));
        var result = Assert.Single(await t.Read("ops.dq_results").CollectAsync());
        Assert.Equal(4L, result["total_rows"]);
        Assert.Equal(["3 (x2)"], Examples(result));
    }

    private static CheckContext Context(PathTables t, string runId, DateTimeOffset now) => new() { RunId = runId, Now = now, TablePath = t.Path };

    private static TableCheckConfig Check(string name, TableCheckType type, string[]? columns = null, string? column = null, string[]? values = null,
        CheckSeverity severity = CheckSeverity.Critical) =>
        new() { Name = name, Type = type, Columns = columns ?? [], Column = column, Values = values ?? [], Severity = severity };

    private static string[] Examples(Row row) => JsonSerializer.Deserialize<string[]>(row.Get<string>("examples")!)!;

    private static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static Task WriteOrdersAsync(PathTables t, params Order[] rows) =>
        t.WriteAsync("silver.orders", rows, "order_id", "customer_id", "status", "amount:decimal(12,2)", "order_ts");

    private sealed record Order(string OrderId, string? CustomerId, string? Status, decimal Amount, DateTimeOffset OrderTs);

    private sealed record Customer(string? CustomerId);

    private sealed record Status(string Name);

    private sealed record Line(int Product);

    private sealed record Product(string ProductId);

    private sealed record OrderLine(string? OrderId, int LineNumber, DateTimeOffset? ShippedAt);
}
