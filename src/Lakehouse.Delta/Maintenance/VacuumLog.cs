using System.Globalization;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Transactions;

namespace Lakehouse.Delta.Maintenance;

/// <summary>
/// The <c>VACUUM START</c> and <c>VACUUM END</c> commits Delta writes around a vacuum: commitInfo only, so that
/// DESCRIBE HISTORY shows who vacuumed what. They change no file of the table.
/// </summary>
internal sealed class VacuumLog(Snapshot snapshot, VacuumOptions options, TimeSpan retention, TimeSpan configured)
{
    /// <summary>Commits <c>VACUUM START</c> with the retention and what is about to be deleted.</summary>
    public void Start(long filesToDelete, long bytesToDelete)
    {
        var parameters = new Dictionary<string, string>
        {
            ["retentionCheckEnabled"] = options.DisableRetentionCheck ? "false" : "true",
            ["defaultRetentionMillis"] = Millis(configured),
        };
        if (options.Retention is not null)
        {
            parameters["specifiedRetentionMillis"] = Millis(retention);
        }

        var transaction = Transaction.Start(snapshot, "VACUUM START", parameters, options.TimeProvider);
        transaction.SetMetric("numFilesToDelete", filesToDelete);
        transaction.SetMetric("sizeOfDataToDelete", bytesToDelete);
        transaction.Commit();
    }

    /// <summary>Commits <c>VACUUM END</c> with <paramref name="status"/> (COMPLETED or FAILED) and what was deleted.</summary>
    public void End(string status, long deletedFiles, long deletedDirectories)
    {
        var transaction = Transaction.Start(Snapshot.Load(snapshot.Store), "VACUUM END", new Dictionary<string, string> { ["status"] = status }, options.TimeProvider);
        transaction.SetMetric("numDeletedFiles", deletedFiles);
        transaction.SetMetric("numVacuumedDirectories", deletedDirectories);
        transaction.Commit();
    }

    private static string Millis(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
