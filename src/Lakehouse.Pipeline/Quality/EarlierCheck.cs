namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The latest earlier result of a check whose basis names a commit of the checked table as it is (<see cref="From"/>),
/// and how the table changed since: <see cref="Change"/> when every commit after it is a silver-job MERGE or an OPTIMIZE
/// and the schema is the same, so that every row now is a row of <see cref="From"/> or has a <c>_batch_id</c> above its
/// batch; otherwise null, and <see cref="Why"/> says why.
/// </summary>
internal sealed record EarlierCheck(
    string? RunId, bool Passed, long TotalRows, string? Measured, CheckBasis.At From, CheckBasis.At? Other, CommitLog.Change? Change, string? Why)
{
    /// <summary>The rows the result counted as failing.</summary>
    public long FailingRows { get; init; }

    /// <summary>The result's examples, as recorded (<c>value (xN)</c> for value checks).</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>The batch the new rows come after, when the check can start from this result.</summary>
    public long? After => Change is not null ? From.Batch : null;

    /// <summary>A sentence for a result taken from the new rows: what was read and what it rests on.</summary>
    public string Incrementally(long? newRows) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $" Checked incrementally: the {(newRows is { } n ? n + " " : "")}rows written after {From.Table} v{From.Version} (bronze batch {From.Batch}); the rows before were checked in run {RunId}.");
}
