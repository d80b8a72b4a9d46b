namespace Lakehouse.Pipeline.Demo;

/// <summary>What <see cref="DemoData.Generate"/> writes: which batch, how large, from which seed.</summary>
public sealed record DemoOptions
{
    /// <summary>Orders in batch 1 (at least 20); later batches add a tenth of it as new orders unless
    /// <see cref="NewOrders"/> says otherwise. Default 1,000.</summary>
    public int Rows { get; init; } = 1000;

    /// <summary>
    /// New orders each later batch adds (at least 5); its updated orders are half as many, its late and deleted orders
    /// a tenth each, and its new and changed customers scale alike. Default (null): a tenth of <see cref="Rows"/>.
    /// Give every batch of one landing zone the same <see cref="Rows"/> and <see cref="NewOrders"/>: a batch replays
    /// the ones before it to know which orders and customers exist.
    /// </summary>
    public int? NewOrders { get; init; }

    /// <summary>The batch to write, from 1. Batch 1 is the initial load; each later batch is a new set of files
    /// with new orders, updates, late data, deletes and new customers. Default 1.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>The seed: the same seed, rows, batch and anchor give byte-identical files. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// The instant batch 1 ends at: its orders fall in the 90 days before it, and batch <c>n ≥ 2</c> happens in the
    /// hour <c>[Anchor + (n − 2) h, Anchor + (n − 1) h)</c>. Default: the start of the current UTC day, so that the
    /// demo's data is fresh; set it for files that do not depend on the date.
    /// </summary>
    public DateTimeOffset? Anchor { get; init; }
}
