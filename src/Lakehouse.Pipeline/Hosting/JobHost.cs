using System.CommandLine;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
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

    private static async Task<int> RunAsync(
        JobKind kind, CommonOptions common, ParseResult parsed, string target, Action<string>? registerLocalEngine, CancellationToken ct)
    {
        JobOptions options;
        PipelineConfig config;
        try
        {
            options = common.Read(parsed);
            config = PipelineConfigLoader.Load(options.ConfigPath, options.Overrides);
        }
        catch (Exception e) when (e is PipelineConfigException or PipelineInputException)
        {
            await Console.Error.WriteLineAsync($"lakehouse-{kind.ToString().ToLowerInvariant()}: {e.Message}").ConfigureAwait(false);
            return JobExitCodes.BadInput;
        }

        var log = JobLogging.Create(options.LogFormat);
        try
        {
            var settings = new RunSettings { RunId = options.RunId ?? RunSettings.NewRunId(), Interval = options.Interval };
            await using var spark = await ConnectAsync(options.Remote, config, registerLocalEngine, ct).ConfigureAwait(false);
            var runner = new PipelineRunner(config, spark, settings, log);
            var report = await runner.RunAsync(new JobRequest(kind, target), ct).ConfigureAwait(false);
            await PublishAsync(report, options, log, ct).ConfigureAwait(false);
            return JobExitCodes.For(report);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var errorKind = ErrorKinds.Classify(e);
            log.Error(e, "{Job} {Target} failed before it ran ({ErrorKind}): {Message}", kind, target, errorKind, e.Message);
            return JobExitCodes.ForErrorKind(errorKind);
        }
        finally
        {
            (log as IDisposable)?.Dispose();
        }
    }

    /// <summary>Opens the session: <c>local</c> registers the embedded engine over the pipeline's warehouse first.</summary>
    /// <exception cref="PipelineInputException">The remote is <c>local</c> and this process has no embedded engine.</exception>
    public static async Task<SparkSession> ConnectAsync(
        string remote, PipelineConfig config, Action<string>? registerLocalEngine, CancellationToken cancellationToken = default)
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

        return await SparkSession.Builder().Remote(remote).CreateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the finished run's report to observability (metrics push, metrics file, summary event).</summary>
    private static Task PublishAsync(JobRunReport report, JobOptions options, ILogger log, CancellationToken ct)
    {
        _ = ct;
        log.Information(
            "run summary {@Report} (pushgateway {Pushgateway}, metrics file {MetricsFile})",
            new { report.RunId, report.Job, report.Source, report.Table, Status = report.Status.ToString(), report.ErrorKind, report.RecordsRead, report.RecordsWritten, report.RecordsQuarantined, report.RecordsRescued, report.TableVersion },
            options.Pushgateway, options.MetricsFile);
        return Task.CompletedTask;
    }
}
