using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>What the translator needs from the session: schemas of SQL, tables by name or path, local data, views.</summary>
internal interface ITranslationContext
{
    /// <summary>Column names and DuckDB type names of a SELECT statement, without running it.</summary>
    IReadOnlyList<(string Name, string Type)> Describe(string sql);

    /// <summary>Runs a query at planning time (footers, inference) and returns its rows.</summary>
    IReadOnlyList<object?[]> Rows(string sql);

    /// <summary>Runs a query at planning time (as Spark's schema inference reads data) and returns its first value as text, or null.</summary>
    string? Scalar(string sql);

    /// <summary>The session's ANSI and case-sensitivity confs.</summary>
    SqlSettings Settings { get; }

    /// <summary>SQL reading the Delta table at a path, optionally at a version or timestamp, and its column names.</summary>
    SourceSql DeltaTableSql(string path, string? versionAsOf, string? timestampAsOf);

    /// <summary>SQL reading the change data feed of the Delta table at a path (<c>readChangeFeed</c> and its range
    /// options), and its column names.</summary>
    SourceSql DeltaChangesSql(string path, IReadOnlyDictionary<string, string> options);

    /// <summary>The table directory for a name such as <c>bronze.orders</c>.</summary>
    string TablePath(string name);

    /// <summary>A session view registered with createOrReplaceTempView, or null.</summary>
    Relation? View(string name);

    /// <summary>The SELECT a <c>Relation.extension</c> stands for (Delta Connect relations); may run the operation it describes.</summary>
    /// <param name="extension">The packed relation.</param>
    /// <param name="limit">The positive row limit right above the extension, if any: a source may return only its first
    /// rows (DESCRIBE HISTORY then reads only the newest commits); the caller still applies the LIMIT.</param>
    SourceSql ExtensionSql(Google.Protobuf.WellKnownTypes.Any extension, int? limit = null);

    /// <summary>Loads Arrow IPC stream bytes into a temporary table and returns its name.</summary>
    /// <returns>The SELECT of the table and its column names (known from the data's schema, so nothing is DESCRIBEd).</returns>
    SourceSql LoadLocalRelation(LocalRelation local);

    /// <summary>The frame of a persisted relation (its kept result), or null to translate it as usual.</summary>
    Frame? Cached(Relation relation, Func<Relation, Frame> translate);
}
