using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// How silver.orders changed between the two builds of a <see cref="GoldUpdate"/>: <see cref="Old"/> and
/// <see cref="New"/> are rows whose multiset difference New − Old is exactly the difference of the two versions;
/// <see cref="OfCustomers"/> is every current order of the customers those rows name (plus the ones a caller adds).
/// With the change data feed, Old and New are the feed's old and new images and only the current version is read; from
/// the batches, they are the rows of the changed keys K (the keys of the consumed batches, a superset of the keys whose
/// rows differ) at the recorded version and now (rows of other keys are equal at both), and the current version is read
/// once: a row is kept when its key is in K or its customer is in the set.
/// </summary>
/// <param name="Old">Rows as they were: of the changed keys at the recorded version, or the feed's old images.</param>
/// <param name="New">Rows as they became: of the changed keys now, or the feed's new images.</param>
/// <param name="OfCustomers">Every current row of the customers in <see cref="Customers"/>.</param>
/// <param name="Customers">Distinct non-null customer ids: those of <see cref="Old"/> and <see cref="New"/>, plus the caller's.</param>
/// <param name="Flagged">How many current rows met the caller's <c>flag</c> condition.</param>
internal sealed record OrderChanges(DataFrame Old, DataFrame New, DataFrame OfCustomers, DataFrame Customers, long Flagged)
{
    public const string Table = "silver.orders";
    public const string Customer = "customer_id";

    private const string InKeys = "__in_keys";
    private const string OfCustomer = "__of_customer";

    /// <summary>
    /// Reads the change. <paramref name="columns"/> are the order columns the caller needs; <paramref name="moreCustomers"/>
    /// (a frame of <c>customer_id</c>) adds customers to <see cref="OfCustomers"/>; <paramref name="flag"/> counts current
    /// rows of any key (a condition the caller cannot maintain, such as a null it would have to group by). Returns null
    /// with the reason when the change cannot be found exactly.
    /// </summary>
    public static async Task<(OrderChanges? Changes, string? Why)> ReadAsync(
        GoldUpdate update, IReadOnlyList<string> columns, DataFrame? moreCustomers, Column? flag, CancellationToken ct)
    {
        if (update.Ctx.Config.SilverSource(Table) is not { } source)
        {
            return (null, $"{Table} is not a source's silver table");
        }

        if (source.Scd2)
        {
            return (null, $"{Table} keeps SCD type 2 history");
        }

        var keyColumns = source.BusinessKey;
        var selected = keyColumns.Concat(columns).Append(Customer).Distinct(StringComparer.Ordinal).ToArray();
        var current = update.Current(Table).Select(selected);
        var flagged = flag is null ? Lit(false) : Coalesce(flag, Lit(false));
        if (update.Changes.TryGetValue(Table, out var fed) && fed.Feed is { } feed)
        {
            return (await FromFeedAsync(update, feed, current, selected, moreCustomers, flag is null ? null : flagged, ct).ConfigureAwait(false), null);
        }

        DataFrame keys, old, batchCustomers;
        if (update.Changes.TryGetValue(Table, out var change))
        {
            var batches = await change.ChangedRowsAsync(ct).ConfigureAwait(false);
            keys = await update.PersistAsync(batches.Select([.. keyColumns]).Distinct(), ct).ConfigureAwait(false);
            old = await update.PersistAsync(update.Previous(Table).Select(selected).Join(keys, keyColumns, "left_semi"), ct).ConfigureAwait(false);
            batchCustomers = batches.Select(Customer);
        }
        else
        {
            keys = current.Select([.. keyColumns]).Filter(Lit(false));
            old = current.Filter(Lit(false));
            batchCustomers = current.Select(Customer).Filter(Lit(false));
        }

        // Every row a batch wrote comes from one of its rows, and every other row of K is as it was: the customers of
        // the new rows of K are among these. The scan below checks it rather than trusting it.
        var customers = old.Select(Customer).Union(batchCustomers);
        if (moreCustomers is not null)
        {
            customers = customers.Union(moreCustomers.Select(Customer));
        }

        customers = await update.PersistAsync(customers.Filter(Col(Customer).IsNotNull()).Distinct(), ct).ConfigureAwait(false);
        var inKeys = Coalesce(Col(InKeys), Lit(false));
        var ofCustomer = Coalesce(Col(OfCustomer), Lit(false));
        var scanned = await update.PersistAsync(current
            .Join(keys.WithColumn(InKeys, Lit(true)), keyColumns, "left")
            .Join(customers.WithColumn(OfCustomer, Lit(true)), Customer, "left")
            .Filter(inKeys | ofCustomer | flagged), ct).ConfigureAwait(false);
        var counts = (await scanned.Agg(
                Sum(When(inKeys & !ofCustomer & Col(Customer).IsNotNull(), 1L).Otherwise(0L)).Alias("missed"),
                Sum(When(flagged, 1L).Otherwise(0L)).Alias("flagged"))
            .CollectAsync(ct).ConfigureAwait(false))[0];
        if (counts.Get<long?>("missed") is > 0)
        {
            return (null, $"a current row of a changed {Table} key names a customer that no row of the batches or of the old version names");
        }

        return (new OrderChanges(old, scanned.Filter(inKeys).Select(selected), scanned.Filter(ofCustomer).Select(selected), customers,
            counts.Get<long?>("flagged") ?? 0), null);
    }

    /// <summary>
    /// The change from the change data feed: the old images (update preimages, deletes) and the new ones (postimages,
    /// inserts) of every commit in the range. An image that one commit wrote and a later one replaced is in both, so it
    /// cancels in any +new −old sum; its customer is recomputed for nothing, which changes no result. Only the current
    /// orders of the change's customers are read (and the <paramref name="flag"/>, when given, counted in the same scan).
    /// </summary>
    private static async Task<OrderChanges> FromFeedAsync(
        GoldUpdate update, DataFrame feed, DataFrame current, string[] selected, DataFrame? moreCustomers, Column? flag, CancellationToken ct)
    {
        var type = Col(GoldInputChange.ChangeType);
        var images = await update.PersistAsync(
            feed.Filter(type.IsIn([.. GoldInputChange.OldImages, .. GoldInputChange.NewImages])).Select([.. selected.Select(Col), type]), ct).ConfigureAwait(false);
        var old = images.Filter(type.IsIn([.. GoldInputChange.OldImages])).Select(selected);
        var @new = images.Filter(type.IsIn([.. GoldInputChange.NewImages])).Select(selected);
        var customers = images.Select(Customer);
        if (moreCustomers is not null)
        {
            customers = customers.Union(moreCustomers.Select(Customer));
        }

        customers = await update.PersistAsync(customers.Filter(Col(Customer).IsNotNull()).Distinct(), ct).ConfigureAwait(false);
        if (flag is null)
        {
            return new OrderChanges(old, @new, current.Join(customers, Customer, "left_semi"), customers, 0);
        }

        var ofCustomer = Coalesce(Col(OfCustomer), Lit(false));
        var scanned = await update.PersistAsync(current
            .Join(customers.WithColumn(OfCustomer, Lit(true)), Customer, "left")
            .Filter(ofCustomer | flag), ct).ConfigureAwait(false);
        var flagged = (await scanned.Agg(Sum(When(flag, 1L).Otherwise(0L)).Alias("flagged")).CollectAsync(ct).ConfigureAwait(false))[0];
        return new OrderChanges(old, @new, scanned.Filter(ofCustomer).Select(selected), customers, flagged.Get<long?>("flagged") ?? 0);
    }
}
