using System.Text.Json;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Tests.Reference;

namespace Lakehouse.Pipeline.Tests.Demo;

public sealed class DemoDataTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] CanonicalStatuses = ["placed", "shipped", "delivered", "cancelled", "returned"];

    [Fact]
    public void Generate_SameOptions_WritesIdenticalFiles()
    {
        using var a = new TempDirectory("demo");
        using var b = new TempDirectory("demo");
        for (var batch = 1; batch <= 3; batch++)
        {
            DemoData.Generate(a.Path, Options(500, batch));
            DemoData.Generate(b.Path, Options(500, batch));
        }

        var filesA = Snapshot(a.Path);
        Assert.Equal(9, filesA.Count);
        Assert.Equal(filesA, Snapshot(b.Path));
    }

    [Fact]
    public void Generate_OtherSeed_WritesOtherData()
    {
        using var a = new TempDirectory("demo");
        using var b = new TempDirectory("demo");
        DemoData.Generate(a.Path, Options(200, 1));
        DemoData.Generate(b.Path, Options(200, 1) with { Seed = 7 });
        Assert.NotEqual(Snapshot(a.Path), Snapshot(b.Path));
    }

    [Fact]
    public void Generate_SameBatchTwice_ReplacesItsFiles()
    {
        using var dir = new TempDirectory("demo");
        DemoData.Generate(dir.Path, Options(300, 1));
        var first = Snapshot(dir.Path);
        DemoData.Generate(dir.Path, Options(300, 1));
        Assert.Equal(first, Snapshot(dir.Path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    public void Generate_TooFewRows_Throws(int rows)
    {
        using var dir = new TempDirectory("demo");
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoData.Generate(dir.Path, Options(rows, 1)));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1000)]
    public void Generate_Batch1_FilesHoldEachAnomalyAsCounted(int rows)
    {
        using var dir = new TempDirectory("demo");
        var batch = DemoData.Generate(dir.Path, Options(rows, 1));

        var orders = RawLanding.JsonLines(dir.Combine("orders"));
        var customers = RawLanding.Csv(dir.Combine("customers"));
        var products = RawLanding.JsonLines(dir.Combine("products"));
        var customerIds = customers.Select(c => c["customer_id"]).ToHashSet();
        var parsed = orders.Where(o => !o.Malformed).ToList();

        Assert.Equal(batch.OrderLines, orders.Count);
        Assert.Equal(batch.CustomerLines, customers.Count);
        Assert.Equal(batch.ProductLines, products.Count);
        Assert.Equal(batch.DuplicateOrderLines, orders.Count - orders.Select(o => o.Text).Distinct().Count());
        Assert.Equal(batch.NewOrders, orders.Count - batch.DuplicateOrderLines);
        Assert.Equal(rows, batch.NewOrders);
        Assert.Equal(batch.TruncatedOrderLines, orders.Count(o => o.Malformed));
        Assert.Equal(batch.WrongTypeOrderLines, parsed.Count(o => o.Kinds!["quantity"] == JsonValueKind.String));
        Assert.Equal(batch.NullCustomerOrders, parsed.Count(o => o["customer_id"] is null));
        Assert.Equal(batch.NegativeAmountOrders, parsed.Count(o => decimal.Parse(o["amount"]!, System.Globalization.CultureInfo.InvariantCulture) < 0));
        Assert.Equal(batch.OrphanOrders, parsed.Where(o => o["customer_id"] is { } c && !customerIds.Contains(c)).Select(o => o["order_id"]).Distinct().Count());
        Assert.Equal(batch.NullStatusOrders, parsed.Where(o => o["status"] is null).Select(o => o["order_id"]).Distinct().Count());
        Assert.Equal(batch.MessyStatusOrders, parsed.Where(o => o["status"] is { } s && !CanonicalStatuses.Contains(s)).Select(o => o["order_id"]).Distinct().Count());
        Assert.All(parsed.Where(o => o["status"] is not null), o => Assert.Contains(o["status"]!.Trim(' ').ToLowerInvariant(), CanonicalStatuses));
        Assert.All(parsed, o => Assert.Equal("false", o["is_deleted"]));

        Assert.Equal(batch.DuplicateCustomerLines, customers.Count - customers.Select(c => c.Text).Distinct().Count());
        Assert.Equal(batch.NewCustomers, customerIds.Count);
        Assert.Equal(batch.NullEmailCustomers, customers.Where(c => c["email"] is null).Select(c => c["customer_id"]).Distinct().Count());
        Assert.Equal(batch.MessyEmailCustomers, customers.Where(c => c["email"] is { } e && e != e.Trim(' ').ToLowerInvariant()).Select(c => c["customer_id"]).Distinct().Count());
        Assert.Equal(batch.DuplicateProductLines, products.Count - products.Select(p => p.Text).Distinct().Count());
        Assert.Equal(batch.NewProducts, products.Select(p => p["product_id"]).Distinct().Count());

        // Every anomaly occurs at least once, whatever the size.
        Assert.All(
            new[] { batch.DuplicateOrderLines, batch.TruncatedOrderLines, batch.WrongTypeOrderLines, batch.NullCustomerOrders, batch.NegativeAmountOrders,
                batch.OrphanOrders, batch.NullStatusOrders, batch.MessyStatusOrders, batch.DuplicateCustomerLines, batch.NullEmailCustomers,
                batch.MessyEmailCustomers, batch.DuplicateProductLines },
            count => Assert.True(count >= 1));
        Assert.All(parsed, o => Assert.True(ReferenceCasts.Timestamp(o["order_ts"]) < Anchor));
    }

    [Theory]
    [InlineData(2, null)]
    [InlineData(3, null)]
    [InlineData(2, 30)]
    [InlineData(3, 30)]
    public void Generate_LaterBatch_HoldsNewOrdersUpdatesLateDataAndDeletes(int last, int? newOrders)
    {
        using var dir = new TempDirectory("demo");
        DemoBatch? batch = null;
        for (var b = 1; b <= last; b++)
        {
            batch = DemoData.Generate(dir.Path, Options(400, b) with { NewOrders = newOrders });
        }

        var all = RawLanding.JsonLines(dir.Combine("orders")).Where(o => !o.Malformed).ToList();
        var prefix = $"orders-batch-{last:D4}-";
        var before = all.Where(o => !o.File.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var current = all.Where(o => o.File.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var seenBefore = before.GroupBy(o => o["order_id"]!).ToDictionary(g => g.Key, g => g.Max(o => Ts(o["updated_at"])));
        var newest = all.GroupBy(o => o["order_id"]!).ToDictionary(g => g.Key, g => g.Max(o => Ts(o["updated_at"])));

        Assert.Equal(batch!.OrderLines, current.Count);
        Assert.Equal(batch.NewOrders, current.Count(o => !seenBefore.ContainsKey(o["order_id"]!)));
        Assert.Equal(batch.DeletedOrders, current.Count(o => o["is_deleted"] == "true"));
        Assert.Equal(batch.UpdatedOrders, current.Count(o => seenBefore.TryGetValue(o["order_id"]!, out var prev)
            && o["is_deleted"] == "false" && Ts(o["updated_at"]) > prev && Ts(o["updated_at"]) == newest[o["order_id"]!]));
        var late = current.Where(o => Ts(o["updated_at"]) < newest[o["order_id"]!]).ToList();
        Assert.Equal(batch.LateOrders, late.Count);
        Assert.All(late, o => Assert.Equal("false", o["is_deleted"]));
        Assert.True(batch.UpdatedOrders >= 1 && batch.LateOrders >= 1 && batch.DeletedOrders >= 1 && batch.NewOrders >= 1);

        // A late version is never newer than what silver already has or gets in the same batch, and it arrives after it.
        foreach (var row in late)
        {
            var winner = all.Where(o => o["order_id"] == row["order_id"]).MaxBy(o => Ts(o["updated_at"]))!;
            Assert.True(string.CompareOrdinal(winner.File, row.File) < 0 || (winner.File == row.File && winner.Line < row.Line));
        }

        // No late version or update touches an order deleted before (a MERGE without tombstones would revive it).
        var deletedBefore = before.Where(o => o["is_deleted"] == "true").Select(o => o["order_id"]).ToHashSet();
        Assert.DoesNotContain(current, o => deletedBefore.Contains(o["order_id"]));

        var customersBefore = RawLanding.Csv(dir.Combine("customers")).Where(c => !c.File.Contains($"-batch-{last:D4}-", StringComparison.Ordinal))
            .Select(c => c["customer_id"]).ToHashSet();
        var customersNow = RawLanding.Csv(dir.Combine("customers")).Where(c => c.File.Contains($"-batch-{last:D4}-", StringComparison.Ordinal)).ToList();
        Assert.Equal(batch.NewCustomers, customersNow.Count(c => !customersBefore.Contains(c["customer_id"])));
        Assert.Equal(batch.UpdatedCustomers, customersNow.Count(c => customersBefore.Contains(c["customer_id"])));
        var productsNow = RawLanding.JsonLines(dir.Combine("products")).Where(p => p.File.Contains($"-batch-{last:D4}-", StringComparison.Ordinal)).ToList();
        Assert.Equal(batch.UpdatedProducts, productsNow.Count);
        Assert.All(current.Except(late).Concat(customersNow).Concat(productsNow), r => Assert.True(Ts(r["updated_at"]) >= Anchor.AddHours(last - 2)));
    }

    [Fact]
    public void Generate_NewOrders_SizesTheLaterBatchesChanges()
    {
        using var dir = new TempDirectory("demo");
        DemoData.Generate(dir.Path, Options(2000, 1) with { NewOrders = 40 });
        var batch = DemoData.Generate(dir.Path, Options(2000, 2) with { NewOrders = 40 });

        // DemoOptions.NewOrders: updates half as many, late and deleted orders a tenth each; customers scale alike
        // (a twentieth of the new orders join, a fiftieth change, at least one each).
        Assert.Equal((40, 20, 4, 4), (batch.NewOrders, batch.UpdatedOrders, batch.LateOrders, batch.DeletedOrders));
        Assert.Equal(40 + 20 + 4 + 4, batch.OrderLines);
        Assert.Equal((2, 1), (batch.NewCustomers, batch.UpdatedCustomers));
    }

    [Fact]
    public void Generate_FewerThanFiveNewOrders_Throws()
    {
        using var dir = new TempDirectory("demo");
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoData.Generate(dir.Path, Options(100, 2) with { NewOrders = 4 }));
    }

    [Fact]
    public void PipelineFile_SchemasName_TheGeneratedColumns()
    {
        using var dir = new TempDirectory("demo");
        DemoData.Generate(dir.Path, Options(50, 1));
        var yaml = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(DemoData.PipelineFile);
        var sources = ((List<object>)yaml["sources"]).Cast<Dictionary<object, object>>().ToDictionary(s => (string)s["name"]);

        Assert.Equal(["orders", "customers", "products"], sources.Keys);
        Assert.Equal(Columns(sources["orders"]), RawLanding.JsonLines(dir.Combine("orders")).First(o => !o.Malformed).Fields!.Keys);
        Assert.Equal(Columns(sources["customers"]), RawLanding.Csv(dir.Combine("customers"))[0].Fields!.Keys);
        Assert.Equal(Columns(sources["products"]), RawLanding.JsonLines(dir.Combine("products"))[0].Fields!.Keys);
    }

    private static DemoOptions Options(int rows, int batch) => new() { Rows = rows, Batch = batch, Seed = 42, Anchor = Anchor };

    private static DateTimeOffset Ts(string? value) => ReferenceCasts.Timestamp(value) ?? throw new InvalidOperationException($"Not a timestamp: {value}");

    private static List<string> Columns(Dictionary<object, object> source) =>
        [.. ((string)source["schema"]).Split(',').Select(c => c.Trim().Split(' ')[0])];

    private static SortedDictionary<string, string> Snapshot(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
}
