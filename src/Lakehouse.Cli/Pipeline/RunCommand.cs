using System.CommandLine;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Cli.Pipeline;

/// <summary><c>lakehouse run [common job options] [--parallelism N] [--log-file F]</c>: the whole pipeline graph in
/// this process (bronze → silver per source in parallel, quality, gold), with live progress and a summary.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var parallelism = new Option<int>("--parallelism") { Description = "Tasks run at once.", DefaultValueFactory = _ => 4 };
        var logFile = new Option<string>("--log-file") { Description = "Where the jobs' log goes.", DefaultValueFactory = _ => "lakehouse-run.log" };
        var command = new Command("run", "Run the whole pipeline: bronze and silver per source in parallel, then quality, then gold.") { parallelism, logFile };
        common.AddTo(command);
        command.SetAction((r, ct) => CliApp.GuardAsync(context, async () =>
        {
            var options = common.Read(r);
            var config = PipelineConfigLoader.Load(options.ConfigPath, options.Overrides);
            var settings = new RunSettings { RunId = options.RunId ?? RunSettings.NewRunId(), Interval = options.Interval };
            return await PipelineRun.RunAsync(context, config, options.Remote, settings, r.GetValue(logFile)!, r.GetValue(parallelism), ct, options).ConfigureAwait(false);
        }));
        return command;
    }
}
