namespace Lakehouse.Pipeline.Demo;

/// <summary>
/// The demo's orders. Every order's first version is a function of (seed, index); batch 1's anomalies are placed
/// by the seed; each later batch picks updates, late versions and deletes from what exists, and the state those
/// leave (current versions, deleted orders) is replayed by simulating the batches in order.
/// </summary>
internal sealed class OrderSimulation
{
    private static readonly string[] Statuses = ["placed", "placed", "placed", "placed", "shipped", "shipped", "delivered", "delivered", "cancelled", "returned"];

    private readonly DemoPlan _plan;
    private readonly Dictionary<int, DemoOrder> _current = [];
    private readonly HashSet<int> _deleted = [];
    private readonly SortedSet<int> _updated = [];

    public OrderSimulation(DemoPlan plan)
    {
        _plan = plan;
        var n = plan.Orders;
        Anomalies = AnomalyPlacement.Place(
            n,
            DemoRandom.For(plan.Seed, 2, 0),
            (OrderAnomaly.NullCustomer, Math.Max(1, n / 200)),
            (OrderAnomaly.NegativeAmount, Math.Max(1, n / 200)),
            (OrderAnomaly.Orphan, Math.Max(1, n / 300)),
            (OrderAnomaly.Truncated, Math.Max(1, n / 500)),
            (OrderAnomaly.WrongType, Math.Max(1, n / 500)),
            (OrderAnomaly.MessyStatus, Math.Max(1, n * 3 / 100)),
            (OrderAnomaly.NullStatus, Math.Max(1, n / 100)),
            (OrderAnomaly.Duplicate, Math.Max(1, n / 100)));
    }

    /// <summary>Anomalies of batch 1 by order index.</summary>
    public Dictionary<int, OrderAnomaly> Anomalies { get; }

    public static string Id(int index) => $"O-{index:D8}";

    /// <summary>The first version of order <paramref name="index"/>, with its batch-1 anomaly if it has one.</summary>
    public DemoOrder Base(int index)
    {
        var random = DemoRandom.For(_plan.Seed, 1, index);
        var batch = _plan.BatchOfOrder(index);
        var customer = CustomerSimulation.Id(1 + random.Next(_plan.CustomersThrough(batch)));
        var product = 1 + random.Next(_plan.Products);
        var quantity = 1 + random.Next(5);
        var amount = quantity * ProductSimulation.BasePrice(_plan.Seed, product);
        var orderTs = batch == 1
            ? _plan.Anchor.AddDays(-90).AddSeconds(random.Next((90 * 86_400) - 7200))
            : _plan.Window(batch).AddSeconds(random.Next(1800));
        var status = batch == 1 ? Statuses[random.Next(Statuses.Length)] : "placed";
        var order = new DemoOrder(Id(index), customer, ProductSimulation.Id(product), quantity, amount, status, orderTs,
            orderTs.AddSeconds(random.Next(600)), false);
        return (batch == 1 ? Anomalies.GetValueOrDefault(index) : OrderAnomaly.None) switch
        {
            OrderAnomaly.NullCustomer => order with { CustomerId = null },
            OrderAnomaly.NegativeAmount => order with { Amount = -order.Amount },
            OrderAnomaly.Orphan => order with { CustomerId = $"C-X{index:D7}" },
            OrderAnomaly.MessyStatus => order with { Status = Messy(status, ref random) },
            OrderAnomaly.NullStatus => order with { Status = null },
            _ => order,
        };
    }

    /// <summary>
    /// The changes of <paramref name="batch"/> (≥ 2) to orders of earlier batches, applied to the state:
    /// updates (newer versions), late versions (older than the order's newest version, so they must lose) and deletes.
    /// </summary>
    public (List<DemoOrder> Updates, List<DemoOrder> Late, List<DemoOrder> Deletes) Advance(int batch)
    {
        var random = DemoRandom.For(_plan.Seed, 10, batch);
        var existing = _plan.OrdersThrough(batch - 1);
        var updates = AnomalyPlacement.Pick(existing, _plan.UpdatesPerBatch, ref random, Alive);
        var updateRows = new List<DemoOrder>();
        foreach (var index in updates)
        {
            var current = Current(index);
            var next = random.Next(10) == 0 && current.Status is not ("delivered" or "returned") ? "cancelled" : Progress(current.Status);
            var row = current with { Status = next, UpdatedAt = _plan.ChangeTime(batch, ref random) };
            _current[index] = row;
            _updated.Add(index);
            updateRows.Add(row);
        }

        // Late data: a version newer than the order's first one but older than its update, arriving after the update.
        var updatedList = _updated.Where(i => !_deleted.Contains(i)).ToList();
        var lateRows = new List<DemoOrder>();
        var late = AnomalyPlacement.Pick(updatedList.Count, Math.Min(_plan.LatePerBatch, updatedList.Count), ref random, _ => true)
            .Select(p => updatedList[p - 1]).ToList();
        foreach (var index in late)
        {
            var first = Clean(Base(index));
            lateRows.Add(first with { Status = "placed", Amount = first.Amount + 1.00m, UpdatedAt = first.UpdatedAt.AddSeconds(1) });
        }

        var taken = new HashSet<int>(updates.Concat(late));
        var deleteRows = new List<DemoOrder>();
        foreach (var index in AnomalyPlacement.Pick(existing, _plan.DeletesPerBatch, ref random, i => Alive(i) && !taken.Contains(i)))
        {
            var row = Current(index) with { IsDeleted = true, UpdatedAt = _plan.ChangeTime(batch, ref random) };
            _current[index] = row;
            _deleted.Add(index);
            deleteRows.Add(row);
        }

        return (updateRows, lateRows, deleteRows);
    }

    private DemoOrder Current(int index) => _current.TryGetValue(index, out var row) ? row : Clean(Base(index));

    /// <summary>Orders a later batch may change: not deleted, and valid (an invalid first version never reached silver).</summary>
    private bool Alive(int index) =>
        !_deleted.Contains(index)
        && Anomalies.GetValueOrDefault(index) is not (OrderAnomaly.NullCustomer or OrderAnomaly.NegativeAmount or OrderAnomaly.Truncated or OrderAnomaly.WrongType);

    // A later version is written by a system that normalises what it touches.
    private static DemoOrder Clean(DemoOrder order) => order with { Status = order.Status?.Trim(' ').ToLowerInvariant() ?? "placed" };

    private static string Progress(string? status) => status switch
    {
        "placed" => "shipped",
        "shipped" => "delivered",
        "delivered" => "returned",
        _ => status ?? "shipped",
    };

    private static string Messy(string status, ref DemoRandom random) => random.Next(3) switch
    {
        0 => status.ToUpperInvariant(),
        1 => " " + char.ToUpperInvariant(status[0]) + status[1..] + " ",
        _ => "  " + status + "  ",
    };
}
