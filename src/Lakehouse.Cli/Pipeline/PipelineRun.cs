using Lakehouse.Embedded;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Serilog;
using Spectre.Console;

namespace Lakehouse.Cli.Pipeline;

/// <summary>Runs a pipeline's whole graph with a live progress table and a summary; shared by run and demo.</summary>
internal static class PipelineRun
{
    // publish: the job options naming the Pushgateway / metrics file each task's metrics go to, as the job executables
    // publish them; null (the demo) publishes nothing.
    public static async Task<int> RunAsync(
        CliContext context, PipelineConfig config, string remote, RunSettings settings, string logFile, int parallelism, CancellationToken ct,
        JobOptions? publish = null)
    {
        if (remote == "local")
        {
            EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = config.Warehouse });
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        using var sink = new FileLogSink(logFile);
        using var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var runner = new GraphRunner(config, token => SparkSession.Builder().Remote(remote).CreateAsync(token), settings, log);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });
        if (!console.Profile.Capabilities.Interactive)
        {
            // Redirected output has no terminal width; keep the summary rows on one line each.
            console.Profile.Width = 140;
        }

        var tasks = PipelinePlan.Tasks(config);
        var states = tasks.ToDictionary(t => t.Id, _ => TaskState.Pending);
        var gate = new Lock();
        var table = new Spectre.Console.Table().AddColumns("task", "state");

        void Render()
        {
            table.Rows.Clear();
            foreach (var t in tasks)
            {
                table.AddRow(t.Id, Markup(states[t.Id]));
            }
        }

        Render();
        IReadOnlyList<TaskOutcome> outcomes = [];
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(table).StartAsync(async live =>
            {
                runner.StateChanged += (task, state) =>
                {
                    lock (gate)
                    {
                        states[task.Id] = state;
                        Render();
                        live.Refresh();
                    }
                };
                outcomes = await runner.RunAsync(parallelism, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            // No terminal to redraw: one line per state change.
            runner.StateChanged += (task, state) =>
            {
                lock (gate)
                {
                    context.Output.WriteLine($"{task.Id}: {state.ToString().ToLowerInvariant()}");
                }
            };
            outcomes = await runner.RunAsync(parallelism, ct).ConfigureAwait(false);
        }

        console.Write(Summary(outcomes));
        if (publish is { Pushgateway: not null } or { MetricsFile: not null })
        {
            foreach (var o in outcomes.Where(o => o.Report is not null))
            {
                // Each task is its own group on the Pushgateway, as its job executable's run would be; a metrics file
                // per task: "metrics.prom" → "metrics.<task id>.prom".
                var file = publish.MetricsFile is { } f ? Path.ChangeExtension(f, null) + "." + o.Task.Id + Path.GetExtension(f) : null;
                await JobHost.PublishAsync(o.Report!, publish with { MetricsFile = file }, log).ConfigureAwait(false);
            }
        }

        var code = GraphRunner.ExitCode(outcomes);
        foreach (var failed in outcomes.Where(o => o.State is TaskState.Failed or TaskState.QualityGateFailed))
        {
            context.Error.WriteLine($"lakehouse: {failed.Task.Id}: {failed.Report?.Error?.ReplaceLineEndings(" ")}");
        }

        context.Output.WriteLine($"Run {settings.RunId}: {outcomes.Count(o => o.State == TaskState.Succeeded)} of {outcomes.Count} tasks succeeded (exit code {code}). Log: {logFile}");
        return code;
    }

    private static string Markup(TaskState state) => state switch
    {
        TaskState.Running => "[yellow]running[/]",
        TaskState.Succeeded => "[green]succeeded[/]",
        TaskState.Failed => "[red]failed[/]",
        TaskState.QualityGateFailed => "[red]quality gate failed[/]",
        TaskState.Skipped => "[grey]skipped[/]",
        _ => "[grey]pending[/]",
    };

    private static Spectre.Console.Table Summary(IReadOnlyList<TaskOutcome> outcomes)
    {
        var summary = new Spectre.Console.Table().Title("Run summary")
            .AddColumns("task", "status", "read", "written", "quarantined", "rescued", "version", "seconds");
        foreach (var o in outcomes)
        {
            var r = o.Report;
            summary.AddRow(
                o.Task.Id, Markup(o.State), $"{r?.RecordsRead}", $"{r?.RecordsWritten}", $"{r?.RecordsQuarantined}", $"{r?.RecordsRescued}",
                $"{r?.TableVersion}", r?.Duration is { } d ? $"{d.TotalSeconds:0.0}" : "");
        }

        return summary;
    }
}
