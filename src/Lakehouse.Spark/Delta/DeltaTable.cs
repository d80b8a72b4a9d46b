using Lakehouse.Spark.Delta.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// A Delta table, with delta-spark's table API: MERGE, update, delete, history, detail, vacuum, optimize and
/// restore. Works against Spark 4 with Delta Connect and the embedded engine (Delta Connect messages) and
/// against Spark 3.5 (Delta SQL over Spark Connect); the session chooses (see <see cref="ApiConf"/>).
/// Operations that change the table run exactly once when their async method is awaited.
/// </summary>
/// <remarks>
/// Idempotent writes and commit metadata use Delta's session confs, set with <c>spark.Conf</c> before the
/// operation: <c>spark.databricks.delta.write.txnAppId</c> + <c>spark.databricks.delta.write.txnVersion</c>
/// (skip an already committed version) and <c>spark.databricks.delta.commitInfo.userMetadata</c>.
/// </remarks>
public sealed partial class DeltaTable
{
    /// <summary>
    /// Session conf choosing how DeltaTable talks to the server: <c>auto</c> (default: Delta Connect messages for
    /// Spark 4.x and the embedded engine, SQL for Spark 3.x), <c>connect</c> or <c>sql</c>. Set it with the
    /// session builder's <c>Config</c> or <c>spark.Conf.SetAsync</c>; the client reads the value it set.
    /// </summary>
    public const string ApiConf = "lakehouse.delta.api";

    private readonly long _scanPlanId;
    private readonly long? _aliasPlanId;

    private DeltaTable(SparkSession session, DeltaTableRef table, string? alias, long scanPlanId, long? aliasPlanId)
    {
        Session = session;
        Table = table;
        Alias = alias;
        _scanPlanId = scanPlanId;
        _aliasPlanId = aliasPlanId;
    }

    /// <summary>The session this table is used through.</summary>
    public SparkSession Session { get; }

    internal DeltaTableRef Table { get; }

    internal string? Alias { get; }

    /// <summary>The Delta table at a path (the directory holding <c>_delta_log</c>).</summary>
    /// <param name="spark">The session.</param>
    /// <param name="path">The table root, e.g. <c>/data/silver/orders</c> or <c>s3://bucket/orders</c>.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public static DeltaTable ForPath(SparkSession spark, string path)
    {
        ArgumentNullException.ThrowIfNull(spark);
        return new(spark, DeltaTableRef.ForPath(path), null, spark.NextPlanId(), null);
    }

    /// <summary>A Delta table by catalog name, e.g. <c>silver.orders</c>; parts may be backquoted.</summary>
    /// <param name="spark">The session.</param>
    /// <param name="name">The (multi-part) table name.</param>
    /// <exception cref="ArgumentException">The name is empty or malformed.</exception>
    public static DeltaTable ForName(SparkSession spark, string name)
    {
        ArgumentNullException.ThrowIfNull(spark);
        return new(spark, DeltaTableRef.ForName(name), null, spark.NextPlanId(), null);
    }

