using Lakehouse.Pipeline.Bronze;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The aggregate passes of one table's checks: <see cref="Full"/> over every checked row, and one over the rows written
/// after each bronze batch that an incremental check starts from (<see cref="After"/>; in practice one). A pass that
/// nothing was added to is not run (the full one also counts the rows, so it runs when the count is not known).
/// </summary>
internal sealed class CheckPasses(DataFrame frame)
{
    private readonly Dictionary<long, (DataFrame Rows, AggregatePass Pass)> _after = [];

    public AggregatePass Full { get; } = new();

    /// <summary>The rows with a <c>_batch_id</c> above <paramref name="batch"/>, and the pass over them.</summary>
    public (DataFrame Rows, AggregatePass Pass) After(long batch)
    {
        if (!_after.TryGetValue(batch, out var entry))
        {
            entry = (frame.Filter(Col(BronzeColumns.BatchId) > Lit(batch)), new AggregatePass());
            _after[batch] = entry;
        }

        return entry;
    }

    /// <summary>Runs the passes that have something to compute; the full one also when <paramref name="knownRows"/> is null.</summary>
    public async Task<PassResults> RunAsync(long? knownRows, CancellationToken ct)
    {
        Row? full = null;
        if (!(Full.OnlyRows && knownRows is not null))
        {
            full = await Full.RunAsync(frame, ct).ConfigureAwait(false);
        }

        var after = new Dictionary<long, Row>();
        foreach (var (batch, (rows, pass)) in _after)
        {
            if (!pass.OnlyRows)
            {
                after[batch] = await pass.RunAsync(rows, ct).ConfigureAwait(false);
            }
        }

        return new PassResults(full, after, full is null ? knownRows!.Value : CheckValues.Long(full[AggregatePass.Rows]));
    }
}

/// <summary>What the passes computed: the full pass's row (null when it did not run), the rows of the passes over new
/// rows by the batch they start after, and the checked table's row count.</summary>
internal sealed record PassResults(Row? Full, IReadOnlyDictionary<long, Row> After, long Rows);
