using Lakehouse.Pipeline.Quality;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// How silver.orders changed between the two builds of a <see cref="GoldUpdate"/>: <see cref="Old"/> and
/// <see cref="New"/> are rows whose multiset difference New − Old is exactly the difference of the two versions.
/// With the change data feed, they are the feed's old and new images and nothing else is read; from the batches, they
/// are the rows of the changed keys K (the keys of the consumed batches, a superset of the keys whose rows differ) at
/// the recorded version and now (rows of other keys are equal at both). The current orders a model still needs are read
/// with <see cref="CurrentOf"/>, for as few customers or (group, customer) pairs as it can manage with.
/// </summary>
/// <param name="Old">Rows as they were: of the changed keys at the recorded version, or the feed's old images.</param>
/// <param name="New">Rows as they became: of the changed keys now, or the feed's new images.</param>
/// <param name="Customers">Distinct non-null customer ids: those of <see cref="Old"/> and <see cref="New"/>, plus the caller's.</param>
/// <param name="Key">The business key of silver.orders (a column list that names one order in either version).</param>
/// <param name="Update">The update the change belongs to.</param>
internal sealed record OrderChanges(DataFrame Old, DataFrame New, DataFrame Customers, IReadOnlyList<string> Key, GoldUpdate Update)
{
    public const string Table = "silver.orders";
    public const string Customer = "customer_id";

    /// <summary>The column of <see cref="Net"/> with an image's net multiplicity (+1: a row of the new version only,
    /// −1: of the old version only).</summary>
    public const string Multiplicity = "__n";

    /// <summary>
    /// Reads the change. <paramref name="columns"/> are the order columns the caller needs; <paramref name="moreCustomers"/>
    /// (a frame of <c>customer_id</c>) adds customers to <see cref="Customers"/>. Returns null with the reason when the
    /// change cannot be found exactly.
    /// </summary>
    public static async Task<(OrderChanges? Changes, string? Why)> ReadAsync(
        GoldUpdate update, IReadOnlyList<string> columns, DataFrame? moreCustomers, CancellationToken ct)
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
        DataFrame old, @new;
        if (update.Changes.TryGetValue(Table, out var change) && change.Feed is { } feed)
        {
            var type = Col(CommitLog.ChangeType);
            var images = await update.PersistAsync(
                feed.Filter(type.IsIn([.. CommitLog.OldImages, .. CommitLog.NewImages])).Select([.. selected.Select(Col), type]), ct).ConfigureAwait(false);
            old = images.Filter(type.IsIn([.. CommitLog.OldImages])).Select(selected);
            @new = images.Filter(type.IsIn([.. CommitLog.NewImages])).Select(selected);
        }
        else if (change is not null)
        {
            // Every row a batch wrote has a key of its batches, and every other row of K is as it was.
            var batches = await change.ChangedRowsAsync(ct).ConfigureAwait(false);
            var keys = await update.PersistAsync(batches.Select([.. keyColumns]).Distinct(), ct).ConfigureAwait(false);
            old = await update.PersistAsync(update.Previous(Table).Select(selected).Join(keys, keyColumns, "left_semi"), ct).ConfigureAwait(false);
            @new = await update.PersistAsync(update.Current(Table).Select(selected).Join(keys, keyColumns, "left_semi"), ct).ConfigureAwait(false);
        }
        else
        {
            old = update.Current(Table).Select(selected).Filter(Lit(false));
            @new = old;
        }

        var customers = old.Select(Customer).Union(@new.Select(Customer));
        if (moreCustomers is not null)
        {
            customers = customers.Union(moreCustomers.Select(Customer));
        }

        customers = await update.PersistAsync(customers.Filter(Col(Customer).IsNotNull()).Distinct(), ct).ConfigureAwait(false);
        return (new OrderChanges(old, @new, customers, keyColumns, update), null);
    }

    /// <summary>
    /// The revenue images (<see cref="GoldModel.IsRevenue"/>) projected to the order's key and <paramref name="columns"/>,
    /// with their net multiplicity <see cref="Multiplicity"/> (new minus old), the ones that cancel left out. Since
    /// New − Old is the versions' difference, a row with a positive multiplicity is a revenue order of the new version
    /// that the old one did not have (so projected), and a negative one the reverse; an image that one commit wrote and a
    /// later one replaced, or an update that changes no projected column (a status that stays revenue), cancels.
    /// </summary>
    public DataFrame Net(params (string Name, Column Value)[] columns)
    {
        // A column of the key (customer_id in a composite key) is projected once.
        var more = columns.Where(c => !Key.Contains(c.Name, StringComparer.Ordinal)).ToList();
        var projected = Key.Select(Col).Concat(more.Select(c => c.Value.Alias(c.Name))).ToArray();
        var old = Old.Filter(GoldModel.IsRevenue).Select([.. projected, Lit(-1L).Alias(Multiplicity)]);
        var @new = New.Filter(GoldModel.IsRevenue).Select([.. projected, Lit(1L).Alias(Multiplicity)]);
        var names = Key.Concat(more.Select(c => c.Name)).ToArray();
        return old.UnionByName(@new).GroupBy(names).Agg(Sum(Col(Multiplicity)).Alias(Multiplicity)).Filter(Col(Multiplicity) != 0L);
    }

    /// <summary>
    /// The current orders (<paramref name="columns"/>, plus <c>customer_id</c>) of the rows of <paramref name="of"/>,
    /// matched on <paramref name="on"/>. The read scans the current version; callers ask only for what they cannot maintain.
    /// </summary>
    public DataFrame CurrentOf(DataFrame of, IReadOnlyList<string> on, IReadOnlyList<string> columns) =>
        Update.Current(Table).Select([.. columns.Append(Customer).Distinct(StringComparer.Ordinal)])
            .Join(of.Select([.. on]).Distinct(), on, "left_semi");

    /// <summary>How many nulls the current orders have in <paramref name="columns"/> (0 exactly when no current order
    /// has one): one filtered count per column, which a reader can answer from the files' null counts.</summary>
    public async Task<long> NullsAsync(IReadOnlyList<string> columns, CancellationToken ct)
    {
        var total = 0L;
        foreach (var column in columns)
        {
            total += await Update.Current(Table).Select(column).Filter(Col(column).IsNull()).CountAsync(ct).ConfigureAwait(false);
        }

        return total;
    }
}
