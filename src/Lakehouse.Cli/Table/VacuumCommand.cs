using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Maintenance;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table vacuum PATH [--retain-hours H] [--dry-run] [--force] [--json]</c>: Spark's VACUUM.</summary>
internal static class VacuumCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var path = TableArguments.Path();
        var retainHours = new Option<double?>("--retain-hours")
        {
            Description = "Delete unreferenced files older than this many hours (default: the table's delta.deletedFileRetentionDuration, 7 days unless set).",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the files that would be deleted; delete nothing." };
        var force = new Option<bool>("--force")
        {
            Description = "Allow a retention shorter than the table's (like spark.databricks.delta.retentionDurationCheck.enabled=false). Only safe when no reader or writer is running.",
        };
        var json = TableArguments.Json();
        var command = new Command("vacuum", "Delete data files the table no longer references, once older than the retention (VACUUM).")
        {
            path, retainHours, dryRun, force, json,
        };
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            var hours = r.GetValue(retainHours);
            if (hours is < 0 or double.NaN)
            {
                throw new CliUsageException($"--retain-hours must be zero or more, not {hours}.");
            }

            var result = Vacuum.Run(r.GetRequiredValue(path), new VacuumOptions
            {
                Retention = hours is { } h ? TimeSpan.FromHours(h) : null,
                DryRun = r.GetValue(dryRun),
                DisableRetentionCheck = r.GetValue(force),
            });
            if (r.GetValue(json))
            {
                JsonOutput.Write(context.Output, ToJson(result));
            }
            else
            {
                WriteText(context.Output, result);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The result as JSON.</summary>
    internal static JsonObject ToJson(VacuumResult result) => new()
    {
        ["dryRun"] = result.DryRun,
        ["version"] = result.Version,
        ["retentionHours"] = result.Retention.TotalHours,
        ["deleteBefore"] = Timestamps.Iso(result.DeleteBefore),
        ["numFiles"] = result.Files.Count,
        ["sizeInBytes"] = result.Bytes,
        ["numDirectoriesDeleted"] = result.DirectoriesDeleted,
        ["files"] = JsonOutput.Strings(result.Files),
    };

    private static void WriteText(TextWriter output, VacuumResult result)
    {
        if (result.DryRun)
        {
            output.WriteLine(FormattableString.Invariant($"Found {result.Files.Count} files ({result.Bytes} bytes) to delete at version {result.Version} (retention {result.Retention.TotalHours:0.###} hours):"));
            foreach (var file in result.Files)
            {
                output.WriteLine(file);
            }
        }
        else
        {
            output.WriteLine(FormattableString.Invariant($"Deleted {result.Files.Count} files ({result.Bytes} bytes) and {result.DirectoriesDeleted} empty directories at version {result.Version} (retention {result.Retention.TotalHours:0.###} hours)."));
        }
    }
}
