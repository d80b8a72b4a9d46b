using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using Serilog;

namespace Lakehouse.Pipeline.Runs;

/// <summary>
/// Keeps the ops log tables (<c>ops.job_runs</c>, <c>ops.dq_results</c>) in few files. Every job run appends a file of a
/// row or a few, and every quality and gold task reads the logs, so without compaction a read costs one file footer per
/// earlier run. After its append, a writer compacts the table (OPTIMIZE, bin-packing) once it holds
/// <see cref="MaxFiles"/> files or more.
/// </summary>
internal static class LogCompaction
{
    /// <summary>The file count at which a log table is compacted.</summary>
    public const int MaxFiles = 8;

    /// <summary>Compacts the table at <paramref name="path"/> when it holds <see cref="MaxFiles"/> files or more. Never
    /// throws for a failed compaction (the log stays readable, only slower): losing the race to a parallel job's
    /// compaction is expected, anything else is logged.</summary>
    public static async Task CompactIfFragmentedAsync(SparkSession spark, string path, ILogger log, CancellationToken ct)
    {
        try
        {
            var table = DeltaTable.ForPath(spark, path);
            var files = (await table.Detail().Select("numFiles").CollectAsync(ct).ConfigureAwait(false))[0].Get<long>("numFiles");
            if (files < MaxFiles)
            {
                return;
            }

            // docs/maintenance.md, Optimize: only the compacted files count as read, so parallel jobs' appends commit
            // alongside it; only a second compaction of the same files conflicts.
            await table.Optimize().ExecuteCompactionAsync(ct).ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (ErrorKinds.Classify(e) == ErrorKinds.ConcurrentModification)
        {
            // A parallel job compacted the same files first.
        }
        catch (SparkConnectException e) when (DeltaTables.IsMissingTable(e))
        {
            // Nothing appended to it yet (a pipeline without table checks has no results table).
        }
        catch (SparkConnectException e)
        {
            log.Warning(e, "could not compact {Path}: {Message}", path, e.Message);
        }
    }
}
