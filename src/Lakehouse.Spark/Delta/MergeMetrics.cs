namespace Lakehouse.Spark.Delta;

/// <summary>
/// What a MERGE changed, as Spark's <c>MergeIntoCommand</c> reports it (result columns
/// <c>num_affected_rows</c>, <c>num_updated_rows</c>, <c>num_deleted_rows</c>, <c>num_inserted_rows</c>).
/// A count the server did not report is -1.
/// </summary>
/// <param name="NumAffectedRows">Rows updated, deleted or inserted.</param>
/// <param name="NumUpdatedRows">Target rows updated.</param>
/// <param name="NumDeletedRows">Target rows deleted.</param>
/// <param name="NumInsertedRows">Rows inserted.</param>
public sealed record MergeMetrics(long NumAffectedRows, long NumUpdatedRows, long NumDeletedRows, long NumInsertedRows);