    /// <summary>Whether <paramref name="path"/> is the root of a Delta table.</summary>
    /// <param name="spark">The session.</param>
    /// <param name="path">The directory to check.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <remarks>Without Delta Connect this runs <c>DESCRIBE DETAIL</c> and checks that the format is <c>delta</c>.</remarks>
    public static Task<bool> IsDeltaTableAsync(SparkSession spark, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spark);
        var table = DeltaTableRef.ForPath(path);
        return spark.DeltaApi.RunAsync(rendering => rendering == DeltaRendering.Connect
            ? IsDeltaConnectAsync(spark, path, cancellationToken)
            : IsDeltaSqlAsync(spark, table, cancellationToken), cancellationToken);
    }

    /// <summary>Starts a CREATE TABLE that fails if the table exists.</summary>
    /// <param name="spark">The session.</param>
    public static DeltaTableBuilder Create(SparkSession spark) => new(spark, DeltaTableBuilder.CreateMode.Create);

    /// <summary>Starts a CREATE TABLE IF NOT EXISTS (an existing table is left as it is).</summary>
    /// <param name="spark">The session.</param>
    public static DeltaTableBuilder CreateIfNotExists(SparkSession spark) => new(spark, DeltaTableBuilder.CreateMode.CreateIfNotExists);

    /// <summary>Starts a CREATE OR REPLACE TABLE.</summary>
    /// <param name="spark">The session.</param>
    public static DeltaTableBuilder CreateOrReplace(SparkSession spark) => new(spark, DeltaTableBuilder.CreateMode.CreateOrReplace);

    /// <summary>Starts a REPLACE TABLE (fails if the table does not exist).</summary>
    /// <param name="spark">The session.</param>
    public static DeltaTableBuilder Replace(SparkSession spark) => new(spark, DeltaTableBuilder.CreateMode.Replace);

    /// <summary>The table's current data as a lazy DataFrame; with <see cref="As"/>, its columns are qualified by the alias.</summary>
    public DataFrame ToDF() => new(Session, TargetRelation(Session.DeltaApi.Current));

    /// <summary>The same table under an alias, for conditions such as <c>"t.id = s.id"</c>.</summary>
    /// <param name="alias">The alias.</param>
    public DeltaTable As(string alias)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        return new(Session, Table, alias, _scanPlanId, Session.NextPlanId());
    }

    /// <summary>
    /// The commit history, newest first, as a lazy DataFrame with <c>DESCRIBE HISTORY</c>'s columns: version,
    /// timestamp, userId, userName, operation, operationParameters, job, notebook, clusterId, readVersion,
    /// isolationLevel, isBlindAppend, operationMetrics, userMetadata, engineInfo.
    /// </summary>
    /// <param name="limit">Only the latest this many commits; null for all.</param>
    public DataFrame History(int? limit = null)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The history limit cannot be negative.");
        }

        if (Session.DeltaApi.Current == DeltaRendering.Sql)
        {
            return Session.NewFrame(new Relation { Sql = new SQL { Query = DeltaSql.History(Table, limit) } });
        }

        // tables.py: history(limit) is describe_history with a limit on top.
        var history = Session.NewFrame(DeltaMessages.Relation(DeltaMessages.History(Table), 0));
        return limit is { } n ? history.Limit(n) : history;
    }

    /// <summary>
    /// One row describing the table, as a lazy DataFrame with <c>DESCRIBE DETAIL</c>'s columns: format, id, name,
    /// description, location, createdAt, lastModified, partitionColumns, clusteringColumns, numFiles,
    /// sizeInBytes, properties, minReaderVersion, minWriterVersion, tableFeatures, statistics.
    /// </summary>
    public DataFrame Detail() => Session.DeltaApi.Current == DeltaRendering.Sql
        ? Session.NewFrame(new Relation { Sql = new SQL { Query = DeltaSql.Detail(Table) } })
        : Session.NewFrame(DeltaMessages.Relation(DeltaMessages.Detail(Table), 0));

    /// <summary>The table as the target of a DML relation (delta-spark: the table's plan, aliased when aliased).</summary>
    internal Relation TargetRelation(DeltaRendering rendering)
    {
        var common = new RelationCommon { PlanId = _scanPlanId };
        var scan = rendering == DeltaRendering.Connect
            ? DeltaMessages.Relation(DeltaMessages.Scan(Table), _scanPlanId)
            : Table.Path is not null
                ? new Relation { Common = common, Read = new Read { DataSource = new Read.Types.DataSource { Format = "delta", Paths = { Table.Path } } } }
                : new Relation { Common = common, Read = new Read { NamedTable = new Read.Types.NamedTable { UnparsedIdentifier = Table.Name } } };
        return Alias is null
            ? scan
            : new Relation { Common = new RelationCommon { PlanId = _aliasPlanId!.Value }, SubqueryAlias = new SubqueryAlias { Input = scan, Alias = Alias } };
    }

    /// <summary>Plan ids of <see cref="ToDF"/>'s relations, so <c>ToDF()["col"]</c> renders as a target column in SQL.</summary>
    internal IEnumerable<long> PlanIds => _aliasPlanId is { } aliasId ? [_scanPlanId, aliasId] : [_scanPlanId];

    private static async Task<bool> IsDeltaConnectAsync(SparkSession spark, string path, CancellationToken cancellationToken)
    {
        var relation = DeltaMessages.Relation(DeltaMessages.IsDeltaTable(path), spark.NextPlanId());
        var result = await DeltaExecution.RelationAsync(spark, relation, cancellationToken).ConfigureAwait(false);
        return result.Rows is [var row, ..] && row.Length > 0 && row[0] is true;
    }

    private static async Task<bool> IsDeltaSqlAsync(SparkSession spark, DeltaTableRef table, CancellationToken cancellationToken)
    {
        try
        {
            var result = await DeltaExecution.SqlAsync(spark, DeltaSql.Detail(table), cancellationToken).ConfigureAwait(false);
            // Delta describes a non-Delta directory too, with that directory's format.
            return result.Rows is [var row, ..] && row.Columns.Contains("format") && string.Equals(row["format"] as string, "delta", StringComparison.OrdinalIgnoreCase);
        }
        catch (SparkConnectException e) when (e.ErrorClass?.StartsWith("DELTA_", StringComparison.Ordinal) == true || e.ErrorClass == "PATH_NOT_FOUND")
        {
            return false;
        }
    }
}
