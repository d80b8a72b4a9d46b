using System.CommandLine;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Observability;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Lakehouse.Spark.Connect;
using Serilog;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>
/// The body of every job executable (docs/pipeline-jobs.md): parses the common options and the job's selection
/// option, loads the pipeline file, connects (registering the embedded engine for <c>local</c>), runs the job and
/// returns its exit code.
/// </summary>
public static class JobHost
{
    /// <summary>The entry point of a job executable: runs the job until done, or until Ctrl+C or SIGTERM cancel it.</summary>
    /// <param name="kind">The job.</param>
    /// <param name="args">The command line.</param>
    /// <param name="registerLocalEngine">As for <see cref="RunAsync(JobKind, string[], Action{string}?, CancellationToken)"/>.</param>
    /// <returns>An exit code of <see cref="JobExitCodes"/>.</returns>
    public static int Main(JobKind kind, string[] args, Action<string>? registerLocalEngine)
    {
        using var cancel = new CancellationTokenSource();
        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }

        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        try
        {
            return RunAsync(kind, args, registerLocalEngine, cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine($"lakehouse-{kind.ToString().ToLowerInvariant()}: cancelled; every table is at its last committed version.");
            return JobExitCodes.Failed;
        }
    }

    /// <summary>Runs one job as a process would.</summary>
    /// <param name="kind">The job.</param>
    /// <param name="args">The command line.</param>
    /// <param name="registerLocalEngine">Registers the embedded engine for <c>--remote local</c>, given the pipeline's
    /// warehouse; null when this process cannot run it (then <c>local</c> is a bad-input error).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>An exit code of <see cref="JobExitCodes"/>.</returns>
    public static async Task<int> RunAsync(JobKind kind, string[] args, Action<string>? registerLocalEngine, CancellationToken cancellationToken = default)
    {
        var common = new CommonOptions();
        var (selectionName, description) = kind switch
        {
            JobKind.Bronze => ("--source", "The source to ingest."),
            JobKind.Silver => ("--source", "The source to merge into silver."),
            JobKind.Replay => ("--source", "The source whose quarantine to replay."),
            JobKind.Quality => ("--table", "The table to check, e.g. silver.orders."),
            _ => ("--model", "The gold model to build."),
        };
        var selection = new Option<string>(selectionName) { Description = description, Required = true };
        var root = new RootCommand($"lakehouse-{kind.ToString().ToLowerInvariant()}: the {kind.ToString().ToLowerInvariant()} job of the Lakehouse pipeline.");
        common.AddTo(root);
        root.Options.Add(selection);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"lakehouse-{kind.ToString().ToLowerInvariant()}: {error.Message}").ConfigureAwait(false);
            }

            return JobExitCodes.BadInput;
        }

        if (parsed.Action is not null)
        {
            // --help or --version: System.CommandLine prints it.
            return await parsed.InvokeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await RunAsync(kind, common, parsed, parsed.GetValue(selection)!, registerLocalEngine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one job with the common options parsed by a command of its own (<c>lakehouse quarantine replay</c>).</summary>
    internal static async Task<int> RunAsync(
        JobKind kind, CommonOptions common, ParseResult parsed, string target, Action<string>? registerLocalEngine, CancellationToken ct)
    {
        JobOptions options;
        PipelineConfig config;
        string runId;
        ILogger log;
        try
        {
            options = common.Read(parsed);
            config = PipelineConfigLoader.Load(options.ConfigPath, options.Overrides);
            runId = options.RunId ?? RunSettings.NewRunId();
            log = CreateLogger(kind, target, runId, options, config);
        }
        catch (Exception e) when (e is PipelineConfigException or PipelineInputException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"lakehouse-{kind.ToString().ToLowerInvariant()}: {e.Message}").ConfigureAwait(false);
            return JobExitCodes.BadInput;
        }

        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            var settings = new RunSettings { RunId = runId, Interval = options.Interval };
            await using var spark = await ConnectAsync(options.Remote, config, registerLocalEngine, ct).ConfigureAwait(false);
            var runner = new PipelineRunner(config, spark, settings, log);
            var report = await runner.RunAsync(new JobRequest(kind, target), ct).ConfigureAwait(false);
            await PublishAsync(report, options, log).ConfigureAwait(false);
            return JobExitCodes.For(report);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var errorKind = ErrorKinds.Classify(e);
            log.Error(e, "{Job} {Target} failed before it ran ({ErrorKind}): {Message}", kind, target, errorKind, e.Message);
            // A run that never started (no engine, unknown target) still reports its failure, like any failed run.
            await PublishAsync(FailedBeforeRun(kind, target, runId, config, startedAt, errorKind, e.Message), options, log).ConfigureAwait(false);
            return JobExitCodes.ForErrorKind(errorKind);
        }
        finally
        {
            (log as IDisposable)?.Dispose();
        }
    }

    /// <summary>Opens the session: <c>local</c> registers the embedded engine over the pipeline's warehouse first.</summary>
    /// <exception cref="PipelineInputException">The remote is <c>local</c> and this process has no embedded engine.</exception>
    public static Task<SparkSession> ConnectAsync(
        string remote, PipelineConfig config, Action<string>? registerLocalEngine, CancellationToken cancellationToken = default) =>
        ConnectAsync(remote, config, registerLocalEngine, EngineRetry, cancellationToken);

    /// <summary>
    /// How long a job keeps retrying an engine that does not answer (transient gRPC codes only): 8 retries, backoff
    /// from 50 ms growing 4× up to 15 s, about a minute in all. Then the job fails as retryable (exit 6) and the
    /// scheduler's own retries take over, instead of PySpark's default of about ten minutes per call.
    /// </summary>
    internal static SparkConnectRetryOptions EngineRetry { get; } = new() { MaxRetries = 8, MaxBackoff = TimeSpan.FromSeconds(15) };

    internal static async Task<SparkSession> ConnectAsync(
        string remote, PipelineConfig config, Action<string>? registerLocalEngine, SparkConnectRetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (remote == "local")
        {
            if (registerLocalEngine is null)
            {
                throw new PipelineInputException("--remote local needs the embedded engine, which this program does not include; pass --remote sc://host:port.");
            }

            registerLocalEngine(config.Warehouse);
        }

        return await SparkSession.Builder().Remote(remote).Retry(retry).CreateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's logger (docs/metrics.md, Logs): every event carries the run id, job, layer and source (and
    /// the table of a quality run); the pipeline file's HTTP header values are masked like every secret.</summary>
    /// <exception cref="ArgumentException">A log level or format in the environment is not one.</exception>
    private static Serilog.Core.Logger CreateLogger(JobKind kind, string target, string runId, JobOptions options, PipelineConfig config)
    {
        var job = kind.ToString().ToLowerInvariant();
        var quality = kind == JobKind.Quality;
        return JobLogging.Create(new JobLoggingOptions
        {
            RunId = runId,
            Job = job,
            Layer = quality ? target.Split('.')[0] : job,
            Source = quality ? target.Split('.').ElementAtOrDefault(1) : target,
            Table = quality ? target : null,
            Format = JobLoggingOptions.ParseFormat(options.LogFormat),
            Secrets = [.. config.Sources.SelectMany(s => s.Http?.Headers.Values ?? [])],
        });
    }

    /// <summary>The report of a run that failed before the runner started it, labelled as the runner would have.</summary>
    private static JobRunReport FailedBeforeRun(
        JobKind kind, string target, string runId, PipelineConfig config, DateTimeOffset startedAt, string errorKind, string error)
    {
        var job = kind.ToString().ToLowerInvariant();
        var quality = kind == JobKind.Quality;
        string? table;
        try
        {
            table = kind switch
            {
                JobKind.Bronze => config.Source(target).BronzeTable,
                JobKind.Silver or JobKind.Replay => config.Source(target).SilverTable,
                JobKind.Gold => config.Model(target).Table,
                _ => target,
            };
        }
        catch (PipelineConfigException)
        {
            // The target is not in the pipeline file; the failure is still reported under the name given.
            table = quality ? target : null;
        }

        return new JobRunReport
        {
            RunId = runId,
            Job = job,
            Layer = quality ? target.Split('.')[0] : job,
            Source = quality ? target.Split('.').ElementAtOrDefault(1) : target,
            Table = table,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Status = errorKind == ErrorKinds.QualityGate ? JobStatus.QualityGateFailed : JobStatus.Failed,
            ErrorKind = errorKind,
            Error = error,
        };
    }

    /// <summary>Hands the finished run's report to observability: the summary event, then the metrics (push and/or
    /// file). Never fails the run: a bad or unreachable Pushgateway is logged (docs/metrics.md).</summary>
    /// <param name="report">The finished run.</param>
    /// <param name="options">The job options that name the Pushgateway and the metrics file.</param>
    /// <param name="log">Where the summary event and any publishing failure go.</param>
    public static async Task PublishAsync(JobRunReport report, JobOptions options, ILogger log)
    {
        JobLogging.Summary(log, report);
        MetricsPublishOptions metrics;
        try
        {
            metrics = MetricsPublishOptions.FromCommandLine(options.Pushgateway, options.MetricsFile);
        }
        catch (ArgumentException e)
        {
            log.Error("The run's metrics are not published: {Message}", e.Message);
            return;
        }

        // Not the run's token: a cancelled run still pushes its final metrics; the publish timeout bounds the push.
        await MetricsPublisher.PublishAsync(report, metrics, log, CancellationToken.None).ConfigureAwait(false);
    }
}
