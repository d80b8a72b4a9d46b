using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

public sealed partial class DataFrame
{
    /// <summary>
    /// Marks this DataFrame's plan for caching at the session's default storage level (Spark's <c>persist()</c>): the
    /// next action that runs it computes it once and keeps the result, and later plans built on this DataFrame read the
    /// kept result instead of recomputing it. Marking runs nothing; the cache holds the data as of that first action.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>This DataFrame, for chaining.</returns>
    /// <exception cref="SparkConnectException">The server refused the request.</exception>
    public async Task<DataFrame> PersistAsync(CancellationToken cancellationToken = default)
    {
        var request = new AnalyzePlanRequest { Persist = new() { Relation = Relation } };
        await Session.Client.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
        return this;
    }

    /// <summary>Removes the caching mark of <see cref="PersistAsync"/> and frees the kept result (Spark's <c>unpersist()</c>).
    /// A DataFrame that was not persisted is left as it is.</summary>
    /// <param name="blocking">Wait until the kept data is freed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SparkConnectException">The server refused the request.</exception>
    public async Task UnpersistAsync(bool blocking = false, CancellationToken cancellationToken = default)
    {
        var request = new AnalyzePlanRequest { Unpersist = new() { Relation = Relation, Blocking = blocking } };
        await Session.Client.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
