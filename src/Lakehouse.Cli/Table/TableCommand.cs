using System.CommandLine;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table …</c>: tools for one Delta table.</summary>
internal static class TableCommand
{
    /// <summary>The <c>table</c> command with its subcommands.</summary>
    public static Command Create(CliContext context) => new("table", "Inspect and maintain a Delta table.")
    {
        ShowCommand.Create(context),
        DescribeCommand.Create(context),
        HistoryCommand.Create(context),
        VacuumCommand.Create(context),
        RestoreCommand.Create(context),
        OptimizeCommand.Create(context),
    };
}
