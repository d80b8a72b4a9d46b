namespace Lakehouse.Pipeline.Demo;

/// <summary>
/// The demo's landing zone: orders (JSON lines), customers (CSV with a header) and products (JSON lines), written
/// one batch at a time under <c>&lt;landing&gt;/orders</c>, <c>/customers</c> and <c>/products</c>, and the pipeline
/// file (<see cref="PipelineFile"/>) that turns them into silver and gold tables.
/// </summary>
/// <remarks>
/// Batch 1 is the initial load, with what real feeds bring: exact duplicate lines, null customer ids and statuses,
/// negative amounts, orders of unknown customers, truncated JSON lines, a quantity that is not a number, statuses
/// and emails in mixed case with surrounding spaces, customers without an email. Each later batch is a new set of
/// files with new orders and customers, newer versions of earlier orders (status changes), late data (an older
/// version of an already updated order, which must not win), deletes (<c>is_deleted = true</c>), customer segment
/// changes and product price changes. Everything is deterministic: the same options give byte-identical files, and
/// writing a batch again replaces its files.
/// </remarks>
public static partial class DemoData
{
    /// <summary>Writes batch <see cref="DemoOptions.Batch"/> of the demo landing zone under <paramref name="landingRoot"/>.</summary>
    /// <param name="landingRoot">The landing zone root (created if missing).</param>
    /// <param name="options">Batch, size, seed and anchor.</param>
    /// <returns>The files written and the counts of each kind of record and anomaly in them.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 20 rows, or a batch below 1.</exception>
    public static DemoBatch Generate(string landingRoot, DemoOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(landingRoot);
        var plan = new DemoPlan(options);
        var orders = new OrderSimulation(plan);
        var customers = new CustomerSimulation(plan);
        var products = new ProductSimulation(plan);
        for (var batch = 2; batch < plan.Batch; batch++)
        {
            // Later batches change what earlier ones left; replay those changes without writing them.
            orders.Advance(batch);
            customers.Advance(batch);
            products.Advance(batch);
        }

        return plan.Batch == 1
            ? WriteFirst(landingRoot, plan, orders, customers, products)
            : WriteLater(landingRoot, plan, orders, customers, products);
    }

    private static DemoBatch WriteFirst(string root, DemoPlan plan, OrderSimulation orders, CustomerSimulation customers, ProductSimulation products)
    {
        using var orderFile = new DemoFileWriter(root, "orders", 1, "json");
        for (var i = 1; i <= plan.Orders; i++)
        {
            var anomaly = orders.Anomalies.GetValueOrDefault(i);
            var line = DemoFormat.Order(orders.Base(i), wrongQuantity: anomaly == OrderAnomaly.WrongType);
            orderFile.Write(anomaly == OrderAnomaly.Truncated ? DemoFormat.Truncate(line) : line);
            if (anomaly == OrderAnomaly.Duplicate)
            {
                orderFile.Write(line);
            }
        }

        using var customerFile = new DemoFileWriter(root, "customers", 1, "csv", DemoFormat.CustomerHeader);
        for (var j = 1; j <= plan.Customers; j++)
        {
            var line = DemoFormat.Customer(customers.Base(j));
            customerFile.Write(line);
            if (customers.Anomalies.GetValueOrDefault(j) == CustomerAnomaly.Duplicate)
            {
                customerFile.Write(line);
            }
        }

        using var productFile = new DemoFileWriter(root, "products", 1, "json");
        var productDuplicates = products.DuplicateCount;
        for (var j = 1; j <= plan.Products; j++)
        {
            var line = DemoFormat.Product(products.Base(j));
            productFile.Write(line);
            if (j <= productDuplicates)
            {
                productFile.Write(line);
            }
        }

        int Count(OrderAnomaly kind) => orders.Anomalies.Values.Count(a => a == kind);
        int CountCustomers(CustomerAnomaly kind) => customers.Anomalies.Values.Count(a => a == kind);
        return new DemoBatch
        {
            Batch = 1,
            Files = [.. orderFile.Paths, .. customerFile.Paths, .. productFile.Paths],
            OrderLines = orderFile.Lines,
            CustomerLines = customerFile.Lines,
            ProductLines = productFile.Lines,
            NewOrders = plan.Orders,
            DuplicateOrderLines = Count(OrderAnomaly.Duplicate),
            NullCustomerOrders = Count(OrderAnomaly.NullCustomer),
            NegativeAmountOrders = Count(OrderAnomaly.NegativeAmount),
            OrphanOrders = Count(OrderAnomaly.Orphan),
            TruncatedOrderLines = Count(OrderAnomaly.Truncated),
            WrongTypeOrderLines = Count(OrderAnomaly.WrongType),
            MessyStatusOrders = Count(OrderAnomaly.MessyStatus),
            NullStatusOrders = Count(OrderAnomaly.NullStatus),
            NewCustomers = plan.Customers,
            DuplicateCustomerLines = CountCustomers(CustomerAnomaly.Duplicate),
            MessyEmailCustomers = CountCustomers(CustomerAnomaly.MessyEmail),
            NullEmailCustomers = CountCustomers(CustomerAnomaly.NullEmail),
            NewProducts = plan.Products,
            DuplicateProductLines = productDuplicates,
        };
    }

    private static DemoBatch WriteLater(string root, DemoPlan plan, OrderSimulation orders, CustomerSimulation customers, ProductSimulation products)
    {
        var batch = plan.Batch;
        var (updates, late, deletes) = orders.Advance(batch);
        using var orderFile = new DemoFileWriter(root, "orders", batch, "json");
        for (var i = plan.OrdersThrough(batch - 1) + 1; i <= plan.OrdersThrough(batch); i++)
        {
            orderFile.Write(DemoFormat.Order(orders.Base(i)));
        }

        // Late versions come after the updates they lose to: arrival order must not decide, the sequence column does.
        foreach (var row in updates.Concat(late).Concat(deletes))
        {
            orderFile.Write(DemoFormat.Order(row));
        }

        var changedCustomers = customers.Advance(batch);
        using var customerFile = new DemoFileWriter(root, "customers", batch, "csv", DemoFormat.CustomerHeader);
        for (var j = plan.CustomersThrough(batch - 1) + 1; j <= plan.CustomersThrough(batch); j++)
        {
            customerFile.Write(DemoFormat.Customer(customers.Base(j)));
        }

        foreach (var row in changedCustomers)
        {
            customerFile.Write(DemoFormat.Customer(row));
        }

        var changedProducts = products.Advance(batch);
        using var productFile = new DemoFileWriter(root, "products", batch, "json");
        foreach (var row in changedProducts)
        {
            productFile.Write(DemoFormat.Product(row));
        }

        return new DemoBatch
        {
            Batch = batch,
            Files = [.. orderFile.Paths, .. customerFile.Paths, .. productFile.Paths],
            OrderLines = orderFile.Lines,
            CustomerLines = customerFile.Lines,
            ProductLines = productFile.Lines,
            NewOrders = plan.NewOrdersPerBatch,
            UpdatedOrders = updates.Count,
            LateOrders = late.Count,
            DeletedOrders = deletes.Count,
            NewCustomers = plan.NewCustomersPerBatch,
            UpdatedCustomers = changedCustomers.Count,
            UpdatedProducts = changedProducts.Count,
        };
    }
}
