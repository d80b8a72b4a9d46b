using Lakehouse.Spark.Connect;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// Chooses, per session, how DeltaTable operations are sent. The session conf <c>lakehouse.delta.api</c>
/// (<c>auto</c>, <c>connect</c> or <c>sql</c>, as set through this client) forces a choice; <c>auto</c> sends
/// Delta Connect messages to Spark 4.x and the embedded engine and SQL to Spark 3.x (brief §6b: Delta
/// Connect ships with Delta 4.0 for Spark 4.0 only). A Spark 4 server that answers a Delta Connect message
/// with "No handler found for extension" has no Delta Connect plugin; <c>auto</c> then switches the session
/// to SQL. That answer comes from planning, before anything ran, so resending as SQL is safe.
/// </summary>
internal sealed class DeltaApiSelector(SparkSession session)
{
    /// <summary>The session conf that forces the rendering.</summary>
    internal const string ConfKey = DeltaTable.ApiConf;

    private volatile bool _noDeltaConnect;

    /// <summary>The rendering for lazy DataFrames, from what is known without a server call.</summary>
    /// <remarks>Before the server version is known (no async Delta call yet), <c>auto</c> assumes Delta Connect.</remarks>
    internal DeltaRendering Current
    {
        get
        {
            if (Forced() is { } forced)
            {
                return forced;
            }

            if (_noDeltaConnect)
            {
                return DeltaRendering.Sql;
            }

            return session.Client.KnownSparkVersion is { } version ? ByVersion(version) : DeltaRendering.Connect;
        }
    }

    /// <summary>The rendering for an action, asking the server for its version once per session if needed.</summary>
    internal async Task<DeltaRendering> ResolveAsync(CancellationToken cancellationToken)
    {
        if (Forced() is { } forced)
        {
            return forced;
        }

        if (_noDeltaConnect)
        {
            return DeltaRendering.Sql;
        }

        return ByVersion(await session.Client.SparkVersionAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Runs an action in the chosen rendering, falling back to SQL once if the server lacks Delta Connect.</summary>
    internal async Task<T> RunAsync<T>(Func<DeltaRendering, Task<T>> action, CancellationToken cancellationToken)
    {
        var rendering = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        if (rendering == DeltaRendering.Sql)
        {
            return await action(DeltaRendering.Sql).ConfigureAwait(false);
        }

        try
        {
            return await action(DeltaRendering.Connect).ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (Forced() is null && IsMissingDeltaConnect(e))
        {
            _noDeltaConnect = true;
        }

        return await action(DeltaRendering.Sql).ConfigureAwait(false);
    }

    /// <summary>The server had no plugin for the extension message (Spark's SparkConnectPlanner, InvalidPlanInput).</summary>
    internal static bool IsMissingDeltaConnect(SparkConnectException e) =>
        e.Message.Contains("No handler found for extension", StringComparison.OrdinalIgnoreCase)
        || (e.ErrorClass?.Contains("NO_HANDLER_FOR_EXTENSION", StringComparison.Ordinal) ?? false);

    private static DeltaRendering ByVersion(string version) =>
        SparkConnectClient.IsSpark35(version) ? DeltaRendering.Sql : DeltaRendering.Connect;

    private DeltaRendering? Forced()
    {
        var value = session.Conf.ClientValue(ConfKey);
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => null,
            "connect" => DeltaRendering.Connect,
            "sql" => DeltaRendering.Sql,
            _ => throw new InvalidOperationException(
                $"The session conf {ConfKey} is '{value}'; set it to auto, connect or sql."),
        };
    }
}
