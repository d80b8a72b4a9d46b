namespace Lakehouse.Delta.Transactions;

/// <summary>
/// The outcome of <see cref="Transaction.Commit"/>: either a new table version, or nothing because the
/// application transaction (<c>txn</c> app id and version) was already committed. Conflicts are not results:
/// they raise <see cref="ConcurrentModificationException"/>.
/// </summary>
public sealed record CommitResult
{
    private CommitResult(long version, bool skipped, int attempts, IReadOnlyDictionary<string, string> metrics, string message)
    {
        Version = version;
        Skipped = skipped;
        Attempts = attempts;
        Metrics = metrics;
        Message = message;
    }

    /// <summary>The version this transaction committed; when <see cref="Skipped"/>, the version the table was read at.</summary>
    public long Version { get; }

    /// <summary>True when nothing was committed because the application transaction was already applied.</summary>
    public bool Skipped { get; }

    /// <summary>How many times the commit file was tried (1 without a lost race; 0 when skipped).</summary>
    public int Attempts { get; }

    /// <summary>The operation metrics written to <c>commitInfo</c> (empty when skipped).</summary>
    public IReadOnlyDictionary<string, string> Metrics { get; }

    /// <summary>A one-line description for logs and the command line.</summary>
    public string Message { get; }

    internal static CommitResult Committed(long version, int attempts, IReadOnlyDictionary<string, string> metrics, string? afterCommit = null) =>
        new(version, false, attempts, metrics, (attempts > 1
            ? $"Committed version {version} after {attempts - 1} lost race(s) with non-conflicting writers"
            : $"Committed version {version}") + (afterCommit is null ? "." : $"; {afterCommit}."));

    internal static CommitResult AlreadyExists(long version) =>
        new(version, true, 0, new Dictionary<string, string>(), $"Skipped: the table already exists (version {version}); nothing was written.");

    internal static CommitResult AlreadyApplied(long readVersion, string appId, long requested, long existing) =>
        new(readVersion, true, 0, new Dictionary<string, string>(),
            $"Skipped: application '{appId}' already committed transaction version {existing} (requested {requested}); nothing was written.");
}
