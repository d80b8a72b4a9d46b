using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Serilog;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>
/// Runs jobs of one pipeline on one session: fills a <see cref="JobRunReport"/> per job, maps a failure to its
/// error kind (so never throws for a failed job) and writes one row per run to <c>ops.job_runs</c>. The job
/// executables run one job with it; <c>lakehouse run</c> runs the whole graph.
/// </summary>
public sealed class PipelineRunner
{
    private readonly ILogger _log;

    /// <summary>Creates a runner.</summary>
    /// <param name="config">The loaded pipeline file.</param>
    /// <param name="spark">The session the jobs run on.</param>
    /// <param name="settings">The run id, data interval and clock shared by the jobs.</param>
    /// <param name="log">The logger; each job's events carry the run id, job and target.</param>
    public PipelineRunner(PipelineConfig config, SparkSession spark, RunSettings settings, ILogger log)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Spark = spark ?? throw new ArgumentNullException(nameof(spark));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = (log ?? throw new ArgumentNullException(nameof(log))).ForContext("run_id", settings.RunId);
    }

    /// <summary>The pipeline file.</summary>
    public PipelineConfig Config { get; }

    /// <summary>The session.</summary>
    public SparkSession Spark { get; }

    /// <summary>The run's settings.</summary>
    public RunSettings Settings { get; }

    /// <summary>Runs one job to its end and reports how it went; a failure is in the report, not thrown (except
    /// cancellation). The report is also appended to <c>ops.job_runs</c>.</summary>
    /// <param name="request">The job and its target.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="PipelineConfigException">The target is not in the pipeline file (nothing ran).</exception>
    public async Task<JobRunReport> RunAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (layer, source, table) = Describe(request);
        var report = new JobRunReport
        {
            RunId = Settings.RunId,
            Job = request.JobName,
            Layer = layer,
            Source = source,
            Table = table,
            StartedAt = Settings.Clock.GetUtcNow(),
        };
        var log = _log.ForContext("job", request.JobName).ForContext("target", request.Target);
        var context = new JobContext(Config, Spark, Settings, report, log);
        log.Information("{Job} {Target} started", request.JobName, request.Target);
        try
        {
            await JobDispatch.RunAsync(context, request, cancellationToken).ConfigureAwait(false);
            if (report.Status == JobStatus.Running)
            {
                report.Status = JobStatus.Succeeded;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            report.ErrorKind = ErrorKinds.Classify(e);
            report.Status = report.ErrorKind == ErrorKinds.QualityGate ? JobStatus.QualityGateFailed : JobStatus.Failed;
            report.Error = e.Message;
            log.Error(e, "{Job} {Target} failed ({ErrorKind}): {Message}", request.JobName, request.Target, report.ErrorKind, e.Message);
        }

        report.FinishedAt = Settings.Clock.GetUtcNow();
        try
        {
            var jobRuns = TableLocations.Path(Config, TableLocations.JobRuns);
            await JobRunLog.AppendAsync(Spark, jobRuns, report, Settings.Interval, cancellationToken).ConfigureAwait(false);
            if (!Settings.DeferLogCompaction)
            {
                await LogCompaction.CompactIfFragmentedAsync(Spark, jobRuns, log, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The run's outcome stands; a lost log row must not turn a committed run into a failure.
            log.Warning(e, "could not append the run to {Table}: {Message}", TableLocations.JobRuns, e.Message);
        }

        log.Information(
            "{Job} {Target} {Status} in {Seconds:0.00}s: read {Read}, written {Written}, quarantined {Quarantined}, rescued {Rescued}",
            request.JobName, request.Target, report.Status, report.Duration?.TotalSeconds, report.RecordsRead, report.RecordsWritten,
            report.RecordsQuarantined, report.RecordsRescued);
        return report;
    }

    private (string Layer, string? Source, string Table) Describe(JobRequest request) => request.Kind switch
    {
        JobKind.Bronze => ("bronze", Config.Source(request.Target).Name, Config.Source(request.Target).BronzeTable),
        JobKind.Silver => ("silver", Config.Source(request.Target).Name, Config.Source(request.Target).SilverTable),
        JobKind.Replay => ("silver", Config.Source(request.Target).Name, Config.Source(request.Target).SilverTable),
        JobKind.Gold => ("gold", Config.Model(request.Target).Name, Config.Model(request.Target).Table),
        _ => DescribeQuality(request.Target),
    };

    private (string Layer, string? Source, string Table) DescribeQuality(string table)
    {
        if (Config.Sources.FirstOrDefault(s => s.SilverTable == table || s.BronzeTable == table) is { } source)
        {
            return (table.Split('.')[0], source.Name, table);
        }

        return Config.Gold.FirstOrDefault(g => g.Table == table) is { } model
            ? ("gold", model.Name, table)
            : throw new PipelineConfigException(
                Config.SourceFile, null, "--table",
                $"'{table}' is not a table of this pipeline; use one of: {string.Join(", ", Config.Sources.Select(s => s.SilverTable).Concat(Config.Gold.Select(g => g.Table)))}.");
    }
}
