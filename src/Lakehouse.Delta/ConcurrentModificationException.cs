namespace Lakehouse.Delta;

/// <summary>
/// A commit lost a race: another writer committed <see cref="WinningVersion"/> with changes this
/// transaction's reads or writes conflict with. Retrying the whole operation (re-reading the table)
/// is safe; the table is unchanged by the losing transaction.
/// </summary>
public sealed class ConcurrentModificationException : DeltaException
{
    /// <summary>Creates the exception.</summary>
    public ConcurrentModificationException(string conflict, long readVersion, long winningVersion, string? winningOperation, string tablePath)
        : base(DeltaErrorKind.ConcurrentModification,
            $"Concurrent modification of {tablePath}: {conflict} The transaction read version {readVersion}; version {winningVersion}"
            + (winningOperation is null ? "" : $" ({winningOperation})")
            + " was committed by another writer since. Help: re-run the operation; it will read the new version.",
            tablePath)
    {
        Conflict = conflict;
        ReadVersion = readVersion;
        WinningVersion = winningVersion;
        WinningOperation = winningOperation;
    }

    /// <summary>What conflicted, e.g. which files or partitions both transactions touched.</summary>
    public string Conflict { get; }

    /// <summary>The table version the losing transaction read.</summary>
    public long ReadVersion { get; }

    /// <summary>The first committed version that conflicts.</summary>
    public long WinningVersion { get; }

    /// <summary>The operation of the winning commit, when its commitInfo says.</summary>
    public string? WinningOperation { get; }
}
