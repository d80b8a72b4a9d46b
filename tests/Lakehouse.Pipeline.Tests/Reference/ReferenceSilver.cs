using static Lakehouse.Pipeline.Tests.Reference.ReferenceCasts;

namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>
/// Silver tables computed straight from the landing files of the demo, following the semantics the pipeline file
/// (<c>DemoData.PipelineFile</c>) and issue 5 give them, without any pipeline code:
/// <list type="number">
/// <item>Records arrive in file-name order, then line order (the demo's file names sort by batch).</item>
/// <item>A malformed line (not JSON) is kept by bronze with every column null, so silver sees a row of nulls.</item>
/// <item>Cleaning, in the order rename, trim (spaces; blank text becomes null), lower, cast, defaults (only for
///   nulls). A non-empty value that does not cast quarantines its row (the implicit <c>cast_&lt;column&gt;</c> rule);
///   empty text casts to null.</item>
/// <item>Row expectations: a row fails a rule unless its condition is TRUE (false and NULL fail, as a filter would);
///   <c>quarantine</c> and <c>drop</c> remove it from silver, <c>warn</c> keeps it.</item>
/// <item>Of the remaining rows, the latest per business key wins: greatest <c>sequence</c> (<c>updated_at</c>), then
///   the later arrival. Late data (an older version arriving after a newer one) therefore never wins.</item>
/// <item>If the winning row has the delete flag (<c>is_deleted</c>) true, the key is not in silver.</item>
/// <item>Customers are SCD type 2 (<c>scd2: true</c>): a customer without <c>updated_at</c> is quarantined; silver's
///   current rows are the latest per key above, and its history has one row per version, a version being the last
///   arrival of a key and <c>updated_at</c>, counted in <c>updated_at</c> order unless no column but the key and
///   <c>updated_at</c> differs from the version before it.</item>
/// </list>
/// Applying all batches at once gives the same tables as applying them one by one, which is what the incremental
/// tests compare: the demo never sends late data for a deleted order (which a MERGE without tombstones would revive).
/// </summary>
internal sealed class ReferenceSilver
{
    private ReferenceSilver(string landingRoot)
    {
        var orderRecords = RawLanding.JsonLines(Path.Combine(landingRoot, "orders"));
        OrderRecords = orderRecords.Count;
        var passing = new List<(int Arrival, RefOrder Row, bool Deleted)>();
        for (var i = 0; i < orderRecords.Count; i++)
        {
            var (row, deleted) = CleanOrder(orderRecords[i]);
            if (row is null)
            {
                QuarantinedOrders++;
                continue;
            }

            passing.Add((i, row, deleted));
        }

        Orders = Latest(passing, o => o.Row.OrderId, o => o.Row.UpdatedAt)
            .Where(o => !o.Deleted).Select(o => o.Row).ToDictionary(o => o.OrderId, StringComparer.Ordinal);

        var customerRecords = RawLanding.Csv(Path.Combine(landingRoot, "customers"));
        var customers = customerRecords.Select((r, i) => (Arrival: i, Row: CleanCustomer(r))).Where(c => c.Row is not null)
            .Select(c => (c.Arrival, Row: c.Row!)).ToList();
        QuarantinedCustomers = customerRecords.Count - customers.Count;
        Customers = Latest(customers, c => c.Row.CustomerId, c => c.Row.UpdatedAt)
            .Select(c => c.Row).ToDictionary(c => c.CustomerId, StringComparer.Ordinal);
        CustomerVersions = customers.GroupBy(c => c.Row.CustomerId, StringComparer.Ordinal).Sum(key =>
        {
            var versions = key.GroupBy(c => c.Row.UpdatedAt).Select(v => v.MaxBy(c => c.Arrival).Row).OrderBy(r => r.UpdatedAt).ToList();
            return versions.Where((r, i) => i == 0 || (r with { UpdatedAt = null }) != (versions[i - 1] with { UpdatedAt = null })).Count();
        });

        var productRecords = RawLanding.JsonLines(Path.Combine(landingRoot, "products"));
        var products = productRecords.Select((r, i) => (Arrival: i, Row: CleanProduct(r))).Where(p => p.Row is not null)
            .Select(p => (p.Arrival, Row: p.Row!)).ToList();
        QuarantinedProducts = productRecords.Count - products.Count;
        Products = Latest(products, p => p.Row.ProductId, p => p.Row.UpdatedAt)
            .Select(p => p.Row).ToDictionary(p => p.ProductId, StringComparer.Ordinal);
    }

