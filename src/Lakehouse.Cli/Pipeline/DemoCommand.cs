using System.CommandLine;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Cli.Pipeline;

/// <summary>
/// <c>lakehouse demo [--rows N] [--dir D]</c>: writes the demo pipeline file and the next batch of a realistic landing
/// zone (the first run batch 1; each later run the next batch, with updates, late data and deletes) into D, runs the
/// pipeline on the embedded engine, and says where the tables are and how to look at them.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var rows = new Option<int>("--rows") { Description = "Orders in the batch.", DefaultValueFactory = _ => 1000 };
        var dir = new Option<string>("--dir") { Description = "The demo's directory (pipeline file, landing zone, warehouse).", DefaultValueFactory = _ => "lakehouse-demo" };
        var command = new Command("demo", "Generate demo landing data (orders, customers, products) and run the pipeline on it.") { rows, dir };
        command.SetAction((r, ct) => CliApp.GuardAsync(context, async () =>
        {
            if (r.GetValue(rows) < 1)
            {
                throw new CliUsageException("--rows must be at least 1.");
            }

            var root = Path.GetFullPath(r.GetValue(dir)!);
            Directory.CreateDirectory(root);
            var pipelineFile = Path.Combine(root, PipelineConfigLoader.DefaultFileName);
            if (!File.Exists(pipelineFile))
            {
                await File.WriteAllTextAsync(pipelineFile, DemoData.PipelineFile, ct).ConfigureAwait(false);
            }

            var config = PipelineConfigLoader.Load(pipelineFile);
            var batchFile = Path.Combine(root, ".demo-batch");
            var batch = File.Exists(batchFile) ? int.Parse(await File.ReadAllTextAsync(batchFile, ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) + 1 : 1;
            var written = DemoData.Generate(config.Landing, new DemoOptions { Rows = r.GetValue(rows), Batch = batch });
            await File.WriteAllTextAsync(batchFile, batch.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
            context.Output.WriteLine($"Demo batch {batch}: {written.OrderLines} order lines, {written.CustomerLines} customers, {written.ProductLines} products in {config.Landing}");

            var settings = new RunSettings { RunId = RunSettings.NewRunId() };
            var code = await PipelineRun.RunAsync(context, config, "local", settings, Path.Combine(root, "lakehouse-run.log"), 4, ct).ConfigureAwait(false);
            Explain(context, config, pipelineFile);
            return code;
        }));
        return command;
    }

    private static void Explain(CliContext context, PipelineConfig config, string pipelineFile)
    {
        var o = context.Output;
        o.WriteLine();
        o.WriteLine($"Tables (Delta Lake) are under {config.Warehouse}:");
        foreach (var table in config.Sources.SelectMany(s => new[] { s.BronzeTable, s.SilverTable, s.QuarantineTable, s.TombstonesTable, s.ChangesTable }).Concat(config.Gold.Select(g => g.Table))
                     .Concat([TableLocations.Manifest, TableLocations.JobRuns, TableLocations.DqResults]))
        {
            var path = TableLocations.Path(config, table);
            if (Directory.Exists(path))
            {
                o.WriteLine($"  {table,-28} {path}");
            }
        }

        var gold = config.Gold.FirstOrDefault();
        o.WriteLine();
        o.WriteLine("Look at them:");
        if (gold is not null)
        {
            o.WriteLine($"  lakehouse table show {TableLocations.Path(config, gold.Table)} --limit 10");
        }

        o.WriteLine($"  lakehouse table history {TableLocations.Path(config, config.Sources[0].SilverTable)}");
        o.WriteLine($"  lakehouse table show {TableLocations.Path(config, TableLocations.DqResults)} --limit 20");
        o.WriteLine($"Run the demo again for the next batch (updates, late data, deletes), or run the pipeline: lakehouse run --config {pipelineFile}");
    }
}
