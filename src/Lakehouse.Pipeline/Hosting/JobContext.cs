using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Serilog;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>What one job run works with: the configuration, the session, the run's settings, its report and logger.</summary>
internal sealed record JobContext(PipelineConfig Config, SparkSession Spark, RunSettings Settings, JobRunReport Report, ILogger Log)
{
    public DateTimeOffset Now => Settings.Clock.GetUtcNow();

    /// <summary>Where a table (<c>layer.name</c>) lives: <c>&lt;warehouse&gt;/&lt;layer&gt;/&lt;name&gt;</c>.</summary>
    public string TablePath(string table) => TableLocations.Path(Config, table);
}
