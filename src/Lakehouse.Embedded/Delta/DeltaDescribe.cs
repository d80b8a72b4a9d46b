using System.Globalization;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Sql;
using static Lakehouse.Embedded.Delta.ResultRows;

namespace Lakehouse.Embedded.Delta;

/// <summary>DESCRIBE HISTORY and DESCRIBE DETAIL as Delta returns them: the same columns, names, types and order.</summary>
internal static class DeltaDescribe
{
    private const string Job = "STRUCT(\"jobId\" VARCHAR, \"jobName\" VARCHAR, \"jobRunId\" VARCHAR, \"runId\" VARCHAR, \"jobOwnerId\" VARCHAR, \"triggerType\" VARCHAR)";
    private const string Notebook = "STRUCT(\"notebookId\" VARCHAR)";
    private const string StringMap = "MAP(VARCHAR, VARCHAR)";

    private static readonly Column[] HistoryColumns =
    [
        new("version", "BIGINT"), new("timestamp", "TIMESTAMPTZ"), new("userId", "VARCHAR"), new("userName", "VARCHAR"),
        new("operation", "VARCHAR"), new("operationParameters", StringMap), new("job", Job), new("notebook", Notebook),
        new("clusterId", "VARCHAR"), new("readVersion", "BIGINT"), new("isolationLevel", "VARCHAR"), new("isBlindAppend", "BOOLEAN"),
        new("operationMetrics", StringMap), new("userMetadata", "VARCHAR"), new("engineInfo", "VARCHAR"),
    ];

    private static readonly Column[] DetailColumns =
    [
        new("format", "VARCHAR"), new("id", "VARCHAR"), new("name", "VARCHAR"), new("description", "VARCHAR"), new("location", "VARCHAR"),
        new("createdAt", "TIMESTAMPTZ"), new("lastModified", "TIMESTAMPTZ"), new("partitionColumns", "VARCHAR[]"),
        new("clusteringColumns", "VARCHAR[]"), new("numFiles", "BIGINT"), new("sizeInBytes", "BIGINT"), new("properties", StringMap),
        new("minReaderVersion", "INTEGER"), new("minWriterVersion", "INTEGER"), new("tableFeatures", "VARCHAR[]"), new("statistics", StringMap),
    ];

    /// <summary>The table's history, newest first (all commits still in the log, or the newest <paramref name="limit"/>).</summary>
    public static string History(string path, int? limit = null)
    {
        var entries = DeltaErrors.Map(() => TableHistory.Read(path, limit));
        return ResultRows.Sql(HistoryColumns, entries.Select(e => (IReadOnlyList<string>)
        [
            Long(e.Version), Instant(e.Timestamp), Str(e.UserId), Str(e.UserName), Str(e.Operation), Map(e.OperationParameters),
            "NULL", "NULL", "NULL", e.ReadVersion is { } rv ? Long(rv) : "NULL", Str(e.IsolationLevel),
            e.IsBlindAppend is { } b ? (b ? "TRUE" : "FALSE") : "NULL", Map(e.OperationMetrics), Str(e.UserMetadata), Str(e.EngineInfo),
        ]));
    }

    /// <summary>One row describing the latest version of the table.</summary>
    public static string Detail(string path)
    {
        var snapshot = DmlTable.Load(path);
        var metadata = snapshot.Metadata;
        var features = (snapshot.Protocol.ReaderFeatures ?? []).Concat(snapshot.Protocol.WriterFeatures ?? []).Distinct(StringComparer.Ordinal)
            .Concat(LegacyFeatures(snapshot)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var deleted = snapshot.Files.Where(f => f.DeletionVector is not null).ToList();
        var statistics = new Dictionary<string, string>
        {
            ["numRowsDeletedByDeletionVectors"] = deleted.Sum(f => f.DeletionVector!.Cardinality).ToString(CultureInfo.InvariantCulture),
            ["numDeletionVectors"] = deleted.Count.ToString(CultureInfo.InvariantCulture),
        };
        return ResultRows.Sql(DetailColumns, [[
            Str("delta"), Str(metadata.Id), Str(metadata.Name), Str(metadata.Description), Str(new Uri(snapshot.TablePath).AbsoluteUri),
            metadata.CreatedTime is { } created ? Instant(DateTimeOffset.FromUnixTimeMilliseconds(created)) : "NULL",
            Instant(DateTimeOffset.FromUnixTimeMilliseconds(snapshot.Timestamp)), List(metadata.PartitionColumns), List([]),
            Long(snapshot.Files.Count), Long(snapshot.Files.Sum(f => f.Size)), Map(metadata.Configuration),
            Long(snapshot.Protocol.MinReaderVersion), Long(snapshot.Protocol.MinWriterVersion), List(features), Map(statistics),
        ]]);
    }

    /// <summary>The features a legacy protocol version implies (Delta lists them in tableFeatures too).</summary>
    private static IEnumerable<string> LegacyFeatures(Snapshot snapshot)
    {
        var writer = snapshot.Protocol.MinWriterVersion;
        if (writer >= 7)
        {
            yield break;
        }

        if (writer >= 2) { yield return "appendOnly"; yield return "invariants"; }
        if (writer >= 3) { yield return "checkConstraints"; }
        if (writer >= 4) { yield return "changeDataFeed"; yield return "generatedColumns"; }
        if (writer >= 5) { yield return "columnMapping"; }
        if (writer >= 6) { yield return "identityColumns"; }
    }

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset t) => $"TIMESTAMPTZ {SqlText.Str(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+00")}";

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(SqlText.Str)) + "]::VARCHAR[]";
}
