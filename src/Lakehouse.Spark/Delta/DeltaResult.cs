using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Lakehouse.Spark.Arrow;

namespace Lakehouse.Spark.Delta;

/// <summary>The rows one execution returned, as Arrow batches.</summary>
internal sealed class DeltaResult
{
    private readonly List<RecordBatch> _batches = [];

    internal Schema? Schema { get; private set; }

    internal IReadOnlyList<Row> Rows => [.. _batches.SelectMany(ArrowRows.Read)];

    /// <summary>A metric column of the first row, or -1 when the server did not report it.</summary>
    internal long Metric(string column)
    {
        var first = _batches.FirstOrDefault(b => b.Length > 0);
        var index = Schema?.GetFieldIndex(column) ?? -1;
        if (first is null || index < 0 || ArrowRows.Value(first.Column(index), 0) is not { } value)
        {
            return -1;
        }

        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The rows as a DataFrame over a LocalRelation (planning it never re-runs the operation).</summary>
    internal DataFrame ToDataFrame(SparkSession session) =>
        session.CreateDataFrame(Schema ?? new Schema([], null), _batches);

    internal async Task AddAsync(byte[] ipcStream, CancellationToken cancellationToken)
    {
        // brief §4: each payload is a complete Arrow IPC stream (schema, batches, end).
        using var reader = new ArrowStreamReader(new MemoryStream(ipcStream));
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            _batches.Add(batch);
        }

        Schema ??= reader.Schema;
    }
}
