using System.Globalization;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>Small questions about Delta tables by path, asked through the engine.</summary>
internal static class DeltaTables
{
    /// <summary>The table at <paramref name="path"/>, or null when there is none yet.</summary>
    public static async Task<DataFrame?> TryReadAsync(SparkSession spark, string path, CancellationToken ct)
    {
        var frame = spark.Read.Format("delta").Load(path);
        try
        {
            await frame.SchemaAsync(ct).ConfigureAwait(false);
            return frame;
        }
        catch (SparkConnectException e) when (IsMissingTable(e))
        {
            return null;
        }
    }

    /// <summary>The column names of the table at <paramref name="path"/>, or null when there is none yet (one round trip).</summary>
    public static async Task<IReadOnlyList<string>?> TryColumnsAsync(SparkSession spark, string path, CancellationToken ct)
    {
        try
        {
            return await spark.Read.Format("delta").Load(path).ColumnsAsync(ct).ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (IsMissingTable(e))
        {
            return null;
        }
    }

    /// <summary>The latest version of the table at <paramref name="path"/>, or null when there is none yet.</summary>
    public static async Task<long?> TryLatestVersionAsync(SparkSession spark, string path, CancellationToken ct)
    {
        var rows = await TryCollectAsync(LatestVersion(spark, path), ct).ConfigureAwait(false);
        return rows is [var row] ? row.Get<long>("version") : null;
    }

    /// <summary>The latest version of the table at <paramref name="path"/>, which must exist.</summary>
    public static async Task<long> LatestVersionAsync(SparkSession spark, string path, CancellationToken ct) =>
        (await LatestVersion(spark, path).CollectAsync(ct).ConfigureAwait(false))[0].Get<long>("version");

    /// <summary>The latest version of the table at <paramref name="path"/>, which must exist, and its commit time in Unix
    /// milliseconds.</summary>
    public static async Task<(long Version, long Time)> LatestCommitAsync(SparkSession spark, string path, CancellationToken ct)
    {
        var row = (await DeltaTable.ForPath(spark, path).History(1).Select("version", "timestamp").CollectAsync(ct).ConfigureAwait(false))[0];
        return (row.Get<long>("version"), row.Get<DateTimeOffset>("timestamp").ToUnixTimeMilliseconds());
    }

    private static DataFrame LatestVersion(SparkSession spark, string path) => DeltaTable.ForPath(spark, path).History(1).Select("version");

    /// <summary>The table at <paramref name="path"/> as of <paramref name="version"/> (time travel).</summary>
    public static DataFrame ReadAt(SparkSession spark, string path, long version) =>
        spark.Read.Format("delta").Option("versionAsOf", version.ToString(CultureInfo.InvariantCulture)).Load(path);

    /// <summary>Collects <paramref name="frame"/>, or returns null when a table it reads does not exist yet: one round
    /// trip where <see cref="TryReadAsync"/> and a query would take two.</summary>
    public static async Task<IReadOnlyList<Row>?> TryCollectAsync(DataFrame frame, CancellationToken ct)
    {
        try
        {
            return await frame.CollectAsync(ct).ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (IsMissingTable(e))
        {
            return null;
        }
    }

    /// <summary>Spark and the embedded engine name a missing table or path in different ways; all are "not there yet".</summary>
    public static bool IsMissingTable(SparkConnectException e) =>
        e.ErrorClass is { } c
        && (c.Contains("PATH_NOT_FOUND", StringComparison.Ordinal)
            || c.Contains("TABLE_OR_VIEW_NOT_FOUND", StringComparison.Ordinal)
            || c.Contains("DELTA_MISSING_DELTA_TABLE", StringComparison.Ordinal)
            || c.Contains("DELTA_TABLE_NOT_FOUND", StringComparison.Ordinal)
            || c.Contains("NOT_A_DELTA_TABLE", StringComparison.Ordinal)
            || c.Contains("NOTADELTATABLE", StringComparison.Ordinal)
            || c.Contains("DELTA_PATH_DOES_NOT_EXIST", StringComparison.Ordinal));
}