    /// <summary>Order records (lines) read from landing, malformed ones included.</summary>
    public int OrderRecords { get; }

    /// <summary>Order records quarantined: a failed cast or a failed expectation (has_order_id, has_customer, valid_quantity, amount_not_negative).</summary>
    public int QuarantinedOrders { get; }

    public int QuarantinedCustomers { get; }

    public int QuarantinedProducts { get; }

    public IReadOnlyDictionary<string, RefOrder> Orders { get; }

    public IReadOnlyDictionary<string, RefCustomer> Customers { get; }

    /// <summary>The rows of the customers' SCD type 2 history (current and closed).</summary>
    public int CustomerVersions { get; }

    public IReadOnlyDictionary<string, RefProduct> Products { get; }

    public static ReferenceSilver Compute(string landingRoot) => new(landingRoot);

    // Latest per key: greatest sequence, then latest arrival (the pipeline's tie-break is _ingested_at).
    private static IEnumerable<T> Latest<T>(IEnumerable<T> rows, Func<T, string> key, Func<T, DateTimeOffset?> sequence)
        where T : struct =>
        rows.GroupBy(key, StringComparer.Ordinal)
            .Select(g => g.Select((r, i) => (Row: r, Index: i)).OrderByDescending(x => sequence(x.Row)).ThenByDescending(x => x.Index).First().Row);

    /// <summary>The orders source of the demo pipeline file; null when an expectation quarantines the row.</summary>
    private static (RefOrder? Row, bool Deleted) CleanOrder(RawRecord record)
    {
        // clean: trim [order_id, customer_id, product_id, status]; lower [status]; cast; defaults { status: unknown }
        var orderId = Trim(record["order_id"]);
        var customerId = Trim(record["customer_id"]);
        var productId = Trim(record["product_id"]);
        var status = Lower(Trim(record["status"])) ?? "unknown";
        var quantity = Int(record["quantity"]);
        var amount = Decimal(record["amount"], 12, 2);
        var orderTs = Timestamp(record["order_ts"]);
        var updatedAt = Timestamp(record["updated_at"]);
        var deletedFlag = Boolean(record["is_deleted"]);
        var deleted = deletedFlag ?? false;
        if (CastFailed(record["quantity"], quantity) || CastFailed(record["amount"], amount) || CastFailed(record["order_ts"], orderTs)
            || CastFailed(record["updated_at"], updatedAt) || CastFailed(record["is_deleted"], deletedFlag))
        {
            return (null, deleted);
        }

        // expectations: has_order_id, has_customer, valid_quantity (quantity IS NOT NULL AND quantity > 0),
        // amount_not_negative (amount >= 0; a null amount is not TRUE, so it fails too).
        if (orderId is null || customerId is null || quantity is not > 0 || amount is not >= 0)
        {
            return (null, deleted);
        }

        return (new RefOrder(orderId, customerId, productId, quantity.Value, amount.Value, status, orderTs ?? default, updatedAt ?? default), deleted);
    }

    /// <summary>The customers source: trim all text columns, lower email and segment; has_customer_id quarantines, has_email only warns.</summary>
    private static RefCustomer? CleanCustomer(RawRecord record)
    {
        var id = Trim(record["customer_id"]);
        var signup = Date(record["signup_date"]);
        var updated = Timestamp(record["updated_at"]);
        return id is null || updated is null || CastFailed(record["signup_date"], signup) || CastFailed(record["updated_at"], updated)
            ? null
            : new RefCustomer(id, Trim(record["name"]), Lower(Trim(record["email"])), Trim(record["country"]), Trim(record["region"]),
                Lower(Trim(record["segment"])), signup, updated);
    }

    /// <summary>The products source: trim, lower category, price as decimal(10,2); has_product_id and price_not_negative quarantine.</summary>
    private static RefProduct? CleanProduct(RawRecord record)
    {
        var id = Trim(record["product_id"]);
        var price = Decimal(record["price"], 10, 2);
        var updated = Timestamp(record["updated_at"]);
        return id is null || price is not >= 0 || CastFailed(record["price"], price) || CastFailed(record["updated_at"], updated)
            ? null
            : new RefProduct(id, Trim(record["name"]), Lower(Trim(record["category"])), price, updated);
    }
}
