using System.CommandLine;
using System.Text.Json.Nodes;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Maintenance;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table optimize PATH [--where PREDICATE] [--target-size BYTES] [--json]</c>: Spark's OPTIMIZE (bin-packing).</summary>
internal static class OptimizeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var path = TableArguments.Path();
        var where = new Option<string?>("--where") { Description = "Only compact partitions matching this SQL predicate over partition columns, e.g. \"date >= '2024-01-01'\"." };
        var targetSize = new Option<long?>("--target-size") { Description = "Compact files smaller than this many bytes into files of up to this size (default 1 GiB)." };
        var json = TableArguments.Json();
        var command = new Command("optimize", "Compact small files into larger ones, partition by partition, without changing the data (OPTIMIZE).")
        {
            path, where, targetSize, json,
        };
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            if (r.GetValue(targetSize) is <= 0)
            {
                throw new CliUsageException("--target-size must be a positive number of bytes.");
            }

            var options = new OptimizeOptions
            {
                Where = r.GetValue(where),
                TargetFileSize = r.GetValue(targetSize) ?? OptimizeOptions.DefaultTargetFileSize,
            };
            var result = Optimize.RunAsync(r.GetRequiredValue(path), options).GetAwaiter().GetResult();
            if (r.GetValue(json))
            {
                JsonOutput.Write(context.Output, ToJson(result));
            }
            else if (result.Version is null)
            {
                context.Output.WriteLine("Nothing to optimize: no partition has two or more files smaller than the target size. Nothing was committed.");
            }
            else
            {
                context.Output.WriteLine(FormattableString.Invariant(
                    $"Optimized {result.PartitionsOptimized} partitions as version {result.Version}: {result.NumRemovedFiles} files ({result.NumRemovedBytes} bytes) compacted into {result.NumAddedFiles} files ({result.NumAddedBytes} bytes)."));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The result as JSON, metrics named as Spark names them; <c>version</c> is null when nothing was committed.</summary>
    internal static JsonObject ToJson(OptimizeResult result) => new()
    {
        ["version"] = result.Version,
        ["numRemovedFiles"] = result.NumRemovedFiles,
        ["numAddedFiles"] = result.NumAddedFiles,
        ["numRemovedBytes"] = result.NumRemovedBytes,
        ["numAddedBytes"] = result.NumAddedBytes,
        ["partitionsOptimized"] = result.PartitionsOptimized,
    };
}
