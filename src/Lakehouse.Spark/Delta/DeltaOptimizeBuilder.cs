using Lakehouse.Spark.Delta.Sql;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// An OPTIMIZE being built: <c>table.Optimize().Where("date = '2024-05-01'").ExecuteCompactionAsync()</c>.
/// Immutable; runs exactly once when executed.
/// </summary>
public sealed class DeltaOptimizeBuilder
{
    private readonly DeltaTable _table;
    private readonly IReadOnlyList<string> _partitionFilters;

    internal DeltaOptimizeBuilder(DeltaTable table, IReadOnlyList<string> partitionFilters)
    {
        _table = table;
        _partitionFilters = partitionFilters;
    }

    /// <summary>Limits the work to partitions matching a SQL predicate on partition columns; several calls all apply.</summary>
    /// <param name="partitionFilter">A SQL predicate over partition columns only.</param>
    public DeltaOptimizeBuilder Where(string partitionFilter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partitionFilter);
        return new(_table, [.. _partitionFilters, partitionFilter]);
    }

    /// <summary>Compacts small files into larger ones (bin-packing).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>OPTIMIZE's result: the table path and a metrics struct (numFilesAdded, numFilesRemoved, …).</returns>
    public Task<DataFrame> ExecuteCompactionAsync(CancellationToken cancellationToken = default) =>
        _table.RunOnceAsync(DeltaMessages.Optimize(_table.Table, _partitionFilters, []), DeltaSql.Optimize(_table.Table, _partitionFilters, []), cancellationToken);

    /// <summary>Rewrites the data Z-ordered by the given columns, co-locating related values for data skipping.</summary>
    /// <param name="columns">The Z-order columns (not partition columns).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>OPTIMIZE's result: the table path and a metrics struct.</returns>
    /// <exception cref="ArgumentException">No column was given.</exception>
    public Task<DataFrame> ExecuteZOrderByAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0 || columns.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one Z-order column, none empty.", nameof(columns));
        }

        return _table.RunOnceAsync(
            DeltaMessages.Optimize(_table.Table, _partitionFilters, columns), DeltaSql.Optimize(_table.Table, _partitionFilters, columns), cancellationToken);
    }

    /// <summary>Same as <see cref="ExecuteZOrderByAsync(IReadOnlyList{string}, CancellationToken)"/>.</summary>
    /// <param name="columns">The Z-order columns.</param>
    public Task<DataFrame> ExecuteZOrderByAsync(params string[] columns) => ExecuteZOrderByAsync((IReadOnlyList<string>)columns);
}
