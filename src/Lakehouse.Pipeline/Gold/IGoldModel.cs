using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Gold;

/// <summary>A gold model: a business aggregate over silver tables, built whole (the gold job may instead update the
/// table from the change of its inputs, with the same result).</summary>
public interface IGoldModel
{
    /// <summary>The model's name; its table is <c>gold.&lt;name&gt;</c>.</summary>
    string Name { get; }

    /// <summary>The silver tables the model reads, e.g. <c>silver.orders</c>.</summary>
    IReadOnlyList<string> Inputs { get; }

    /// <summary>
    /// The model as a lazy plan over the silver tables (read by name); nothing runs until the caller writes or
    /// collects it. The caller writes it with mode overwrite, so readers see the old or the new table, never a mix.
    /// </summary>
    /// <param name="spark">The session whose tables are read.</param>
    /// <param name="now">The run's clock (the end of Airflow's data interval, or the current time): models that
    /// measure ages (tenure) measure them to its UTC date, so a rerun of an interval gives the same table.</param>
    DataFrame Build(SparkSession spark, DateTimeOffset now);

    /// <summary>
    /// The model as a lazy plan, reading each input through <paramref name="readTable"/>: the pipeline addresses
    /// tables by path, so it passes <c>t =&gt; spark.Read.Format("delta").Load(TableLocations.Path(config, t))</c>.
    /// </summary>
    /// <param name="readTable">Reads a table given its name, e.g. <c>silver.orders</c>.</param>
    /// <param name="now">The run's clock, as for <see cref="Build(SparkSession, DateTimeOffset)"/>.</param>
    DataFrame Build(Func<string, DataFrame> readTable, DateTimeOffset now);
}
