using Lakehouse.Pipeline.Configuration;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>
/// Table names to locations. The pipeline addresses every table by path (<c>&lt;warehouse&gt;/&lt;layer&gt;/&lt;name&gt;</c>),
/// not through a catalog, so the pipeline file alone decides where data lives, on the embedded engine and on a
/// Spark cluster alike; the embedded engine resolves <c>layer.name</c> to the same path when its warehouse is the
/// pipeline's.
/// </summary>
public static class TableLocations
{
    /// <summary>The manifest of ingested landing files.</summary>
    public const string Manifest = "bronze._manifest";

    /// <summary>One row per job run.</summary>
    public const string JobRuns = "ops.job_runs";

    /// <summary>One row per data-quality check result.</summary>
    public const string DqResults = "ops.dq_results";

    /// <summary>The location of <paramref name="table"/> (<c>layer.name</c>) under the configuration's warehouse.</summary>
    /// <exception cref="ArgumentException">The name is not <c>layer.name</c>.</exception>
    public static string Path(PipelineConfig config, string table)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == table.Length - 1 || table.IndexOf('.', dot + 1) >= 0)
        {
            throw new ArgumentException($"'{table}' is not a table name of the form layer.name (e.g. silver.orders).", nameof(table));
        }

        return PipelineConfigParser.Combine(config.Warehouse, $"{table[..dot]}/{table[(dot + 1)..]}");
    }
}
