namespace Lakehouse.Spark.Delta;

/// <summary>How DeltaTable operations reach the server.</summary>
internal enum DeltaRendering
{
    /// <summary>Delta Connect messages in <c>Relation.extension</c> / <c>Command.extension</c> (Spark 4 + Delta 4, the embedded engine).</summary>
    Connect,

    /// <summary>Delta SQL statements through <c>SqlCommand</c> (Spark 3.5 + Delta 3, or any server with Delta's SQL extension).</summary>
    Sql,
}
