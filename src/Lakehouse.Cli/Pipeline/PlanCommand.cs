using System.CommandLine;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Cli.Pipeline;

/// <summary><c>lakehouse plan [--config F] [--set k=v] [--json]</c>: the pipeline's task graph (docs/pipeline-jobs.md).</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var json = new Option<bool>("--json") { Description = "Print the graph as JSON (the Airflow DAG reads it)." };
        var command = new Command("plan", "Print the pipeline's task graph: jobs, their arguments and upstream tasks.") { json };
        command.Options.Add(common.Config);
        command.Options.Add(common.Set);
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            var config = PipelineConfigLoader.Load(r.GetValue(common.Config)!, r.GetValue(common.Set) ?? []);
            if (r.GetValue(json))
            {
                context.Output.WriteLine(PipelinePlan.ToJson(config));
                return ExitCodes.Ok;
            }

            var tasks = PipelinePlan.Tasks(config);
            Output.TextTable.Write(context.Output, ["task", "job", "table", "args", "upstream"],
                tasks.Select(t => (IReadOnlyList<string>)[t.Id, t.Job, t.Table, string.Join(' ', t.Args), string.Join(", ", t.Upstream)]), maxWidth: 60);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
