using System.CommandLine;
using System.Text.Json.Nodes;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Maintenance;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table restore PATH (--version N | --timestamp T) [--json]</c>: Spark's RESTORE TABLE.</summary>
internal static class RestoreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var path = TableArguments.Path();
        var version = TableArguments.Version("Restore the state of this version.");
        var timestamp = TableArguments.Timestamp("Restore the version that was current at this time (ISO-8601; UTC unless an offset is given).");
        var json = TableArguments.Json();
        var command = new Command("restore", "Make the table's data that of an earlier version again, as a new commit (RESTORE).")
        {
            path, version, timestamp, json,
        };
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            var (v, t) = (r.GetValue(version), r.GetValue(timestamp));
            var result = (v, t) switch
            {
                ({ } n, null) => Restore.ToVersion(r.GetRequiredValue(path), n),
                (null, { } text) => Restore.ToTimestamp(r.GetRequiredValue(path), TableArguments.ParseTimestamp(text)),
                _ => throw new CliUsageException("Give exactly one of --version or --timestamp: the state to restore."),
            };
            if (r.GetValue(json))
            {
                JsonOutput.Write(context.Output, ToJson(result));
            }
            else
            {
                context.Output.WriteLine(FormattableString.Invariant(
                    $"Restored version {result.RestoredVersion} as version {result.Version}: removed {result.NumRemovedFiles} files ({result.RemovedFilesSize} bytes), restored {result.NumRestoredFiles} files ({result.RestoredFilesSize} bytes); the table now has {result.NumOfFilesAfterRestore} files ({result.TableSizeAfterRestore} bytes)."));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The result as JSON, metrics named as Spark names them.</summary>
    internal static JsonObject ToJson(RestoreResult result) => new()
    {
        ["version"] = result.Version,
        ["restoredVersion"] = result.RestoredVersion,
        ["numRemovedFiles"] = result.NumRemovedFiles,
        ["numRestoredFiles"] = result.NumRestoredFiles,
        ["removedFilesSize"] = result.RemovedFilesSize,
        ["restoredFilesSize"] = result.RestoredFilesSize,
        ["numOfFilesAfterRestore"] = result.NumOfFilesAfterRestore,
        ["tableSizeAfterRestore"] = result.TableSizeAfterRestore,
    };
}
