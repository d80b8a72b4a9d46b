using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Runs;

/// <summary>Writes to shared log tables, which parallel jobs append to at the same time.</summary>
internal static class DeltaWrites
{
    private const int Attempts = 5;

    /// <summary>Two first appends race to create the table; the loser's retry appends to the winner's table.</summary>
    private static bool LostCreateRace(SparkConnectException e) =>
        e.ErrorClass is { } c && (c.Contains("ALREADYEXISTS", StringComparison.Ordinal) || c.Contains("ALREADY_EXISTS", StringComparison.Ordinal));

    /// <summary>Appends, retrying when another writer committed first. A blind append never conflicts in Delta's
    /// rules (PROTOCOL.md, optimistic concurrency), so a retry only repeats the attempt to commit, never data.</summary>
    public static async Task AppendWithRetryAsync(DataFrameWriter writer, string path, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await writer.SaveAsync(path, ct).ConfigureAwait(false);
                return;
            }
            catch (SparkConnectException e) when (attempt < Attempts && (ErrorKinds.Classify(e) == ErrorKinds.ConcurrentModification || LostCreateRace(e)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * Random.Shared.Next(1, 4)), ct).ConfigureAwait(false);
            }
        }
    }
}
