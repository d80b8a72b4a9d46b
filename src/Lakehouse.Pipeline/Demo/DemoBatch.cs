namespace Lakehouse.Pipeline.Demo;

/// <summary>
/// What one call of <see cref="DemoData.Generate"/> wrote: the files and how many records of each kind, anomalies
/// included, so that a demo or a test can say what the pipeline should have found.
/// </summary>
public sealed record DemoBatch
{
    /// <summary>The batch number.</summary>
    public required int Batch { get; init; }

    /// <summary>The files written, as full paths (orders, customers, products).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Lines in the orders files (every record, duplicates and malformed lines included).</summary>
    public int OrderLines { get; init; }

    /// <summary>Rows in the customers file, header excluded.</summary>
    public int CustomerLines { get; init; }

    /// <summary>Lines in the products file.</summary>
    public int ProductLines { get; init; }

    /// <summary>Orders seen for the first time in this batch (well-formed or not).</summary>
    public int NewOrders { get; init; }

    /// <summary>Order lines repeated byte for byte (the second copy is counted).</summary>
    public int DuplicateOrderLines { get; init; }

    /// <summary>Orders without a customer id (JSON null).</summary>
    public int NullCustomerOrders { get; init; }

    /// <summary>Orders with a negative amount.</summary>
    public int NegativeAmountOrders { get; init; }

    /// <summary>Orders whose customer id names no customer.</summary>
    public int OrphanOrders { get; init; }

    /// <summary>Order lines cut short: not valid JSON.</summary>
    public int TruncatedOrderLines { get; init; }

    /// <summary>Order lines whose quantity is not a number (<c>"quantity": "abc"</c>).</summary>
    public int WrongTypeOrderLines { get; init; }

    /// <summary>Orders whose status has upper case letters or surrounding spaces.</summary>
    public int MessyStatusOrders { get; init; }

    /// <summary>Orders without a status (JSON null).</summary>
    public int NullStatusOrders { get; init; }

    /// <summary>Newer versions of orders of earlier batches.</summary>
    public int UpdatedOrders { get; init; }

    /// <summary>Older versions of orders that already have a newer one: they must not win.</summary>
    public int LateOrders { get; init; }

    /// <summary>Orders flagged <c>is_deleted = true</c>.</summary>
    public int DeletedOrders { get; init; }

    /// <summary>Customers seen for the first time in this batch.</summary>
    public int NewCustomers { get; init; }

    /// <summary>Newer versions of customers of earlier batches.</summary>
    public int UpdatedCustomers { get; init; }

    /// <summary>Customer rows repeated byte for byte.</summary>
    public int DuplicateCustomerLines { get; init; }

    /// <summary>Customers whose email has upper case letters or surrounding spaces.</summary>
    public int MessyEmailCustomers { get; init; }

    /// <summary>Customers without an email (empty CSV field).</summary>
    public int NullEmailCustomers { get; init; }

    /// <summary>Products seen for the first time in this batch.</summary>
    public int NewProducts { get; init; }

    /// <summary>Newer versions (price changes) of products of earlier batches.</summary>
    public int UpdatedProducts { get; init; }

    /// <summary>Product lines repeated byte for byte.</summary>
    public int DuplicateProductLines { get; init; }
}
