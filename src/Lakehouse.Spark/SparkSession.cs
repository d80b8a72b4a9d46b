using Apache.Arrow;
using Google.Protobuf;
using Lakehouse.Spark.Arrow;
using Lakehouse.Spark.Connect;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>
/// A Spark Connect session: the entry point for reading data, running SQL and building DataFrames.
/// Open one with <c>await SparkSession.Builder().Remote("sc://…").CreateAsync()</c>; dispose it to end the
/// server-side session.
/// </summary>
public sealed class SparkSession : IAsyncDisposable
{
    private long _nextPlanId;

    internal SparkSession(SparkConnectClient client)
    {
        Client = client;
        Conf = new RuntimeConfig(client);
        DeltaApi = new Delta.DeltaApiSelector(this);
    }

    /// <summary>A builder for a new session.</summary>
    public static SparkSessionBuilder Builder() => new();

    /// <summary>The RPC client, for plans built by hand.</summary>
    public SparkConnectClient Client { get; }

    /// <summary>Session configuration.</summary>
    public RuntimeConfig Conf { get; }

    /// <summary>Reads files and tables.</summary>
    public DataFrameReader Read => new(this);

    /// <summary>
    /// Runs a SQL statement the way PySpark does: a <c>SqlCommand</c> is executed at once (so DDL/DML take
    /// effect now), and the relation the server returns becomes the DataFrame (a query stays lazy).
    /// </summary>
    /// <param name="query">The SQL text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SparkConnectException">The SQL failed to parse or run.</exception>
    public async Task<DataFrame> SqlAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        Relation? result = null;
        await foreach (var response in Client.ExecuteAsync(SqlPlan(query), cancellationToken).ConfigureAwait(false))
        {
            if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.SqlCommandResult)
            {
                result = response.SqlCommandResult.Relation;
            }
        }

        if (result is null)
        {
            // A server that returns no result relation still ran the statement; query it as SQL.
            return NewFrame(new Relation { Sql = new SQL { Query = query } });
        }

        result.Common ??= new RelationCommon();
        result.Common.PlanId = NextPlanId();
        return new DataFrame(this, result);
    }

    /// <summary>A table by name (<c>bronze.orders</c>) or by path (<c>delta.`/data/orders`</c>).</summary>
    /// <param name="name">The table identifier.</param>
    public DataFrame Table(string name) => Read.Table(name);

    /// <summary>A single <c>id</c> column (long) from <paramref name="start"/> up to, not including, <paramref name="end"/>.</summary>
    /// <param name="start">First value.</param>
    /// <param name="end">Exclusive end.</param>
    /// <param name="step">Increment (not 0).</param>
    public DataFrame Range(long start, long end, long step = 1)
    {
        if (step == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "The step of a range cannot be 0.");
        }

        return NewFrame(new Relation { Range = new Protos.Range { Start = start, End = end, Step = step } });
    }

    /// <summary>A DataFrame of C# records: one column per public property, rows shipped in the plan as Arrow.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <exception cref="ArgumentException">A property type has no Arrow mapping.</exception>
    public DataFrame CreateDataFrame<T>(IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var batch = ArrowLocalData.FromRecords(rows.ToList());
        return CreateDataFrame(batch.Schema, [batch]);
    }

    /// <summary>A DataFrame of Arrow record batches, shipped in the plan as a LocalRelation.</summary>
    /// <param name="schema">The batches' schema.</param>
    /// <param name="batches">The data.</param>
    /// <exception cref="ArgumentException">The data is too large to ship inside a plan.</exception>
    public DataFrame CreateDataFrame(Schema schema, IEnumerable<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var data = ArrowLocalData.Serialize(schema, batches);
        // brief §9.5: the plan travels in one gRPC message; larger local data belongs in files read by the server.
        if (data.Length > Client.Connection.MaxMessageSize / 2)
        {
            throw new ArgumentException(
                $"The local data is {data.Length:N0} bytes of Arrow, more than half the {Client.Connection.MaxMessageSize:N0}-byte message limit. Write it to Parquet or JSON files and read them with spark.Read instead.",
                nameof(batches));
        }

        return NewFrame(new Relation { LocalRelation = new LocalRelation { Data = ByteString.CopyFrom(data) } });
    }

    /// <summary>The server's Spark version, e.g. <c>4.0.0</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<string> VersionAsync(CancellationToken cancellationToken = default) => Client.SparkVersionAsync(cancellationToken);

    /// <summary>Interrupts every running operation of this session.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<string>> InterruptAllAsync(CancellationToken cancellationToken = default) =>
        Client.InterruptAllAsync(cancellationToken);

    /// <summary>Releases the server-side session (Spark 4.0) and closes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.ReleaseSessionAsync().ConfigureAwait(false);
        }
        catch (SparkConnectException)
        {
            // The session ends on the server by timeout anyway.
        }
        catch (Grpc.Core.RpcException)
        {
            // Same: an unreachable server has nothing to release.
        }

        await Client.DisposeAsync().ConfigureAwait(false);
    }

    // brief §1: SqlCommand.sql (field 1) is read by 3.5 and 4.0 alike; 4.0's `input` would be dropped by 3.5.
    internal static Plan SqlPlan(string query) => new() { Command = new Command { SqlCommand = new SqlCommand { Sql = query } } };

    /// <summary>Chooses between Delta Connect messages and Delta SQL for <see cref="Delta.DeltaTable"/>.</summary>
    internal Delta.DeltaApiSelector DeltaApi { get; }

    internal long NextPlanId() => Interlocked.Increment(ref _nextPlanId) - 1;

    internal DataFrame NewFrame(Relation relation)
    {
        relation.Common = new RelationCommon { PlanId = NextPlanId() };
        return new DataFrame(this, relation);
    }
}
