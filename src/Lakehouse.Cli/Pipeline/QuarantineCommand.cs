using System.CommandLine;
using Lakehouse.Embedded;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Cli.Pipeline;

/// <summary><c>lakehouse quarantine replay SOURCE [common job options]</c>: re-validates a source's quarantined rows
/// with the pipeline file's current rules and merges those that pass into silver (docs/pipeline.md, Quarantine
/// replay). Runs as a job: logged, recorded in <c>ops.job_runs</c>, exit codes of docs/pipeline-jobs.md.</summary>
internal static class QuarantineCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var source = new Argument<string>("SOURCE") { Description = "The source whose silver.<source>_quarantine to replay." };
        var replay = new Command("replay", "Re-validate the quarantined rows of a source with the current rules; merge those that pass into silver.") { source };
        common.AddTo(replay);
        replay.SetAction((r, ct) => CliApp.GuardAsync(context, () =>
            JobHost.RunAsync(
                JobKind.Replay, common, r, r.GetValue(source)!,
                warehouse => EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = warehouse }), ct)));
        return new Command("quarantine", "Work with the rows silver quarantined.") { replay };
    }
}
