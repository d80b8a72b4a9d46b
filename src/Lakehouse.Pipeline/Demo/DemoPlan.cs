namespace Lakehouse.Pipeline.Demo;

/// <summary>The sizes and time windows every batch of one demo landing zone shares, derived from the options.</summary>
internal sealed class DemoPlan
{
    public DemoPlan(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Rows < 20)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Rows, "The demo needs at least 20 rows so that every kind of anomaly occurs.");
        }

        if (options.Batch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Batch, "Batches count from 1.");
        }

        Seed = options.Seed;
        Batch = options.Batch;
        Anchor = options.Anchor?.ToUniversalTime() ?? new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        Orders = options.Rows;
        Customers = Math.Max(10, Orders / 10);
        Products = Math.Clamp(Orders / 50, 5, 500);
        if (options.NewOrders < 5)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NewOrders, "A later batch needs at least 5 new orders so that every kind of change occurs.");
        }

        // The batch sizes below are fractions of this: batch 1's orders by default (a tenth new per batch), or ten times
        // the new orders asked for.
        var basis = options.NewOrders * 10L ?? Orders;
        NewOrdersPerBatch = (int)Math.Max(5, basis / 10);
        UpdatesPerBatch = (int)Math.Max(2, basis / 20);
        LatePerBatch = (int)Math.Max(1, basis / 100);
        DeletesPerBatch = (int)Math.Max(1, basis / 100);
        var customerBasis = Math.Max(10, basis / 10);
        NewCustomersPerBatch = (int)Math.Max(1, customerBasis / 20);
        CustomerUpdatesPerBatch = (int)Math.Max(1, customerBasis / 50);
        PriceUpdatesPerBatch = Math.Max(1, Products / 20);
    }

    public int Seed { get; }

    public int Batch { get; }

    /// <summary>End of batch 1 (UTC).</summary>
    public DateTimeOffset Anchor { get; }

    /// <summary>Orders of batch 1.</summary>
    public int Orders { get; }

    /// <summary>Customers of batch 1.</summary>
    public int Customers { get; }

    /// <summary>Products (all in batch 1).</summary>
    public int Products { get; }

    public int NewOrdersPerBatch { get; }

    public int UpdatesPerBatch { get; }

    public int LatePerBatch { get; }

    public int DeletesPerBatch { get; }

    public int NewCustomersPerBatch { get; }

    public int CustomerUpdatesPerBatch { get; }

    public int PriceUpdatesPerBatch { get; }

    /// <summary>Orders that exist once <paramref name="batch"/> is written (indices 1..n).</summary>
    public int OrdersThrough(int batch) => Orders + ((batch - 1) * NewOrdersPerBatch);

    /// <summary>Customers that exist once <paramref name="batch"/> is written.</summary>
    public int CustomersThrough(int batch) => Customers + ((batch - 1) * NewCustomersPerBatch);

    public int BatchOfOrder(int index) => index <= Orders ? 1 : 2 + ((index - Orders - 1) / NewOrdersPerBatch);

    public int BatchOfCustomer(int index) => index <= Customers ? 1 : 2 + ((index - Customers - 1) / NewCustomersPerBatch);

    /// <summary>
    /// Start of batch <paramref name="batch"/>'s hour (batch ≥ 2). New records fall in its first half, updates and
    /// deletes in its second half, so every update is newer than anything written before it.
    /// </summary>
    public DateTimeOffset Window(int batch) => Anchor.AddHours(batch - 2);

    /// <summary>An instant in the second half of <paramref name="batch"/>'s hour, for updates and deletes.</summary>
    public DateTimeOffset ChangeTime(int batch, ref DemoRandom random) => Window(batch).AddSeconds(1800 + random.Next(1700));
}
