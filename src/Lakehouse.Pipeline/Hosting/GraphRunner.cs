using System.Collections.Concurrent;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Serilog;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>
/// Runs a pipeline's whole task graph in one process (<c>lakehouse run</c>): every task starts as soon as its upstream
/// tasks succeeded, so the bronze → silver lanes of the sources run in parallel, then their quality tasks, then gold.
/// A task whose upstream did not succeed is skipped. Each running task has a session of its own (DML confs are per
/// session); a session whose task succeeded — which leaves no conf or cached data behind — is handed to a later task
/// instead of opening a new one, so a run opens at most as many sessions as tasks run at once (plus one per failure).
/// </summary>
public sealed class GraphRunner
{
    private readonly PipelineConfig _config;
    private readonly Func<CancellationToken, Task<SparkSession>> _sessions;
    private readonly RunSettings _settings;
    private readonly ILogger _log;

    /// <summary>Creates a graph runner.</summary>
    /// <param name="config">The pipeline.</param>
    /// <param name="sessions">Opens a new session (reused by later tasks of the run, disposed by the runner).</param>
    /// <param name="settings">Run id, interval, clock shared by all tasks.</param>
    /// <param name="log">The logger.</param>
    public GraphRunner(PipelineConfig config, Func<CancellationToken, Task<SparkSession>> sessions, RunSettings settings, ILogger log)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _sessions = sessions ?? throw new ArgumentNullException(nameof(sessions));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>Called whenever a task changes state (from several threads).</summary>
    public event Action<PipelineTask, TaskState>? StateChanged;

    /// <summary>Runs every task; at most <paramref name="parallelism"/> at once.</summary>
    /// <returns>One outcome per task, in plan order.</returns>
    public async Task<IReadOnlyList<TaskOutcome>> RunAsync(int parallelism = 4, CancellationToken cancellationToken = default)
    {
        var tasks = PipelinePlan.Tasks(_config);
        var done = new Dictionary<string, Task<TaskOutcome>>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
        var idle = new ConcurrentBag<SparkSession>();
        try
        {
            foreach (var task in tasks)
            {
                var upstream = task.Upstream.Select(u => done[u]).ToList();
                done[task.Id] = RunTaskAsync(task, upstream, gate, idle, cancellationToken);
            }

            var outcomes = await Task.WhenAll(tasks.Select(t => done[t.Id])).ConfigureAwait(false);
            await CompactLogsAsync(idle, cancellationToken).ConfigureAwait(false);
            return outcomes;
        }
        finally
        {
            while (idle.TryTake(out var session))
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The exit code of a graph run: 0 when every task succeeded, else the code of the first failed task (a
    /// failure other than the quality gate wins, as it is the one to fix first).</summary>
    public static int ExitCode(IReadOnlyList<TaskOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var failed = outcomes.FirstOrDefault(o => o.State == TaskState.Failed);
        if (failed is not null)
        {
            return JobExitCodes.For(failed.Report!);
        }

        return outcomes.Any(o => o.State == TaskState.QualityGateFailed) ? JobExitCodes.QualityGate : JobExitCodes.Success;
    }

    /// <summary>Compacts the ops log tables the tasks appended to (each only when fragmented) on a session a task left;
    /// a failure is logged, never fails the run. Without such a session (no task succeeded) the next run compacts.</summary>
    private async Task CompactLogsAsync(ConcurrentBag<SparkSession> idle, CancellationToken ct)
    {
        if (!idle.TryTake(out var spark))
        {
            return;
        }

        try
        {
            foreach (var table in new[] { TableLocations.JobRuns, TableLocations.DqResults })
            {
                await LogCompaction.CompactIfFragmentedAsync(spark, TableLocations.Path(_config, table), _log, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            idle.Add(spark);
        }
    }

    private async Task<TaskOutcome> RunTaskAsync(
        PipelineTask task, List<Task<TaskOutcome>> upstream, SemaphoreSlim gate, ConcurrentBag<SparkSession> idle, CancellationToken ct)
    {
        await Task.Yield();
        var before = await Task.WhenAll(upstream).ConfigureAwait(false);
        if (before.Any(o => o.State != TaskState.Succeeded))
        {
            StateChanged?.Invoke(task, TaskState.Skipped);
            return new TaskOutcome(task, TaskState.Skipped, null);
        }

        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            StateChanged?.Invoke(task, TaskState.Running);
            JobRunReport report;
            SparkSession spark;
            try
            {
                spark = idle.TryTake(out var reused) ? reused : await _sessions(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var kind = ErrorKinds.Classify(e);
                _log.Error(e, "{Task}: cannot open a session: {Message}", task.Id, e.Message);
                report = new JobRunReport { RunId = _settings.RunId, Job = task.Job, Layer = task.Layer, Source = task.Source, Table = task.Table };
                report.Status = JobStatus.Failed;
                report.ErrorKind = kind == ErrorKinds.Internal ? ErrorKinds.EngineUnavailable : kind;
                report.Error = e.Message;
                report.FinishedAt = report.StartedAt;
                StateChanged?.Invoke(task, TaskState.Failed);
                return new TaskOutcome(task, TaskState.Failed, report);
            }

            try
            {
                // The ops logs are compacted once after all tasks, not after each task's append.
                report = await new PipelineRunner(_config, spark, _settings with { DeferLogCompaction = true }, _log).RunAsync(task.Request, ct).ConfigureAwait(false);
            }
            catch
            {
                await spark.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            if (report.Status == JobStatus.Succeeded)
            {
                idle.Add(spark);
            }
            else
            {
                // A failed job may have left session confs set or data cached: its session is not handed on.
                await spark.DisposeAsync().ConfigureAwait(false);
            }

            var state = report.Status switch
            {
                JobStatus.Succeeded => TaskState.Succeeded,
                JobStatus.QualityGateFailed => TaskState.QualityGateFailed,
                _ => TaskState.Failed,
            };
            StateChanged?.Invoke(task, state);
            return new TaskOutcome(task, state, report);
        }
        finally
        {
            gate.Release();
        }
    }
}
